"""The worker's page of a case's suggestions: the ranked entries with their reasons and warnings,
free capacity as it is now and the provider's contacts; the entries ruled out with their blockers (collapsed); links
to refer the case to a partner, to print the leaflet, and back to the case."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kmb_shared.contracts.vocabulary import NEED_LEVELS
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_shared.web.pages import see_other

from ...application import suggestions as app_suggestions
from ..deps import Uow
from .common import WorkerPage, message_page, render

router = APIRouter(include_in_schema=False)


def need_level_label(code: str) -> str:
    return NEED_LEVELS.label(code)


@router.get("/cases/{case_id}/suggestions", response_class=HTMLResponse)
async def case_suggestions(case_id: UUID, request: Request, principal: WorkerPage, uow: Uow) -> HTMLResponse:
    """The latest suggestions for the case, or a note that its need has not been assessed yet (another
    organisation's case: the 404 page)."""
    try:
        found = await app_suggestions.find_case_suggestions(uow, case_id, principal.organisation)
    except NotFoundError:
        text = "Případ neexistuje, nebo patří jiné organizaci. Mohl být zadán špatný odkaz."
        return message_page(request, 404, "Případ nenalezen", text, back="/catalogue")
    if found is None:
        return render(request, "suggestions.html", title="Návrhy řešení", case_id=case_id, result=None)
    entries = await app_suggestions.suggested_entries(uow, found)
    removed = [(r, entries.get(r.solution_id)) for r in found.removed]
    return render(
        request,
        "suggestions.html",
        title="Návrhy řešení",
        case_id=case_id,
        result=found,
        need_level=need_level_label(found.need_level),
        suggestions=[(s, entries.get(s.solution_id)) for s in found.suggestions],
        rejected=[(r, entries.get(r.solution_id)) for r in found.rejected],
        new_ids={str(i) for i in found.new_solution_ids},
        removed=removed,
        problem=request.query_params.get("problem"),
    )


@router.post("/cases/{case_id}/suggestions/recompute", response_model=None)
async def recompute(case_id: UUID, request: Request, principal: WorkerPage, uow: Uow) -> Response:
    """The button "Přepočítat návrhy": the same as the API, back to the page with what changed marked."""
    try:
        await app_suggestions.recompute_case(uow, case_id, principal.organisation)
    except NotFoundError:
        text = "Případ neexistuje, nebo patří jiné organizaci, nebo ještě nemá návrhy."
        return message_page(request, 404, "Návrhy nenalezeny", text, back="/catalogue")
    except ConflictError:
        return see_other(f"/cases/{case_id}/suggestions?problem=not_recomputable")
    return see_other(f"/cases/{case_id}/suggestions")
