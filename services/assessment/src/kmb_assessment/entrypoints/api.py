"""Assessment's HTTP API: list a case's assessments and submit the survey."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.actors import current_actor
from kmb_shared.contracts import Actor, HouseholdSnapshot, NeedAssessed
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_shared.service import Runtime, RuntimeDep, SessionDep

from ..adapters.tables import AssessmentRow

router = APIRouter(prefix="/api", tags=["assessments"])


class SurveyIn(BaseModel):
    notes: str | None = Field(default=None, max_length=4000)


class AssessmentOut(BaseModel):
    id: UUID
    case_id: UUID
    case_number: str
    status: str
    result: dict[str, Any] | None = None


def _out(row: AssessmentRow) -> AssessmentOut:
    return AssessmentOut(
        id=row.id,
        case_id=row.case_id,
        case_number=row.case_number,
        status=row.status,
        result=json.loads(row.result) if row.result else None,
    )


def placeholder_rule(household: HouseholdSnapshot) -> str:
    """Foundation placeholder: cost burden over 40 % of income means at risk."""
    costs = household.rent_monthly + household.services_monthly + household.energy_monthly
    if household.income_monthly == 0 or costs > 0.4 * household.income_monthly:
        return "at_risk"
    return "not_in_need"


@router.get("/cases/{case_id}/assessments", response_model=list[AssessmentOut])
async def list_for_case(case_id: UUID, session: AsyncSession = SessionDep) -> list[AssessmentOut]:
    rows = (
        await session.exec(
            select(AssessmentRow)
            .where(AssessmentRow.case_id == case_id)
            .order_by(col(AssessmentRow.created_at))
        )
    ).all()
    return [_out(r) for r in rows]


@router.post("/assessments/{assessment_id}/submit", response_model=AssessmentOut)
async def submit(
    assessment_id: UUID,
    body: SurveyIn,
    actor: Annotated[Actor, Depends(current_actor)],
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> AssessmentOut:
    row = await session.get(AssessmentRow, assessment_id)
    if row is None:
        raise NotFoundError("Šetření", "Assessment")
    if row.status != "pending":
        raise ConflictError(
            "already_submitted", "Šetření už bylo odesláno.", "The assessment was already submitted."
        )
    household = HouseholdSnapshot.model_validate_json(row.household)
    event = NeedAssessed(
        case_id=row.case_id,
        assessment_id=row.id,
        assessed_on=datetime.now(UTC).date(),
        rule_set_version="placeholder-0",
        need_level=placeholder_rule(household),
        household_size=len(household.members),
        district=household.district,
        orp_code=household.orp_code,
        income_monthly=household.income_monthly,
        actor=actor,
    )
    row.status = "submitted"
    row.submitted_at = datetime.now(UTC)
    row.result = event.model_dump_json()
    session.add(row)
    runtime.outbox.stage(session, event)
    await runtime.commit(session)
    return _out(row)
