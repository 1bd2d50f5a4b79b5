"""Intake's own tables: cases with their personal data never leave this database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _part_of_case() -> Any:
    """The column of the case a row is part of (deleted with it)."""
    return Field(
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("intake_case.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )


class CaseRow(SQLModel, table=True):
    """One case. ``household`` holds the household as entered (members, contact details, address,
    dwelling, incomes, costs, debts, dates, flags, consent or legal basis) as JSON; the other columns
    are what lists and searches need. ``version`` grows by one with every change (optimistic locking)."""

    __tablename__ = "intake_case"
    __table_args__ = (
        sa.Index("ix_intake_case_worker_status", "worker_id", "status"),
        sa.Index("ix_intake_case_opened_at", "opened_at"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    status: str = Field(max_length=20, index=True)
    district: str | None = Field(default=None, max_length=100, index=True)
    #: the district without diacritics, lower case (search key)
    district_key: str | None = Field(default=None, max_length=100, index=True)
    orp_code: str | None = Field(default=None, max_length=10)
    household: str = Field(
        sa_column=sa.Column(sa.Text, nullable=False), description="JSON incl. personal data"
    )
    #: the worker who opened the case (pseudonymous id) and their organisation
    worker_id: str = Field(max_length=100, index=True)
    organisation: str = Field(default="kmb", max_length=100)
    contact_id: UUID | None = Field(default=None)
    opened_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    close_reason: str | None = Field(default=None, max_length=40)
    close_note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    closed_on: date | None = None
    reopen_count: int = 0
    updated_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    updated_by: str | None = Field(default=None, max_length=100)
    version: int = 1
    #: when the case's personal data were erased (adapters.erasure_tables.ErasureRow says why)
    erased_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )


class CaseNumberCounter(SQLModel, table=True):
    """The last issued sequence number per year; numbers are never reused."""

    __tablename__ = "intake_case_number"

    year: int = Field(primary_key=True)
    last: int = 0


class CaseMemberRow(SQLModel, table=True):
    """Search index of the members of a case (rebuilt on every household change)."""

    __tablename__ = "intake_case_member"

    id: int | None = Field(default=None, primary_key=True)
    case_id: UUID = _part_of_case()
    position: int
    #: first and last name without diacritics, lower case
    first_name_key: str = Field(max_length=100)
    last_name_key: str = Field(max_length=100)
    date_of_birth: date = Field(index=True)


class ContactRow(SQLModel, table=True):
    """One contact (§12 housing advice); anonymous ones too. No personal data beyond the note."""

    __tablename__ = "intake_contact"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    channel: str = Field(max_length=40)
    contact_date: date = Field(index=True)
    topics: str = Field(sa_column=sa.Column(sa.Text, nullable=False), description="JSON list of codes")
    duration_minutes: int
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    worker_id: str = Field(max_length=100, index=True)
    case_id: UUID | None = Field(
        default=None,
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("intake_case.id"), nullable=True, index=True),
    )
    anonymous: bool = False
    recorded_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    recorded_by: str = Field(max_length=100)
    organisation: str = Field(max_length=100)


class CaseHistoryRow(SQLModel, table=True):
    """What happened to a case, version by version, with the worker's note (stays in intake)."""

    __tablename__ = "intake_case_history"

    id: int | None = Field(default=None, primary_key=True)
    case_id: UUID = _part_of_case()
    version: int
    kind: str = Field(max_length=30, description="opened, household_changed, closed, reopened")
    at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    by: str = Field(max_length=100, description="Pseudonymous id of the worker")
    organisation: str = Field(max_length=100)
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
