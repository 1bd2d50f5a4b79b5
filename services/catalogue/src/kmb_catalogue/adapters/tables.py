"""Catalogue's tables: the entries, which case holds which unit, the suggestions made for cases, and
each case's organisation (from intake), which scopes the last two.

An entry is stored whole as JSON (``data``, the domain ``Solution``); the columns beside it repeat the
fields that lists filter on, and ``version`` guards concurrent changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class SolutionRow(SQLModel, table=True):
    __tablename__ = "catalogue_solution"

    id: UUID = Field(primary_key=True)
    kind: str = Field(max_length=40, index=True)
    title: str = Field(max_length=200, index=True)
    valid_from: date = Field(index=True)
    valid_to: date | None = Field(default=None, index=True)
    withdrawn: bool = Field(default=False, index=True)
    demo: bool = False
    version: int = Field(ge=1)
    data: dict[str, Any] = Field(
        sa_column=sa.Column(sa.JSON, nullable=False), description="The whole entry (domain Solution)"
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )


class AllocationRow(SQLModel, table=True):
    """A unit or place of an entry held by a case; a release must name a case that holds one."""

    __tablename__ = "catalogue_allocation"

    solution_id: UUID = Field(foreign_key="catalogue_solution.id", primary_key=True)
    case_id: UUID = Field(primary_key=True, index=True)
    allocated_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    organisation: str = Field(max_length=100, description="The organisation of the worker who took it")


class SuggestionRow(SQLModel, table=True):
    """The suggestions made when a need was assessed: the ranked entries and the ones ruled out.

    Built only from ``NeedAssessed`` events, deterministically: ``id`` is derived from the event id
    and ``created_at`` is the event's time.
    """

    __tablename__ = "catalogue_suggestion"

    id: UUID = Field(primary_key=True)
    case_id: UUID = Field(index=True)
    assessment_id: UUID | None = None
    assessed_on: date
    need_level: str = Field(max_length=20)
    organisation: str = Field(max_length=100, description="The assessing worker's (the event's actor)")
    municipal_stock_exhausted: bool = False
    suggestions: list[dict[str, Any]] = Field(
        sa_column=sa.Column(sa.JSON, nullable=False), description="Ranked Suggestion items"
    )
    rejected: list[dict[str, Any]] = Field(
        sa_column=sa.Column(sa.JSON, nullable=False), description="Entries ruled out, with blockers"
    )
    created_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    request: dict[str, Any] | None = Field(
        default=None,
        sa_column=sa.Column(sa.JSON, nullable=True),
        description="The household as matched (need level, size, income…; no identifiers), to recompute",
    )
    recomputation: dict[str, Any] | None = Field(
        default=None,
        sa_column=sa.Column(sa.JSON, nullable=True),
        description="The last recomputation: when, why, the entries new and removed",
    )


class CaseRow(SQLModel, table=True):
    """A case's organisation, as intake's ``CaseOpened`` says it (its actor's). Only that organisation's
    users see the case's suggestions and allocations; until intake has said it, a suggestion or an
    allocation belongs to the organisation of the worker whose assessment or request made it."""

    __tablename__ = "catalogue_case"

    case_id: UUID = Field(primary_key=True)
    organisation: str = Field(max_length=100, index=True)
