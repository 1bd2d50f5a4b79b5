"""Assessment's tables: one row per assessment (pending until the worker submits the survey)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class AssessmentRow(SQLModel, table=True):
    __tablename__ = "assessment"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = Field(index=True)
    case_number: str = Field(max_length=20)
    status: str = Field(max_length=20, index=True, description="pending or submitted")
    household: str = Field(sa_column=sa.Column(sa.Text, nullable=False), description="HouseholdSnapshot JSON")
    result: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    submitted_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
