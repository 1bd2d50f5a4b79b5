"""Intake's record of erasures (GDPR Art. 17) and of the retention job's runs (migration 0007).

Neither holds personal data: an erasure names the case by its id, the reason by its code (the code list
``ERASURE_REASONS``), the administrator by their pseudonymous id; ``note`` is the administrator's
recorded reason, written to justify the erasure (it stays in intake, never on an event or in a log)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class RetentionRunRow(SQLModel, table=True):
    """One run of the retention job: which cases it found past their period and what it did.
    ``cases`` is a JSON list of ``{case_id, number, closed_on, outcome}`` (outcome ``erased``,
    ``would_erase`` on a dry run, ``held`` when the case has open referrals)."""

    __tablename__ = "intake_retention_run"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    started_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False, index=True))
    dry_run: bool
    closed_before: date
    by: str = Field(max_length=100)
    erased: int
    held: int
    cases: str = Field(sa_column=sa.Column(sa.Text, nullable=False))


class ErasureRow(SQLModel, table=True):
    """One erasure of a whole case (``member_position`` null) or of one member of it."""

    __tablename__ = "intake_erasure"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("intake_case.id"), nullable=False, index=True)
    )
    member_position: int | None = None
    erased_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    reason: str = Field(max_length=40)
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    erased_by: str = Field(max_length=100)
    organisation: str = Field(max_length=100)
    event_id: str = Field(max_length=64)
    run_id: UUID | None = Field(
        default=None,
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("intake_retention_run.id"), nullable=True),
    )
