"""HTTP API of assessments: read them (workers and auditors), save the survey (§16) and submit
(workers), each only for the cases of the caller's organisation: another organisation's case answers
404, as one that does not exist (as intake does). The signed-in worker is the actor of every event."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from ...application import commands, queries
from ...application.survey import Survey
from ...application.views import AssessmentOut
from ..deps import CommandDep, Deps, ReaderDep, StoreDep, UowDep, as_request_error

router = APIRouter(prefix="/api", tags=["assessments"])


@router.get("/cases/{case_id}/assessments", response_model=list[AssessmentOut])
async def list_for_case(case_id: UUID, principal: ReaderDep, store: StoreDep) -> list[AssessmentOut]:
    """Every assessment of the case, oldest first (reassessments keep the earlier ones); empty for a
    case of another organisation."""
    return await queries.assessments_of_case(store, case_id, principal.organisation)


@router.get("/assessments/{assessment_id}", response_model=AssessmentOut)
async def get_assessment(assessment_id: UUID, principal: ReaderDep, store: StoreDep) -> AssessmentOut:
    """One assessment: the household, the survey, and once submitted the result with its explanation,
    the register entry and binding opinions. 404 for another organisation's case."""
    return await queries.assessment(store, assessment_id, principal.organisation)


@router.put("/assessments/{assessment_id}/survey", response_model=AssessmentOut)
async def save_survey(
    assessment_id: UUID, body: Survey, ctx: CommandDep, uow: UowDep, deps: Deps
) -> AssessmentOut:
    """Save (replace) the survey of a pending assessment. 409 once submitted or cancelled.

    422 (nothing saved) for a date in the future or without a rule set, a dependent-child answer
    (``dependent_children.<index>``) about a member who is not aged 15-25 or does not exist, and a
    flag of ``extra_flags`` that the household contradicts (``implausible_flag``, e.g. a child at
    risk in a household without a minor); each item with the field and the reason in Czech and
    English. 404 for another organisation's case (nothing saved)."""
    try:
        await commands.save_survey(uow, assessment_id, body, ctx, rule_sets=await deps.rulesets.available())
    except (commands.InvalidSurvey, commands.InvalidSurveyFacts) as error:
        raise as_request_error(error) from error
    await uow.commit()
    return await queries.assessment(uow.store, assessment_id, ctx.actor.organisation)


@router.post("/assessments/{assessment_id}/submit", response_model=AssessmentOut)
async def submit(assessment_id: UUID, ctx: CommandDep, uow: UowDep, deps: Deps) -> AssessmentOut:
    """Assess under the rule set in force on the survey day; emits NeedAssessed, and RegisteredInNeed
    when the household qualifies for the register. 409 when submitted already or without a survey.

    422 (nothing stored, nothing emitted) listing every fact that must be established first and is
    not: ``dependent_children.<index>`` (``missing_fact``) for each member aged 15-25 whose
    dependent-child status neither intake nor the survey established (needed from 1 July 2026; never
    guessed), and every vulnerability flag the household contradicts (``implausible_flag``, field
    ``extra_flags``, ``household.vulnerability_flags`` or ``household.members.<index>.flags``); each
    item with the field and the reason in Czech and English. 404 for another organisation's case."""
    try:
        await commands.submit(uow, assessment_id, ctx, rule_sets=await deps.rulesets.available())
    except commands.InvalidSurveyFacts as error:
        raise as_request_error(error) from error
    await uow.commit()
    return await queries.assessment(uow.store, assessment_id, ctx.actor.organisation)
