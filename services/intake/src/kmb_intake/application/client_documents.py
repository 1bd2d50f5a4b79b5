"""The documents of a case: the client's personal plan "Můj plán bydlení" and the case summary for
the file (the worker, a case conference).

Intake owns the client's data, so both are made here, from the case and what the peers say about
it, asked over HTTP as the signed-in user (their credential forwarded, the peer checks their roles):
assessment (the latest submitted result), catalogue (the suggestions for the case and each suggested
entry's address, opening hours and contacts) and referrals (the case's referrals and their states).
A peer that does not answer leaves its part out and the document names, in Czech, what could not be
loaded; it still prints. Nothing of a document goes to Kafka or to a log.

The plan is for the household: no codes and no points; what the assessment found is said with the
vocabulary's labels (translated by the document's template, :mod:`kmb_shared.web.i18n`), the next
steps in plain words (:data:`CLIENT_STEPS`, by the assessment's step codes). Its texts are marked
with ``N_`` so that ``deploy/i18n.sh`` extracts them into intake's catalogue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.formatting import format_date, format_datetime, format_opening_hours

from ..adapters.accounts import user_names
from ..adapters.tables import CaseRow
from .applications import application_lines
from .casework import diary
from .ports import Peers
from .subject_report import CASE_STATUSES_CS, _household, _household_rows, _person_rows, _referrals


def N_(text: str) -> str:
    """Marks a Czech text for the catalogue; the document's template translates it."""
    return text


#: the view-log kinds (``case_view_log.kind``): a document seen on its page, and printed as PDF
VIEW_PLAN, VIEW_PLAN_PRINT = "plan", "plan_print"
VIEW_SUMMARY, VIEW_SUMMARY_PRINT = "summary", "summary_print"
#: the suggested entries the plan lists (the best ranked)
PLAN_PLACES = 3
#: the diary notes the summary shows (the latest), each cut to this many characters
SUMMARY_NOTES, NOTE_CHARS = 8, 400

WEEKDAYS = (N_("Po"), N_("Út"), N_("St"), N_("Čt"), N_("Pá"), N_("So"), N_("Ne"))
NONSTOP = N_("nepřetržitě")
#: what a peer's part of a document is called when it could not be loaded
PEER_PARTS: Mapping[str, str] = {
    "assessment": N_("výsledek posouzení"),
    "catalogue": N_("doporučená místa pomoci"),
    "referrals": N_("předání partnerům"),
}
#: the assessment's next steps (its codes) said to the household, in plain words
CLIENT_STEPS: Mapping[str, str] = {
    "emergency_accommodation": N_("Pomůžeme vám najít místo na přespání nebo ubytování ještě dnes."),
    "violence_support": N_("Spojíme vás s intervenčním centrem a pomůžeme najít bezpečné ubytování."),
    "eviction_prevention": N_(
        "Zajistíme právní pomoc a pomůžeme jednat s pronajímatelem, abyste bydlení neztratili."
    ),
    "institution_release_planning": N_("Domluvíme s institucí, kde budete bydlet v den odchodu."),
    "register_application": N_("Podáme spolu žádost o zápis do evidence osob v bytové nouzi."),
    "binding_opinion": N_("Požádáme Úřad práce o stanovisko k vaší situaci."),
    "housing_assistance": N_("Domluvíme asistenci v bydlení: pracovníka, který vám bude pomáhat."),
    "supported_housing": N_("Nabídneme vám podporované bydlení (bydlení s garancí nebo podnájem)."),
    "building_inspection": N_("Požádáme úřad o prověření, zda je váš byt vhodný k bydlení."),
    "housing_allowance": N_("Požádejte Úřad práce o příspěvek na bydlení; se žádostí vám pomůžeme."),
    "material_need_benefits": N_("Ověříme na Úřadu práce, zda máte nárok na dávky v hmotné nouzi."),
    "energy_advice": N_("Doporučíme vám poradnu, která pomůže snížit výdaje za energie."),
    "debt_advice": N_("Doporučíme vám dluhovou poradnu."),
    "income_above_ceiling": N_("Poradíme vám, jak najít dostupné bydlení."),
    "housing_advice": N_("Poradíme vám s bydlením, kdykoli budete potřebovat."),
}
STEP_NOT_ASSESSED = N_("Dokončíme spolu posouzení vaší bytové situace.")
STEP_COME_BACK = N_("Když se vaše situace změní, přijďte nebo zavolejte.")


