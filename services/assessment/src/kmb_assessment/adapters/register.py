"""Queries and writes of the register of people in need."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..domain.register import RegisterFilter
from .tables import IN_FORCE, AssessmentRow, RegisterEntryRow, RegisterStatus


@dataclass(frozen=True, slots=True)
class RegisterQuery:
    """A page of one organisation's register: its entries in ``status`` (None: in any status) that
    pass ``where``, ``limit`` of them from ``offset``."""

    status: RegisterStatus | None
    organisation: str
    limit: int
    offset: int
    where: RegisterFilter = field(default_factory=RegisterFilter)


async def register_entries(session: AsyncSession, page: RegisterQuery) -> Sequence[RegisterEntryRow]:
    """The page's entries, highest priority first, then the oldest entry first."""
    where = page.where
    query = select(RegisterEntryRow).where(col(RegisterEntryRow.organisation) == page.organisation)
    if page.status is not None:
        query = query.where(RegisterEntryRow.status == page.status.value)
    if where.need_levels:
        query = query.where(col(RegisterEntryRow.need_level).in_(where.need_levels))
    if where.valid_until_to is not None:
        query = query.where(col(RegisterEntryRow.valid_until) <= where.valid_until_to)
    if where.case_number:
        escaped = where.case_number.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(col(RegisterEntryRow.case_number).ilike(f"%{escaped}%", escape="\\"))
    if where.priority_from is not None:
        query = query.where(col(RegisterEntryRow.priority_score) >= where.priority_from)
    query = query.order_by(
        col(RegisterEntryRow.priority_score).desc(),
        col(RegisterEntryRow.registered_on),
        col(RegisterEntryRow.id),
    )
    return (await session.exec(query.limit(page.limit).offset(page.offset))).all()


async def household_sizes(session: AsyncSession, assessment_ids: Sequence[UUID]) -> dict[UUID, int]:
    """The number of members of each assessment's household (the snapshot it was assessed on)."""
    if not assessment_ids:
        return {}
    query = select(AssessmentRow.id, AssessmentRow.household).where(col(AssessmentRow.id).in_(assessment_ids))
    return {row_id: members_in(household) for row_id, household in (await session.exec(query)).all()}


def members_in(household: str) -> int:
    """Members of a stored household snapshot (JSON); 0 when it cannot be read."""
    try:
        members = json.loads(household).get("members")
    except (ValueError, AttributeError):
        return 0
    return len(members) if isinstance(members, list) else 0


async def entries_for_assessments(
    session: AsyncSession, assessment_ids: Sequence[UUID]
) -> dict[UUID, RegisterEntryRow]:
    if not assessment_ids:
        return {}
    query = select(RegisterEntryRow).where(col(RegisterEntryRow.assessment_id).in_(assessment_ids))
    return {row.assessment_id: row for row in (await session.exec(query)).all()}


async def supersede_in_force(session: AsyncSession, case_id: UUID, at: datetime) -> None:
    """A new entry of the case replaces the ones still in force (they never expire on their own)."""
    statement = (
        sa.update(RegisterEntryRow)
        .where(col(RegisterEntryRow.case_id) == case_id, col(RegisterEntryRow.status).in_(IN_FORCE))
        .values(status=RegisterStatus.SUPERSEDED.value, status_changed_at=at)
    )
    await session.exec(statement)


async def entries_to_check(session: AsyncSession, today: date) -> Sequence[RegisterEntryRow]:
    """Entries in force that may be due for reassessment or expired on ``today``."""
    query = (
        select(RegisterEntryRow)
        .where(
            col(RegisterEntryRow.status).in_(IN_FORCE),
            col(RegisterEntryRow.reassess_from) <= today,
            col(RegisterEntryRow.registered_on) <= today,
        )
        .order_by(col(RegisterEntryRow.valid_until), col(RegisterEntryRow.id))
    )
    return (await session.exec(query)).all()


async def change_status(
    session: AsyncSession, entry_id: UUID, from_statuses: Sequence[str], values: dict[str, Any]
) -> bool:
    """Change the entry only while its status is one of ``from_statuses``: of several copies of the
    service checking at once, exactly one makes the change."""
    statement = (
        sa.update(RegisterEntryRow)
        .where(col(RegisterEntryRow.id) == entry_id, col(RegisterEntryRow.status).in_(from_statuses))
        .values(**values)
    )
    result = await session.exec(statement)
    return bool(result.rowcount == 1)
