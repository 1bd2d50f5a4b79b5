"""Intake's own tables: cases with their personal data never leave this database."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class CaseRow(SQLModel, table=True):
    __tablename__ = "intake_case"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    status: str = Field(max_length=20, index=True)
    district: str | None = Field(default=None, max_length=100, index=True)
    orp_code: str | None = Field(default=None, max_length=10)
    household: str = Field(
        sa_column=sa.Column(sa.Text, nullable=False), description="JSON incl. personal data"
    )
    worker_id: str = Field(max_length=100, index=True)
    opened_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    version: int = 1


class CaseNumberCounter(SQLModel, table=True):
    """The last issued sequence number per year; numbers are never reused."""

    __tablename__ = "intake_case_number"

    year: int = Field(primary_key=True)
    last: int = 0
