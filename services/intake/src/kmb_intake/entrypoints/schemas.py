"""What the intake API answers. Cases carry personal data: this service owns it and shows it to workers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field

from kmb_shared.copying import same_fields

from ..adapters.tables import CaseHistoryRow, CaseRow, ContactRow


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back without a zone; everything is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_aware)]


class CaseOut(BaseModel):
    id: UUID
    number: str = Field(description="KMB-<year>-<5 digits>")
    status: str = Field(description="open or closed")
    version: int = Field(description="Send it back in If-Match to change the case only if unchanged")

    @classmethod
    def of(cls, case: CaseRow) -> CaseOut:
        return cls(id=case.id, number=case.number, status=case.status, version=case.version)


class MemberSummary(BaseModel):
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    relationship: str | None = None


class CaseSummary(CaseOut):
    """One line of a case list: enough to recognise the household."""

    district: str | None
    orp_code: str | None
    opened_at: UtcDateTime
    worker_id: str
    members: list[MemberSummary]

    @classmethod
    def of(cls, case: CaseRow) -> CaseSummary:
        return cls(**same_fields(case, cls, members=members_of(household_of(case))))


class HistoryEntry(BaseModel):
    version: int
    kind: str = Field(description="opened, household_changed, closed or reopened")
    at: UtcDateTime
    by: str
    organisation: str
    note: str | None


class CaseDetail(CaseSummary):
    """The whole case, with the household as entered (members, contact details, address, dwelling,
    incomes, costs, debts, dates, flags, consent or legal basis)."""

    organisation: str
    contact_id: UUID | None
    close_reason: str | None
    close_note: str | None
    closed_on: date | None
    reopen_count: int
    updated_at: UtcDateTime | None
    updated_by: str | None
    household: dict[str, Any] = Field(
        description=(
            "The household in the shape it was entered (``CaseIn`` without ``contact_id``); every"
            " member has ``dependent_child``: yes, no or unknown (members stored before it existed"
            " read unknown)"
        )
    )
    history: list[HistoryEntry]

    @classmethod
    def with_history(cls, case: CaseRow, history: Sequence[CaseHistoryRow]) -> CaseDetail:
        household = household_of(case)
        return cls(
            **same_fields(
                case,
                cls,
                members=members_of(household),
                household=household,
                history=[HistoryEntry.model_validate(row, from_attributes=True) for row in history],
            )
        )


def household_of(case: CaseRow) -> dict[str, Any]:
    """The stored household; a member stored before the dependent-child question existed reads
    ``dependent_child: "unknown"`` (not established), as a member entered without it does."""
    try:
        parsed = json.loads(case.household)
    except ValueError:
        return {}
    if not isinstance(parsed, dict):
        return {}
    members = parsed.get("members")
    if isinstance(members, list):
        for member in members:
            if isinstance(member, dict):
                member.setdefault("dependent_child", "unknown")
    return parsed


def members_of(household: dict[str, Any]) -> list[MemberSummary]:
    """Members from the stored JSON; cases from the thin flow had one ``name`` per member."""
    out = []
    for member in household.get("members") or []:
        first, last = member.get("first_name"), member.get("last_name")
        if first is None and last is None:
            first, _, last = str(member.get("name", "")).partition(" ")
        out.append(
            MemberSummary(
                first_name=first or "",
                last_name=last or "",
                date_of_birth=member.get("date_of_birth") or member.get("birth_date"),
                relationship=member.get("relationship"),
            )
        )
    return out


class ContactOut(BaseModel):
    id: UUID
    channel: str
    contact_date: date
    topics: list[str]
    duration_minutes: int
    note: str | None
    worker_id: str
    case_id: UUID | None
    anonymous: bool
    recorded_at: UtcDateTime
    recorded_by: str
    organisation: str

    @classmethod
    def of(cls, contact: ContactRow) -> ContactOut:
        return cls(**same_fields(contact, cls, topics=list(json.loads(contact.topics))))
