"""The worker's page of a case's suggestions: the ranked entries with their reasons and warnings,
free capacity as it is now and the provider's contacts; the entries ruled out with their blockers (collapsed); links
to refer the case to a partner, to print the leaflet, and back to the case."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import SessionDep

from ..adapters import store
from ..domain import NeedLevel
from ..domain.kinds import NEED_LEVEL_LABELS_CS
from ..entrypoints.suggestions import RejectedEntry, SuggestedEntry
from .common import WorkerPage, render

router = APIRouter(include_in_schema=False)


def need_level_label(code: str) -> str:
    try:
        return NEED_LEVEL_LABELS_CS[NeedLevel(code)]
    except ValueError:
        return code


@router.get("/cases/{case_id}/suggestions", response_class=HTMLResponse)
async def case_suggestions(
    case_id: UUID, request: Request, principal: WorkerPage, session: AsyncSession = SessionDep
) -> HTMLResponse:
    """The latest suggestions for the case, or a note that its need has not been assessed yet."""
    row = await store.latest_suggestion(session, case_id)
    if row is None:
        return render(request, "suggestions.html", title="Návrhy řešení", case_id=case_id, result=None)
    suggestions = [SuggestedEntry.model_validate(s) for s in row.suggestions]
    rejected = [RejectedEntry.model_validate(r) for r in row.rejected]
    entries = await store.solutions_by_id(
        session, [s.solution_id for s in suggestions] + [r.solution_id for r in rejected]
    )
    return render(
        request,
        "suggestions.html",
        title="Návrhy řešení",
        case_id=case_id,
        result=row,
        need_level=need_level_label(row.need_level),
        suggestions=[(s, entries.get(s.solution_id)) for s in suggestions],
        rejected=[(r, entries.get(r.solution_id)) for r in rejected],
    )
