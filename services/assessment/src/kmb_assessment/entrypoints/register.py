"""HTTP API of the register of people in need (signed-in readers), the rule sets and the survey's
code lists (reference data without personal data: open)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import SessionDep

from ..adapters.assessments import opinions_for
from ..adapters.register import register_entries
from ..adapters.tables import RegisterStatus
from ..config import AssessmentSettings
from ..domain import RuleSetError, load_rule_sets, rule_set_for
from ..survey import DOCUMENTS, MISSING_FACTS, dwelling_kinds, legal_titles, vulnerability_flags
from .deps import ReaderDep, settings_of
from .schemas import CodeOut, RegistrationOut, RuleSetOut, SurveyCodesOut

router = APIRouter(prefix="/api", tags=["register"])


@router.get("/register", response_model=list[RegistrationOut])
async def register(
    _: ReaderDep,
    status: Annotated[
        RegisterStatus | None,
        Query(description="active (valid), due (for reassessment), expired or superseded; all if empty"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    session: AsyncSession = SessionDep,
) -> list[RegistrationOut]:
    """Entries of the register of people in need, highest priority first (workers, auditors and
    administrators)."""
    rows = await register_entries(session, status, limit=limit, offset=offset)
    opinions = await opinions_for(session, [row.assessment_id for row in rows])
    return [RegistrationOut.of(row, opinions.get(row.assessment_id, ())) for row in rows]


@router.get("/rule-sets", response_model=list[RuleSetOut], tags=["rule sets"])
async def rule_sets(
    settings: Annotated[AssessmentSettings, Depends(settings_of)],
) -> list[RuleSetOut]:
    """The shipped rule sets of the assessment, oldest first, and which one is in force today."""
    shipped = load_rule_sets()
    try:
        in_force = rule_set_for(settings.today(), shipped)
    except RuleSetError:
        in_force = None
    return [RuleSetOut.of(rules, in_force) for rules in shipped]


def _codes(codes: dict[str, str]) -> list[CodeOut]:
    return [CodeOut(code=code, label=label) for code, label in codes.items()]


@router.get("/survey-codes", response_model=SurveyCodesOut, tags=["assessments"])
async def survey_codes() -> SurveyCodesOut:
    """The codes the survey accepts, with Czech labels."""
    return SurveyCodesOut(
        dwelling_kinds=_codes(dwelling_kinds()),
        legal_titles=_codes(legal_titles()),
        vulnerability_flags=_codes(vulnerability_flags()),
        missing_facts=_codes(MISSING_FACTS),
        checked_documents=_codes(DOCUMENTS),
    )
