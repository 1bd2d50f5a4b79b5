"""HTTP API of assessments: read them (workers, auditors, administrators), save the survey (§16) and
submit (workers). The signed-in worker is the actor of every event."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from fastapi import APIRouter
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import Runtime, RuntimeDep, SessionDep

from .. import commands
from ..adapters.assessments import assessments_of_case, opinions_for
from ..adapters.register import entries_for_assessments
from ..adapters.tables import AssessmentRow
from ..survey import Survey
from .deps import CommandDep, ReaderDep, as_request_error
from .schemas import AssessmentOut

router = APIRouter(prefix="/api", tags=["assessments"])


async def present(session: AsyncSession, rows: Sequence[AssessmentRow]) -> list[AssessmentOut]:
    ids = [row.id for row in rows]
    entries = await entries_for_assessments(session, ids)
    opinions = await opinions_for(session, ids)
    return [AssessmentOut.of(row, entries.get(row.id), opinions.get(row.id, ())) for row in rows]


async def _one(session: AsyncSession, assessment_id: UUID) -> AssessmentOut:
    row = await commands.load_assessment(session, assessment_id)
    return (await present(session, [row]))[0]


@router.get("/cases/{case_id}/assessments", response_model=list[AssessmentOut])
async def list_for_case(
    case_id: UUID, _: ReaderDep, session: AsyncSession = SessionDep
) -> list[AssessmentOut]:
    """Every assessment of the case, oldest first (reassessments keep the earlier ones)."""
    return await present(session, await assessments_of_case(session, case_id))


@router.get("/assessments/{assessment_id}", response_model=AssessmentOut)
async def get_assessment(
    assessment_id: UUID, _: ReaderDep, session: AsyncSession = SessionDep
) -> AssessmentOut:
    """One assessment: the household, the survey, and once submitted the result with its explanation,
    the register entry and binding opinions."""
    return await _one(session, assessment_id)


@router.put("/assessments/{assessment_id}/survey", response_model=AssessmentOut)
async def save_survey(
    assessment_id: UUID,
    body: Survey,
    ctx: CommandDep,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> AssessmentOut:
    """Save (replace) the survey of a pending assessment. 409 once submitted or cancelled."""
    try:
        await commands.save_survey(session, assessment_id, body, ctx)
    except commands.InvalidSurvey as error:
        raise as_request_error(error) from error
    await runtime.commit(session)
    return await _one(session, assessment_id)


@router.post("/assessments/{assessment_id}/submit", response_model=AssessmentOut)
async def submit(
    assessment_id: UUID,
    ctx: CommandDep,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> AssessmentOut:
    """Assess under the rule set in force on the survey day; emits NeedAssessed, and RegisteredInNeed
    when the household qualifies for the register. 409 when submitted already or without a survey."""
    await commands.submit(session, runtime.outbox, assessment_id, ctx)
    await runtime.commit(session)
    return await _one(session, assessment_id)
