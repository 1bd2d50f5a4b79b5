"""One line in Czech per event type, for the audit timeline. Works on the raw event data, so an event
that fails its contract (or of a type this CLI does not know yet) still gets a line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kmb_shared.contracts.vocabulary import (
    CANCEL_REASONS,
    CLOSE_REASONS,
    CONTACT_CHANNELS,
    DECLINE_REASONS,
    ERASURE_REASONS,
    NEED_LEVELS,
    REFERRAL_KINDS,
    REFERRAL_OUTCOMES,
    SOLUTION_KINDS,
)
from kmb_shared.formatting import format_date, format_money

Data = Mapping[str, Any]


def _date(value: object) -> str:
    """``2026-03-05`` -> "5. 3. 2026"; "?" when the event has no date."""
    return format_date(value if isinstance(value, str) else None) or "?"


def _czk(amount: object) -> str:
    return format_money(amount, nbsp=False) if isinstance(amount, int | float) else "?"


def _members(data: Data) -> str:
    household = data.get("household") or {}
    members = household.get("members") or ()
    district = household.get("district")
    return f"domácnost {len(members)} os." + (f", {district}" if district else "")


def _opened(d: Data) -> str:
    return f"Případ otevřen ({d.get('case_number', '?')}), {_members(d)}"


def _household(d: Data) -> str:
    return f"Změna domácnosti: {_members(d)}"


def _closed(d: Data) -> str:
    reason = d.get("reason")
    return f"Případ uzavřen: {CLOSE_REASONS.label(reason)}"


def _reopened(d: Data) -> str:
    return "Případ znovu otevřen"


def _erased(d: Data) -> str:
    whose = "celého případu" if d.get("member_position") is None else "člena domácnosti"
    return f"Osobní údaje {whose} vymazány ({ERASURE_REASONS.label(d.get('reason'))})"


def _contact(d: Data) -> str:
    channel = CONTACT_CHANNELS.label(d.get("channel"))
    return f"Kontakt ({channel}, {d.get('duration_minutes', '?')} min, {_date(d.get('contact_date'))})"


def _assessed(d: Data) -> str:
    level = NEED_LEVELS.label(d.get("need_level"))
    ethos = d.get("ethos_category")
    text = f"Posouzeno: {level}, " + (f"ETHOS {ethos}" if ethos else "ETHOS neurčeno")
    return text + (", splňuje podmínky evidence" if d.get("qualifies_for_register") else "")


def _registered(d: Data) -> str:
    return f"Zapsáno do evidence osob v bytové nouzi do {_date(d.get('valid_until'))}"


def _expired(d: Data) -> str:
    return f"Zápis v evidenci skončil {_date(d.get('expired_on'))}"


def _suggested(d: Data) -> str:
    suggestions = d.get("suggestions") or ()
    best = min(suggestions, key=lambda s: s.get("rank", 99), default=None)
    return f"Navržena řešení: {len(suggestions)}" + (f" (první: {best.get('title')})" if best else "")


def _capacity(d: Data) -> str:
    kind = SOLUTION_KINDS.label(d.get("kind"))
    return f"Kapacita ({kind}): volno {d.get('capacity_free')} z {d.get('capacity_total')}"


def _kind(d: Data) -> str:
    return REFERRAL_KINDS.label(d.get("kind"))


def _made(d: Data) -> str:
    due = d.get("due_on")
    text = f"Předáno partnerovi {d.get('partner')}: {_kind(d)}"
    return text + (f", odpověď do {_date(due)}" if due else "")


def _accepted(d: Data) -> str:
    return f"Partner {d.get('partner')} přijal předání: {_kind(d)}"


def _declined(d: Data) -> str:
    reason = DECLINE_REASONS.label(d.get("reason"))
    return f"Partner {d.get('partner')} odmítl předání ({_kind(d)}): {reason}"


def _completed(d: Data) -> str:
    outcome = REFERRAL_OUTCOMES.label(d.get("outcome"))
    return f"Předání partnerovi {d.get('partner')} dokončeno ({_kind(d)}): {outcome}"


def _cancelled(d: Data) -> str:
    reason = d.get("reason")
    return f"Předání partnerovi {d.get('partner')} zrušeno ({_kind(d)})" + (
        f": {CANCEL_REASONS.label(reason)}" if reason else ""
    )


def _overdue(d: Data) -> str:
    return f"Partner {d.get('partner')} neodpověděl do {_date(d.get('due_on'))} ({_kind(d)})"


def _opinion(d: Data) -> str:
    verdict = "kladné" if d.get("positive") else "záporné"
    costs = d.get("justified_housing_costs")
    return f"Závazné stanovisko ({d.get('partner')}): {verdict}" + (
        f", odůvodněné náklady {_czk(costs)}" if costs is not None else ""
    )


SUMMARIES: dict[str, Callable[[Data], str]] = {
    "kmb.intake.case_opened.v1": _opened,
    "kmb.intake.household_changed.v1": _household,
    "kmb.intake.case_closed.v1": _closed,
    "kmb.intake.case_reopened.v1": _reopened,
    "kmb.intake.personal_data_erased.v1": _erased,
    "kmb.intake.contact_recorded.v1": _contact,
    "kmb.assessment.need_assessed.v1": _assessed,
    "kmb.assessment.registered_in_need.v1": _registered,
    "kmb.assessment.registration_expired.v1": _expired,
    "kmb.catalogue.solutions_suggested.v1": _suggested,
    "kmb.catalogue.capacity_changed.v1": _capacity,
    "kmb.referrals.referral_made.v1": _made,
    "kmb.referrals.referral_accepted.v1": _accepted,
    "kmb.referrals.referral_declined.v1": _declined,
    "kmb.referrals.referral_completed.v1": _completed,
    "kmb.referrals.referral_cancelled.v1": _cancelled,
    "kmb.referrals.referral_overdue.v1": _overdue,
    "kmb.referrals.binding_opinion_issued.v1": _opinion,
}


def summarize(event_type: str, data: Data) -> str:
    """The Czech one-liner of an event; unknown types get "Událost <type>"."""
    describe = SUMMARIES.get(event_type)
    if describe is None:
        return f"Událost {event_type}"
    try:
        return describe(data)
    except (TypeError, ValueError, AttributeError):
        return f"Událost {event_type} (neúplná data)"
