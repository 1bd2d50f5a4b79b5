"""HTTP API of the register of people in need (signed-in readers), the rule sets and the survey's
code lists (reference data without personal data: open)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from kmb_shared.contracts.vocabulary import NeedLevel
from kmb_shared.web.params import Offset, limit_query

from ...application import queries, reference
from ...application.views import RegisterStatus, RegistrationOut, RuleSetOut, SurveyCodesOut
from ...domain.register import RegisterFilter
from ..deps import Deps, ReaderDep, StoreDep

router = APIRouter(prefix="/api", tags=["register"])


@router.get("/register", response_model=list[RegistrationOut])
async def register(
    principal: ReaderDep,
    store: StoreDep,
    status: Annotated[
        RegisterStatus | None,
        Query(description="active (valid), due (for reassessment), expired or superseded; all if empty"),
    ] = None,
    need_level: Annotated[
        list[NeedLevel] | None,
        Query(description="Only these need levels (repeat the parameter); all if empty"),
    ] = None,
    valid_until_to: Annotated[
        date | None, Query(description="Only entries valid at most until this day (about to expire)")
    ] = None,
    case_number: Annotated[
        str | None, Query(max_length=30, description="Part of the case number, e.g. 00042")
    ] = None,
    priority_from: Annotated[
        int | None, Query(ge=0, le=10_000, description="At least this priority score")
    ] = None,
    limit: Annotated[int, limit_query(500, "entries")] = 100,
    offset: Offset = 0,
) -> list[RegistrationOut]:
    """Entries of the register of people in need of the caller's organisation that pass the filters,
    highest priority first (workers and auditors), each with the size of the household assessed."""
    where = RegisterFilter(
        need_levels=tuple(level.value for level in need_level or ()),
        valid_until_to=valid_until_to,
        case_number=(case_number or "").strip() or None,
        priority_from=priority_from,
    )
    return await queries.register_entries(
        store, status, organisation=principal.organisation, limit=limit, offset=offset, where=where
    )


@router.get("/rule-sets", response_model=list[RuleSetOut], tags=["rule sets"])
async def rule_sets(deps: Deps) -> list[RuleSetOut]:
    """The rule sets in use (shipped and activated by a rules editor), oldest first, and which one is
    in force today."""
    return reference.rule_sets(deps.clock.today(), await deps.rulesets.available())


@router.get("/survey-codes", response_model=SurveyCodesOut, tags=["assessments"])
async def survey_codes() -> SurveyCodesOut:
    """The codes the survey accepts, with Czech labels."""
    return reference.survey_codes()
