"""The audit timeline of a case: each stored event as one line an auditor can read.

Pure functions of the stored event (type string and contract data); Czech names and summaries.
Summaries show codes (by their Czech label) and numbers only, never free text: a reason typed by a
person could name someone, and stats keeps no names. A case's timeline is read only by users of the
case's organisation (:func:`case_organisation`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kmb_shared.contracts.vocabulary import REFERRAL_STEPS
from kmb_shared.formatting import format_date, format_money_text

from .labels import (
    CANCEL_REASONS,
    CHANNELS,
    CLOSE_REASONS,
    DECLINE_REASONS,
    ERASURE_REASONS,
    ETHOS,
    HOUSEHOLD_TYPES,
    NEED_LEVELS,
    REFERRAL_KINDS,
    REFERRAL_OUTCOMES,
    SOLUTION_KINDS,
    TOPICS,
    label,
)

Data = Mapping[str, Any]
CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
FREE_TEXT = "jiný (text se nezobrazuje)"
INTAKE_PREFIX = "kmb.intake."
TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")

#: referrals' events ``referral_<step>``, named by the vocabulary's steps
REFERRAL_STEP_EVENTS = ("made", "accepted", "declined", "completed", "cancelled", "overdue")

#: event name (the type string without context and version) -> Czech name
NAMES = {
    "case_opened": "Případ otevřen",
    "household_changed": "Změna domácnosti",
    "case_closed": "Případ uzavřen",
    "case_reopened": "Případ znovu otevřen",
    "personal_data_erased": "Osobní údaje vymazány",
    "contact_recorded": "Kontakt zaznamenán",
    "need_assessed": "Bytová nouze posouzena",
    "registered_in_need": "Zápis do evidence",
    "registration_expired": "Zápis v evidenci ukončen",
    "solutions_suggested": "Navržena řešení",
    "solution_published": "Řešení zveřejněno",
    "solution_changed": "Řešení změněno",
    "solution_withdrawn": "Řešení staženo",
    "capacity_changed": "Změna kapacity",
    **{f"referral_{step}": REFERRAL_STEPS.label(step, capital=True) for step in REFERRAL_STEP_EVENTS},
    "binding_opinion_issued": REFERRAL_STEPS.label("binding_opinion", capital=True),
}


def case_organisation(events: Iterable[tuple[str, str]]) -> str | None:
    """The organisation a case belongs to, from its stored events as (type, actor organisation) in the
    order they happened: its CaseOpened's actor's (as intake scopes cases), else, before that event is
    stored, the first intake event's (only the case's own workers change it there); None when stats has
    no intake event of the case (nobody reads its timeline until one arrives)."""
    from_intake = [(kind, org) for kind, org in events if kind.startswith(INTAKE_PREFIX)]
    opened = [org for kind, org in from_intake if event_name(kind) == "case_opened"]
    if opened:
        return opened[0]
    return from_intake[0][1] if from_intake else None


def event_name(event_type: str) -> str:
    """``kmb.intake.case_opened.v1`` -> ``case_opened``."""
    parts = event_type.split(".")
    return parts[2] if len(parts) == 4 else event_type


def trace_id(traceparent: str | None) -> str | None:
    """The trace id of a W3C ``traceparent`` header, if it is well formed."""
    match = TRACEPARENT.match(traceparent or "")
    return match.group(1) if match else None


def coded(mapping: Mapping[str, str], value: Any) -> str:
    """The Czech label of a code; an unknown code as it is; anything that is not a code (free text)
    is not shown."""
    if value is None or value == "":
        return "neuveden"
    text = str(value)
    if text in mapping:
        return mapping[text]
    return text if CODE.match(text) else FREE_TEXT


def _day(text: Any) -> str:
    return format_date(date.fromisoformat(str(text))) if text else "neuvedeno"


def _household(d: Data) -> str:
    household = d.get("household") or {}
    size = len(household.get("members") or ())
    return f"domácnost {size} os., {household.get('district') or 'obvod neuveden'}"


def _referral(d: Data) -> str:
    return f"{coded({}, d.get('partner'))}: {coded(REFERRAL_KINDS, d.get('kind'))}"


def _need(d: Data) -> str:
    ethos = d.get("ethos_category")
    parts = [
        label(NEED_LEVELS, d.get("need_level")),
        f"ETHOS {label(ETHOS, str(ethos)) if ethos is not None else 'neuvedeno'}",
        f"{label(HOUSEHOLD_TYPES, d.get('household_type'))}, {d.get('household_size')} os.",
        f"pravidla {d.get('rule_set_version')}",
    ]
    return "; ".join(parts)


def _suggested(d: Data) -> str:
    items = sorted(d.get("suggestions") or (), key=lambda s: s.get("rank", 0))
    titles = ", ".join(f"{s.get('rank')}. {s.get('title')}" for s in items)
    return f"{len(items)} návrhů: {titles}" if items else "žádný návrh"


def _opinion(d: Data) -> str:
    verdict = "kladné" if d.get("positive") else "záporné"
    costs = d.get("justified_housing_costs")
    justified = f", odůvodněné náklady {format_money_text(costs)}" if costs is not None else ""
    return f"{_referral(d)}; {verdict}{justified}"


SUMMARIES: dict[str, Callable[[Data], str]] = {
    "case_opened": lambda d: f"Číslo {d.get('case_number')}; {_household(d)}",
    "household_changed": lambda d: _household(d).capitalize(),
    "case_closed": lambda d: f"Důvod: {coded(CLOSE_REASONS, d.get('reason'))}",
    "case_reopened": lambda d: f"Číslo {d.get('case_number')}",
    "personal_data_erased": lambda d: (
        f"{'Člen domácnosti' if d.get('member_position') is not None else 'Celý případ'}; "
        f"důvod: {coded(ERASURE_REASONS, d.get('reason'))}"
    ),
    "contact_recorded": lambda d: (
        f"{label(CHANNELS, d.get('channel'))}, {d.get('duration_minutes')} min, "
        f"témata: {', '.join(coded(TOPICS, t) for t in d.get('topics') or ()) or 'neuvedena'}"
    ),
    "need_assessed": _need,
    "registered_in_need": lambda d: (
        f"{label(NEED_LEVELS, d.get('need_level'))}; platí od {_day(d.get('registered_on'))} "
        f"do {_day(d.get('valid_until'))}"
    ),
    "registration_expired": lambda d: f"Ukončeno {_day(d.get('expired_on'))}",
    "solutions_suggested": _suggested,
    "solution_published": lambda d: f"{d.get('title')} ({label(SOLUTION_KINDS, d.get('kind'))})",
    "solution_changed": lambda d: f"{d.get('title')} ({label(SOLUTION_KINDS, d.get('kind'))})",
    # the catalogue's withdrawal reason is typed freely: only whether one was given
    "solution_withdrawn": lambda d: "Důvod uveden v katalogu" if d.get("reason") else "Bez uvedení důvodu",
    "capacity_changed": lambda d: (
        f"{label(SOLUTION_KINDS, d.get('kind'))}: volno {d.get('capacity_free')} z {d.get('capacity_total')}"
    ),
    "referral_made": lambda d: _referral(d) + (f"; lhůta do {_day(d['due_on'])}" if d.get("due_on") else ""),
    "referral_accepted": _referral,
    "referral_declined": lambda d: f"{_referral(d)}; důvod: {coded(DECLINE_REASONS, d.get('reason'))}",
    "referral_completed": lambda d: f"{_referral(d)}; výsledek: {coded(REFERRAL_OUTCOMES, d.get('outcome'))}",
    "referral_cancelled": lambda d: f"{_referral(d)}; důvod: {coded(CANCEL_REASONS, d.get('reason'))}",
    "referral_overdue": lambda d: f"{_referral(d)}; lhůta {_day(d.get('due_on'))} uplynula",
    "binding_opinion_issued": _opinion,
}


def summary_cs(event_type: str, data: Data) -> str:
    """A short Czech summary of one event."""
    describe = SUMMARIES.get(event_name(event_type))
    return describe(data) if describe else event_type


def entry(
    *,
    event_id: str,
    event_type: str,
    occurred_at: datetime,
    actor: str,
    organisation: str,
    data: Data,
    traceparent: str | None,
    source: str,
    position: tuple[str, int, int],
    timezone: str,
) -> dict[str, Any]:
    """One line of the timeline (time in the office's zone, with its offset)."""
    topic, partition, offset = position
    return {
        "time": occurred_at.astimezone(ZoneInfo(timezone)).isoformat(),
        "event_type": event_type,
        "event": NAMES.get(event_name(event_type), event_type),
        "actor": actor,
        "organisation": organisation,
        "summary": summary_cs(event_type, data),
        "trace_id": trace_id(traceparent),
        "event_id": event_id,
        "source": source,
        "topic": topic,
        "partition": partition,
        "offset": offset,
    }