@dataclass(frozen=True)
class Place:
    """A suggested entry with where and when to go (as the catalogue holds it)."""

    title: str
    kind: str
    provider: str = ""
    address: str = ""
    slots: tuple[tuple[tuple[int, ...], time, time], ...] = ()
    nonstop: bool = False
    hours_note: str | None = None
    phones: tuple[str, ...] = ()
    email: str = ""
    web: str = ""

    def hours(self, gettext: Any = N_) -> str:
        """The opening hours with the weekdays named by ``gettext`` (the document's language)."""
        if not (self.slots or self.nonstop or self.hours_note):
            return ""
        days = [gettext(day) for day in WEEKDAYS]
        return format_opening_hours(
            self.slots,
            nonstop=self.nonstop,
            note=self.hours_note,
            weekdays=days,
            nonstop_text=gettext(NONSTOP),
        )


@dataclass(frozen=True)
class Finding:
    """What the latest submitted assessment found (codes: the template labels them)."""

    assessed_on: date | None
    need_level: str
    ethos_category: str | None
    household_type: str | None
    in_register: bool
    register_until: date | None
    next_steps: tuple[tuple[str, str], ...]  # (code, the worker's Czech text)
    reasons: tuple[str, ...]
    priority: int | None
    contributions: tuple[tuple[str, int], ...]  # (explanation, points)


@dataclass
class ClientPlan:
    case_number: str
    members: list[str]
    made_on: date
    finding: Finding | None
    steps: list[str]
    places: list[Place]
    worker: str
    contact_phone: str | None
    contact_email: str | None
    #: the parts of :data:`PEER_PARTS` that could not be loaded
    missing: list[str] = field(default_factory=list)
    #: applications in progress (title, state, due), added by the applications feature; none: no section
    applications: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class CaseSummary:
    case_number: str
    status: str
    opened: str
    closed: str
    worker: str
    made_at: str
    members: list[list[tuple[str, str]]]
    household: list[tuple[str, str]]
    finding: Finding | None
    referrals: list[tuple[str, str, str, str]]
    diary: list[tuple[str, str, str]]
    missing: list[str] = field(default_factory=list)
    #: applications and their states (title, state, due), added by the applications feature
    applications: list[tuple[str, str, str]] = field(default_factory=list)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _finding(assessments: Sequence[Mapping[str, Any]]) -> Finding | None:
    submitted = [
        a for a in assessments if a.get("status") == "submitted" and isinstance(a.get("result"), dict)
    ]
    if not submitted:
        return None
    latest = max(submitted, key=lambda a: str(a.get("submitted_at") or ""))
    result: Mapping[str, Any] = latest["result"]
    entry = latest.get("registration") or {}
    ethos = (result.get("ethos") or {}).get("category")
    priority = result.get("priority") or {}
    return Finding(
        assessed_on=_date(result.get("assessed_on")),
        need_level=str((result.get("need_level") or {}).get("code") or latest.get("need_level") or ""),
        ethos_category=None if ethos is None else str(ethos),
        household_type=(result.get("household_type") or {}).get("code"),
        in_register=bool(entry) and entry.get("status") in ("active", "due"),
        register_until=_date(entry.get("valid_until")) if entry else None,
        next_steps=tuple((str(s.get("code")), str(s.get("text"))) for s in result.get("next_steps") or ()),
        reasons=tuple(str(r) for r in result.get("reasons") or ()),
        priority=priority.get("score"),
        contributions=tuple(
            (str(c.get("explanation")), int(c.get("points") or 0))
            for c in priority.get("contributions") or ()
        ),
    )


def _time(text: Any) -> time:
    return time.fromisoformat(str(text))


def _place(entry: Mapping[str, Any]) -> Place:
    address = entry.get("address") or {}
    hours = entry.get("opening_hours") or {}
    contacts = entry.get("contacts") or {}
    street, city = (
        address.get("street"),
        " ".join(str(p) for p in (address.get("postcode"), address.get("city")) if p),
    )
    return Place(
        title=str(entry.get("title", "")),
        kind=str(entry.get("kind", "")),
        provider=str((entry.get("provider") or {}).get("name") or ""),
        address=", ".join(str(p) for p in (street, city) if p),
        slots=tuple(
            (tuple(s.get("weekdays") or ()), _time(s.get("opens")), _time(s.get("closes")))
            for s in hours.get("slots") or ()
        ),
        nonstop=bool(hours.get("nonstop")),
        hours_note=hours.get("note"),
        phones=tuple(contacts.get("phones") or ()),
        email=str(contacts.get("email") or ""),
        web=str(contacts.get("web") or ""),
    )


