"""HTTP API of the suggestions made for a case when its need was assessed."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from ...application import suggestions as app_suggestions
from ...domain import CaseSuggestions
from ..deps import Uow
from .access import CaseReader

router = APIRouter(prefix="/api/cases", tags=["catalogue"])


@router.get("/{case_id}/suggestions", response_model=CaseSuggestions)
async def suggestions_for_case(case_id: UUID, principal: CaseReader, uow: Uow) -> CaseSuggestions:
    """The latest suggestions for the case (404 until its need has been assessed, and for another
    organisation's case)."""
    return await app_suggestions.case_suggestions(uow, case_id, principal.organisation)


@router.post("/{case_id}/suggestions/recompute", response_model=CaseSuggestions)
async def recompute(case_id: UUID, principal: CaseReader, uow: Uow) -> CaseSuggestions:
    """Rank the case's suggestions again against today's catalogue; the answer marks the entries new
    since the last ranking (``new_solution_ids``) and those no longer suggested (``removed``). 404 as
    the suggestions; 409 ``not_recomputable`` for suggestions made before recomputation existed."""
    return await app_suggestions.recompute_case(uow, case_id, principal.organisation)
