"""Events the catalogue consumes: a need assessed is answered with ranked suggestions.

Deterministic for replay: the stored row's id comes from the consumed event's id and its time is the
event's time; the entries ranked are the ones in force on the assessment date.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from kmb_shared.contracts import IntegrationEvent, NeedAssessed, SolutionsSuggested, Suggestion
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import Runtime

from .adapters import store
from .adapters.tables import SuggestionRow
from .domain import Fit, MatchRequest, match_solutions


def _rejected(fit: Fit) -> dict[str, Any]:
    """An entry ruled out, with what blocks it (shown to the worker, never to the client)."""
    return {
        "solution_id": str(fit.solution.id),
        "kind": fit.solution.kind.value,
        "title": fit.solution.title,
        "blockers": list(fit.blockers),
        "has_free_capacity": fit.has_free_capacity,
    }


def _stored(suggestion: Suggestion, fit: Fit) -> dict[str, Any]:
    """A suggestion as stored for the case: the contract's fields and the fit's warnings, which the
    ``Suggestion`` contract does not carry."""
    return {**suggestion.model_dump(mode="json"), "warnings": list(fit.warnings)}


async def on_need_assessed(event: NeedAssessed, ctx: HandlerContext) -> None:
    suggestion_id = uuid5(NAMESPACE_URL, ctx.meta.id)
    if await store.suggestion_exists(ctx.session, suggestion_id):
        return
    request = MatchRequest.from_need_assessed(event)
    entries = await store.list_solutions(ctx.session, valid_on=event.assessed_on)
    result = match_solutions(request, entries, event.assessed_on)
    suggestions = result.suggestions()
    row = SuggestionRow(
        id=suggestion_id,
        case_id=event.case_id,
        assessment_id=event.assessment_id,
        assessed_on=event.assessed_on,
        need_level=request.need_level.value,
        municipal_stock_exhausted=result.municipal_stock_exhausted,
        suggestions=[_stored(s, f) for s, f in zip(suggestions, result.suggested, strict=True)],
        rejected=[_rejected(f) for f in result.rejected],
        created_at=event.occurred_at,
    )
    store.add_suggestion(ctx.session, row)
    ctx.emit(
        SolutionsSuggested(
            case_id=event.case_id,
            assessment_id=event.assessment_id,
            suggestions=suggestions,
            actor=event.actor,
        )
    )


def handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
    return {NeedAssessed: on_need_assessed}