async def _places(peers: Peers, credentials: Mapping[str, str], case: CaseRow) -> list[Place] | None:
    """The best suggested entries with their details; None when the catalogue did not answer."""
    found = await peers.fetch_json("catalogue", f"/api/cases/{case.id}/suggestions", credentials=credentials)
    if not isinstance(found, dict):
        return None
    ranked = sorted(
        (s for s in found.get("suggestions") or () if isinstance(s, dict)), key=lambda s: s.get("rank", 0)
    )
    details = await asyncio.gather(
        *(
            peers.fetch_json("catalogue", f"/api/solutions/{s.get('solution_id')}", credentials=credentials)
            for s in ranked[:PLAN_PLACES]
        )
    )
    places = [_place(d) for d in details if isinstance(d, dict)]
    return places if len(places) == len(details) else None


async def _assessed(
    peers: Peers, credentials: Mapping[str, str], case: CaseRow
) -> tuple[Finding | None, bool]:
    """The latest finding, and whether assessment answered."""
    found = await peers.list_from("assessment", f"/api/cases/{case.id}/assessments", credentials=credentials)
    return (None, False) if found is None else (_finding(found), True)


def _names(household: Mapping[str, Any]) -> list[str]:
    return [
        f"{m.get('first_name', '')} {m.get('last_name', '')}".strip()
        for m in household.get("members") or ()
        if isinstance(m, dict)
    ]


def client_steps(finding: Finding | None) -> list[str]:
    """The household's next steps in plain words (Czech: the template translates them)."""
    if finding is None:
        return [STEP_NOT_ASSESSED, STEP_COME_BACK]
    steps = [CLIENT_STEPS.get(code, text) for code, text in finding.next_steps]
    return [*dict.fromkeys(steps), STEP_COME_BACK]


async def client_plan(
    session: AsyncSession,
    peers: Peers,
    credentials: Mapping[str, str],
    case: CaseRow,
    *,
    today: date,
    contact: tuple[str | None, str | None],
) -> ClientPlan:
    """The personal plan of ``case``'s household (its worker's name, the contact point's phone and
    e-mail ``contact``); the caller writes the view to the view log."""
    finding, answered = await _assessed(peers, credentials, case)
    places = await _places(peers, credentials, case) if finding is not None else []
    missing = [
        PEER_PARTS[name]
        for name, ok in (("assessment", answered), ("catalogue", places is not None))
        if not ok
    ]
    worker = (await user_names(session, [case.worker_id])).get(case.worker_id, "")
    return ClientPlan(
        case_number=case.number,
        members=_names(_household(case)),
        made_on=today,
        finding=finding,
        steps=client_steps(finding),
        places=places or [],
        worker=worker,
        contact_phone=contact[0],
        contact_email=contact[1],
        missing=missing,
        applications=await application_lines(session, case.id, in_progress=True),
    )


async def case_summary(
    session: AsyncSession,
    peers: Peers,
    credentials: Mapping[str, str],
    case: CaseRow,
    *,
    user_id: str,
    now: datetime,
) -> CaseSummary:
    """The case for the file: household, situation, assessment with its explanation, referrals and
    their states, the latest diary notes (Czech; the caller writes the view to the view log)."""
    household = _household(case)
    finding, answered = await _assessed(peers, credentials, case)
    referrals = await _referrals(peers, credentials, case)
    notes = sorted(
        await diary(session, case, user_id=user_id, now=now), key=lambda n: (n.on, n.at), reverse=True
    )
    notes = notes[:SUMMARY_NOTES]
    names = await user_names(session, [case.worker_id, *(n.author_id for n in notes)])
    missing = [
        PEER_PARTS[name]
        for name, ok in (("assessment", answered), ("referrals", referrals is not None))
        if not ok
    ]
    return CaseSummary(
        case_number=case.number,
        status=CASE_STATUSES_CS.get(case.status, "–"),
        opened=format_datetime(case.opened_at),
        closed=format_date(case.closed_on) or "–",
        worker=names.get(case.worker_id, ""),
        made_at=format_datetime(now),
        members=[_person_rows(m) for m in household.get("members") or () if isinstance(m, dict)],
        household=_household_rows(household),
        finding=finding,
        referrals=referrals or [],
        diary=[
            (format_date(n.on), names.get(n.author_id, ""), _cut(n.text or "(bez poznámky)")) for n in notes
        ],
        missing=missing,
        applications=await application_lines(session, case.id, in_progress=False),
    )


def _cut(text: str) -> str:
    return text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1].rstrip() + "…"
