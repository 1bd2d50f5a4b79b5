"""The data-subject report (GDPR Art. 15): for one person, everything the contact point holds about them
and every view of their data, as the organisation's auditor prints it for the person's request.

The person is found in the organisation's cases by birth number, or by name and date of birth (every
word of the name given must be a whole word of the member's first or last name, so that a report never
takes in someone else). For each case the person is a member of (the applicant or another member):
the case itself, the person's own data as entered, the household's data (address, contact, dwelling,
costs, debts, consent or legal basis — but not the other members' names or birth numbers, which are
their data, GDPR Art. 15(4); only how many they are), the contacts recorded for the case, the diary
(notes of the case and of its contacts), the documents (the list, never their contents), the referrals
made for the case with their state and partner (asked of referrals over HTTP as the auditor, who may
read them; a quiet note when referrals does not answer) and every view of the case's personal data in
the view log — who, when, what and through which channel — including the opening of this report.

Everything is given as Czech labels and Czech dates (``kmb_shared.formatting``), never as codes: the
page and the PDF show the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, model_validator
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts.vocabulary import vocabulary
from kmb_shared.errors import NotFoundError
from kmb_shared.formatting import format_date, format_datetime, format_money

from ..adapters.accounts import user_names
from ..adapters.cases import CaseFilter, search_cases
from ..adapters.casework import case_contacts
from ..adapters.search import search_key, search_tokens
from ..adapters.tables import CaseRow
from ..adapters.views import CaseViewRow, find_views
from ..domain import parse_birth_number
from ..domain.birth_number import written_birth_number
from ..domain.documents import kind_label
from ..domain.field_types import BirthNumberStr, InputModel, input_error
from .casework import case_documents, diary, size_text
from .ports import Peers

#: the view-log kind of opening this report (``case_view_log.kind``)
VIEW_SUBJECT_REPORT = "subject_report"
#: what each kind of view in the log was, in Czech
VIEW_KINDS_CS: Mapping[str, str] = {
    "detail": "detail případu",
    "search": "výsledek hledání",
    "list": "seznam případů",
    "partner": "údaje pro partnera",
    "diary": "deník případu",
    "documents": "seznam dokumentů",
    "document": "otevřený dokument",
    VIEW_SUBJECT_REPORT: "výpis pro subjekt údajů",
    "plan": "plán bydlení klienta",
    "plan_print": "tisk plánu bydlení",
    "summary": "shrnutí případu",
    "summary_print": "tisk shrnutí případu",
}
VIEW_CHANNELS_CS: Mapping[str, str] = {"page": "stránka", "api": "API"}
CASE_STATUSES_CS: Mapping[str, str] = {"open": "otevřený", "closed": "uzavřený"}
#: the most cases one search may find, and views listed per case
CASE_LIMIT = 200
VIEW_LIMIT = 5000

Row = tuple[str, str]


class SubjectQuery(InputModel):
    """Whom the report is about: a birth number, or a name with the date of birth."""

    birth_number: Annotated[
        BirthNumberStr | None, Field(description="Rodné číslo (with or without the slash)")
    ] = None
    name: Annotated[str | None, Field(max_length=200, description="First and last name")] = None
    birth_date: date | None = Field(default=None, description="Date of birth, with the name")

    @model_validator(mode="after")
    def _who(self) -> SubjectQuery:
        if self.birth_number is None and not (self.name and search_tokens(self.name) and self.birth_date):
            raise input_error("subject_query_required", field="birth_number")
        return self


class CaseReport(BaseModel):
    number: str
    status: str
    opened: str
    closed: str
    role: str = Field(description="The person's relationship to the applicant, in Czech")
    person: list[Row]
    household: list[Row]
    other_members: int
    contacts: list[Row] = Field(description="(when, channel and topics) of each recorded contact")
    diary: list[tuple[str, str, str]] = Field(description="(day, who and when, text) of each note")
    documents: list[tuple[str, str, str, str]] = Field(description="(name, kind and size, by, when)")
    referrals: list[tuple[str, str, str, str]] | None = Field(
        description="(partner, kind, state, made and due); None when referrals could not be asked"
    )
    views: list[tuple[str, str, str, str]] = Field(description="(when, who, what, channel)")


class SubjectReport(BaseModel):
    made_at: str
    made_by: str
    organisation: str
    name: str
    birth_date: str
    birth_number: str
    cases: list[CaseReport]


def _label(vocab: str, code: Any) -> str:
    return vocabulary(vocab).label(code, capital=True) if code not in (None, "") else "–"


def _household(case: CaseRow) -> dict[str, Any]:
    try:
        data = json.loads(case.household)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _matches(member: Mapping[str, Any], query: SubjectQuery) -> bool:
    if query.birth_number is not None:
        return str(member.get("birth_number") or "") == query.birth_number
    words = set(search_key(f"{member.get('first_name', '')} {member.get('last_name', '')}").split())
    born = str(member.get("date_of_birth") or "")
    return set(search_tokens(query.name or "")) <= words and born == str(query.birth_date)


def _birth_date(query: SubjectQuery) -> date | None:
    if query.birth_number is not None:
        return parse_birth_number(query.birth_number).birth_date
    return query.birth_date


async def person_cases(
    session: AsyncSession, query: SubjectQuery, organisation: str
) -> list[tuple[CaseRow, dict[str, Any], dict[str, Any]]]:
    """(case, household, the person as a member) of each of the organisation's cases the person is a
    member of, oldest first; :class:`NotFoundError` when there is none (also when only another
    organisation holds the person)."""
    criteria = CaseFilter(
        name=query.name if query.birth_number is None else None,
        birth_date=_birth_date(query),
        organisation=organisation,
    )
    found = []
    for case in reversed(await search_cases(session, criteria, limit=CASE_LIMIT)):
        household = _household(case)
        member = next((m for m in household.get("members") or () if _matches(m, query)), None)
        if member is not None:
            found.append((case, household, member))
    if not found:
        raise NotFoundError("Osoba", "Person")
    return found


def _person_rows(member: Mapping[str, Any]) -> list[Row]:
    incomes = ", ".join(
        f"{_label('income_source', i.get('source'))}: {format_money(i.get('amount_monthly'))}"
        for i in member.get("incomes") or ()
        if isinstance(i, dict)
    )
    flags = ", ".join(_label("vulnerability_flag", f) for f in member.get("flags") or ())
    return [
        ("Jméno a příjmení", f"{member.get('first_name', '')} {member.get('last_name', '')}".strip()),
        ("Datum narození", format_date(member.get("date_of_birth")) or "–"),
        ("Rodné číslo", _formatted_birth_number(member.get("birth_number"))),
        ("Pohlaví", _label("sex", member.get("sex"))),
        ("Vztah k žadateli", _label("relationship", member.get("relationship"))),
        ("Příjmy měsíčně", incomes or "–"),
        ("Zvláštní zranitelnost", flags or "–"),
    ]


def _formatted_birth_number(value: Any) -> str:
    return written_birth_number(value) or "–"


def _household_rows(household: Mapping[str, Any]) -> list[Row]:
    address = household.get("address") or {}
    dwelling = household.get("dwelling") or {}
    costs = household.get("costs") or {}
    consent = household.get("consent") or {}
    parts = (address.get(k) for k in ("street", "postal_code", "municipality", "district"))
    basis = []
    if consent:
        basis.append(f"souhlas ze dne {format_date(consent.get('given_on'))} ({consent.get('purpose', '')})")
        if consent.get("partners"):
            basis.append("partneři: " + ", ".join(str(p) for p in consent["partners"]))
    if household.get("legal_basis"):
        basis.append(_label("legal_basis", household["legal_basis"]))
    return [
        ("Adresa", ", ".join(str(p) for p in parts if p) or "–"),
        ("Telefon", str(household.get("phone") or "–")),
        ("E-mail", str(household.get("email") or "–")),
        (
            "Bydlení",
            f"{_label('dwelling_kind', dwelling.get('kind'))}, {_label('legal_title', dwelling.get('legal_title'))}",
        ),
        (
            "Náklady na bydlení měsíčně",
            f"nájem {format_money(costs.get('rent', 0))}, služby {format_money(costs.get('services', 0))}, "
            f"energie {format_money(costs.get('energy', 0))}",
        ),
        (
            "Dluhy",
            f"na bydlení {format_money(household.get('arrears', 0))}, "
            f"jiné {format_money(household.get('other_debts', 0))}",
        ),
        (
            "Výpověď / vystěhování",
            f"{format_date(household.get('notice_date')) or '–'} / {format_date(household.get('eviction_date')) or '–'}",
        ),
        (
            "Zvláštní zranitelnost domácnosti",
            ", ".join(_label("vulnerability_flag", f) for f in household.get("vulnerability_flags") or ())
            or "–",
        ),
        ("Zpracování údajů", "; ".join(basis) or "–"),
    ]


def _name(names: Mapping[str, str], user_id: str) -> str:
    return f"{names[user_id]} ({user_id})" if user_id in names else user_id


async def _referrals(
    peers: Peers, credentials: Mapping[str, str], case: CaseRow
) -> list[tuple[str, str, str, str]] | None:
    found = await peers.list_from("referrals", "/api/referrals", {"case_id": str(case.id)}, credentials)
    if found is None:
        return None
    partners = await peers.list_from("referrals", "/api/partners", None, credentials) or []
    partner_names = {str(p.get("slug")): str(p.get("name")) for p in partners}
    rows = []
    for r in sorted(found, key=lambda r: str(r.get("made_on", ""))):
        state = str(r.get("status_label") or "–")
        for extra in ("decline_reason_label", "outcome_label"):
            if r.get(extra):
                state += f" ({r[extra]})"
        dates = f"předáno {format_date(r.get('made_on'))}, odpověď do {format_date(r.get('due_on')) or '–'}"
        partner = partner_names.get(str(r.get("partner")), str(r.get("partner", "–")))
        rows.append((partner, str(r.get("kind_label") or "–"), state, dates))
    return rows


async def _case_report(
    session: AsyncSession,
    peers: Peers,
    credentials: Mapping[str, str],
    found: tuple[CaseRow, dict[str, Any], dict[str, Any]],
    *,
    user_id: str,
    now: datetime,
) -> CaseReport:
    case, household, member = found
    notes = await diary(session, case, user_id=user_id, now=now)
    documents = await case_documents(session, case)
    views: Sequence[CaseViewRow] = await find_views(
        session, organisation=case.organisation, case_id=case.id, limit=VIEW_LIMIT
    )
    people = [n.author_id for n in notes] + [d.uploaded_by for d in documents] + [v.user_id for v in views]
    names = await user_names(session, people)
    contacts = [
        (
            format_date(c.contact_date),
            _label("contact_channel", c.channel)
            + " – "
            + ", ".join(_label("contact_topic", t).lower() for t in json.loads(c.topics))
            + f" ({c.duration_minutes} min)",
        )
        for c in sorted(await case_contacts(session, case.id), key=lambda c: c.contact_date)
        if c.organisation == case.organisation
    ]
    return CaseReport(
        number=case.number,
        status=CASE_STATUSES_CS.get(case.status, "–"),
        opened=format_datetime(case.opened_at),
        closed=format_date(case.closed_on) or "–",
        role=_label("relationship", member.get("relationship")),
        person=_person_rows(member),
        household=_household_rows(household),
        other_members=max(len(household.get("members") or ()) - 1, 0),
        contacts=contacts,
        diary=[
            (
                format_date(n.on),
                f"{_name(names, n.author_id)}, {format_datetime(n.at)}"
                + (" (z kontaktu)" if n.kind == "contact" else ""),
                n.text or "(bez poznámky)",
            )
            for n in sorted(notes, key=lambda n: (n.on, n.at))
        ],
        documents=[
            (
                d.filename
                + (f" – smazán {format_datetime(d.deleted_at)} ({d.delete_reason})" if d.deleted_at else ""),
                f"{kind_label(d.kind)}, {size_text(d.size)}",
                _name(names, d.uploaded_by),
                format_datetime(d.uploaded_at),
            )
            for d in documents
        ],
        referrals=await _referrals(peers, credentials, case),
        views=[
            (
                format_datetime(v.viewed_at, seconds=True),
                f"{_name(names, v.user_id)}, {v.organisation}",
                VIEW_KINDS_CS.get(v.kind, "jiné zobrazení"),
                VIEW_CHANNELS_CS.get(v.channel, "jiný kanál"),
            )
            for v in views
        ],
    )


async def subject_report(
    session: AsyncSession,
    peers: Peers,
    credentials: Mapping[str, str],
    found: list[tuple[CaseRow, dict[str, Any], dict[str, Any]]],
    *,
    user_id: str,
    organisation: str,
    now: datetime,
) -> SubjectReport:
    """The report on the person of ``found`` (:func:`person_cases`), made by ``user_id`` at ``now``;
    the caller has written the opening to the view log (so it is listed) and flushed it."""
    member = found[-1][2]
    names = await user_names(session, [user_id])
    return SubjectReport(
        made_at=format_datetime(now),
        made_by=_name(names, user_id),
        organisation=organisation,
        name=f"{member.get('first_name', '')} {member.get('last_name', '')}".strip(),
        birth_date=format_date(member.get("date_of_birth")) or "–",
        birth_number=_formatted_birth_number(member.get("birth_number")),
        cases=[
            await _case_report(session, peers, credentials, item, user_id=user_id, now=now) for item in found
        ],
    )
