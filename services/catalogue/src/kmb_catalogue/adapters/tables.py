"""Catalogue's tables: solutions and the suggestions made for cases."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class SolutionRow(SQLModel, table=True):
    __tablename__ = "catalogue_solution"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    title: str = Field(max_length=200)
    provider: str = Field(max_length=200)
    need_levels: str = Field(
        sa_column=sa.Column(sa.Text, nullable=False), description="JSON list of need levels"
    )
    capacity_total: int | None = None
    capacity_free: int | None = None
    version: int = 1


class SuggestionRow(SQLModel, table=True):
    __tablename__ = "catalogue_suggestion"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = Field(index=True)
    assessment_id: UUID | None = None
    payload: str = Field(sa_column=sa.Column(sa.Text, nullable=False), description="JSON list of suggestions")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
