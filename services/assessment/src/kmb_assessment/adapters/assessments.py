"""Queries and writes of assessments, intake's case events and binding opinions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from .tables import (
    LIFECYCLE_KINDS,
    AssessmentRow,
    AssessmentStatus,
    BindingOpinionRow,
    CaseEventKind,
    CaseEventRow,
    RegisterEntryRow,
)


async def case_was_opened(session: AsyncSession, case_id: UUID) -> bool:
    query = select(CaseEventRow.id).where(
        CaseEventRow.case_id == case_id, CaseEventRow.kind == CaseEventKind.OPENED
    )
    return (await session.exec(query)).first() is not None


async def case_organisation(session: AsyncSession, case_id: UUID) -> str | None:
    """The organisation the case belongs to: its CaseOpened's (the case events carry it), else that of
    the earliest event heard of the case, else of its earliest assessment (a case from before the
    case events were kept); None for a case not heard of."""
    opened_first = sa.case((col(CaseEventRow.kind) == CaseEventKind.OPENED.value, 0), else_=1)
    from_events = (
        select(CaseEventRow.organisation)
        .where(CaseEventRow.case_id == case_id, col(CaseEventRow.organisation).is_not(None))
        .order_by(opened_first, col(CaseEventRow.occurred_at), col(CaseEventRow.id))
        .limit(1)
    )
    found = (await session.exec(from_events)).first()
    if found is not None:
        return found
    from_assessments = (
        select(AssessmentRow.organisation)
        .where(AssessmentRow.case_id == case_id, col(AssessmentRow.organisation).is_not(None))
        .order_by(col(AssessmentRow.created_at), col(AssessmentRow.id))
        .limit(1)
    )
    return (await session.exec(from_assessments)).first()


async def assign_case_organisation(session: AsyncSession, case_id: UUID, organisation: str) -> None:
    """Give every row of the case (its events, assessments and register entries) ``organisation``."""
    for table in (CaseEventRow, AssessmentRow, RegisterEntryRow):
        statement = sa.update(table).where(col(table.case_id) == case_id).values(organisation=organisation)
        await session.exec(statement)


async def latest_case_household(session: AsyncSession, case_id: UUID) -> CaseEventRow | None:
    """The latest event (by event time) that carried the case's household."""
    query = (
        select(CaseEventRow)
        .where(CaseEventRow.case_id == case_id, col(CaseEventRow.household).is_not(None))
        .order_by(col(CaseEventRow.occurred_at).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()


async def case_is_closed(session: AsyncSession, case_id: UUID) -> bool:
    """Whether the latest opening, closing or reopening of the case (by event time) closed it."""
    query = (
        select(CaseEventRow.kind)
        .where(CaseEventRow.case_id == case_id, col(CaseEventRow.kind).in_(LIFECYCLE_KINDS))
        .order_by(col(CaseEventRow.occurred_at).desc())
        .limit(1)
    )
    return (await session.exec(query)).first() == CaseEventKind.CLOSED


async def pending_for_case(session: AsyncSession, case_id: UUID) -> AssessmentRow | None:
    query = select(AssessmentRow).where(
        AssessmentRow.case_id == case_id, AssessmentRow.status == AssessmentStatus.PENDING
    )
    return (await session.exec(query)).first()


async def assessments_of_case(session: AsyncSession, case_id: UUID) -> Sequence[AssessmentRow]:
    query = (
        select(AssessmentRow)
        .where(AssessmentRow.case_id == case_id)
        .order_by(col(AssessmentRow.created_at), col(AssessmentRow.id))
    )
    return (await session.exec(query)).all()


async def latest_assessment(session: AsyncSession, case_id: UUID) -> AssessmentRow | None:
    """The case's latest submitted assessment, else its latest one of any status."""
    submitted = (
        select(AssessmentRow)
        .where(AssessmentRow.case_id == case_id, AssessmentRow.status == AssessmentStatus.SUBMITTED)
        .order_by(col(AssessmentRow.submitted_at).desc())
        .limit(1)
    )
    row = (await session.exec(submitted)).first()
    if row is not None:
        return row
    anything = (
        select(AssessmentRow)
        .where(AssessmentRow.case_id == case_id)
        .order_by(col(AssessmentRow.created_at).desc())
        .limit(1)
    )
    return (await session.exec(anything)).first()


async def update_if_pending(session: AsyncSession, assessment_id: UUID, values: dict[str, Any]) -> bool:
    """Write ``values`` only while the assessment is pending; False when it no longer is
    (so two concurrent submissions cannot both succeed)."""
    statement = (
        sa.update(AssessmentRow)
        .where(
            col(AssessmentRow.id) == assessment_id,
            col(AssessmentRow.status) == AssessmentStatus.PENDING,
        )
        .values(**values)
    )
    result = await session.exec(statement)
    return bool(result.rowcount == 1)


async def cancel_pending(session: AsyncSession, case_id: UUID, at: datetime) -> None:
    statement = (
        sa.update(AssessmentRow)
        .where(
            col(AssessmentRow.case_id) == case_id,
            col(AssessmentRow.status) == AssessmentStatus.PENDING,
        )
        .values(status=AssessmentStatus.CANCELLED.value, cancelled_at=at)
    )
    await session.exec(statement)


async def attach_unassigned_opinions(session: AsyncSession, case_id: UUID, assessment_id: UUID) -> None:
    """Opinions that arrived before the case had any assessment belong to its first one."""
    statement = (
        sa.update(BindingOpinionRow)
        .where(
            col(BindingOpinionRow.case_id) == case_id,
            col(BindingOpinionRow.assessment_id).is_(None),
        )
        .values(assessment_id=assessment_id)
    )
    await session.exec(statement)


async def opinions_for(
    session: AsyncSession, assessment_ids: Sequence[UUID]
) -> dict[UUID, list[BindingOpinionRow]]:
    """Binding opinions recorded on each of ``assessment_ids``, oldest first."""
    if not assessment_ids:
        return {}
    query = (
        select(BindingOpinionRow)
        .where(col(BindingOpinionRow.assessment_id).in_(assessment_ids))
        .order_by(col(BindingOpinionRow.issued_at))
    )
    out: dict[UUID, list[BindingOpinionRow]] = {}
    for row in (await session.exec(query)).all():
        assert row.assessment_id is not None
        out.setdefault(row.assessment_id, []).append(row)
    return out
