"""A need assessed is answered with ranked suggestions; the worker reads a case's latest ones.

Deterministic for replay: the stored suggestions' id comes from the consumed event's id and their
time is the event's time; the entries ranked are the ones in force on the assessment date.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from kmb_shared.contracts import NeedAssessed, SolutionsSuggested
from kmb_shared.errors import NotFoundError

from ..domain import (
    DEFAULT_MATCH_CONFIG,
    CaseSuggestions,
    MatchConfig,
    MatchRequest,
    RejectedEntry,
    Solution,
    SolutionFilter,
    SuggestedEntry,
    match_solutions,
)
from ..domain.matching import Fit
from .cases import require_case_of
from .ports import UnitOfWork


def suggestion_id_of(event_id: str) -> UUID:
    """The id of the suggestions made for the ``NeedAssessed`` event with this id."""
    return uuid5(NAMESPACE_URL, event_id)


def _rejected(fit: Fit) -> RejectedEntry:
    """An entry ruled out, with what blocks it (shown to the worker, never to the client)."""
    return RejectedEntry(
        solution_id=fit.solution.id,
        kind=fit.solution.kind.value,
        title=fit.solution.title,
        blockers=list(fit.blockers),
        has_free_capacity=fit.has_free_capacity,
    )


async def answer_need_assessed(
    uow: UnitOfWork, event: NeedAssessed, event_id: str, config: MatchConfig = DEFAULT_MATCH_CONFIG
) -> None:
    """Rank the entries in force on the assessment day for the household, keep the result for the
    case and stage ``SolutionsSuggested`` (the caller's transaction commits it with the inbox row).
    A redelivered event changes nothing."""
    suggestion_id = suggestion_id_of(event_id)
    if await uow.suggestions.exists(suggestion_id):
        return
    request = MatchRequest.from_need_assessed(event)
    entries = await uow.solutions.search(SolutionFilter(valid_on=event.assessed_on))
    result = match_solutions(request, entries, event.assessed_on, config)
    suggestions = result.suggestions()
    kept = CaseSuggestions(
        case_id=event.case_id,
        assessment_id=event.assessment_id,
        assessed_on=event.assessed_on,
        need_level=request.need_level.value,
        suggested_at=event.occurred_at,
        municipal_stock_exhausted=result.municipal_stock_exhausted,
        # the warnings of each fit are kept for the worker; the Suggestion contract does not carry them
        suggestions=[
            SuggestedEntry(**s.model_dump(), warnings=f.warnings)
            for s, f in zip(suggestions, result.suggested, strict=True)
        ],
        rejected=[_rejected(f) for f in result.rejected],
    )
    uow.suggestions.add(suggestion_id, kept, event.actor.organisation)
    uow.stage(
        SolutionsSuggested(
            case_id=event.case_id,
            assessment_id=event.assessment_id,
            suggestions=suggestions,
            actor=event.actor,
        )
    )


async def find_case_suggestions(uow: UnitOfWork, case_id: UUID, organisation: str) -> CaseSuggestions | None:
    """The latest suggestions for the case, or None until its need has been assessed (for a user of
    ``organisation``: another organisation's case is not found, see :mod:`.cases`)."""
    await require_case_of(uow, case_id, organisation)
    return await uow.suggestions.latest(case_id, organisation)


async def case_suggestions(uow: UnitOfWork, case_id: UUID, organisation: str) -> CaseSuggestions:
    """The latest suggestions for the case (404 until its need has been assessed, and for another
    organisation's case)."""
    found = await find_case_suggestions(uow, case_id, organisation)
    if found is None:
        raise NotFoundError("Návrh řešení pro případ", "Suggestions for the case")
    return found


async def suggested_entries(uow: UnitOfWork, suggestions: CaseSuggestions) -> dict[UUID, Solution]:
    """The entries named by the suggestions and the rejected ones, as they stand now."""
    ids = [s.solution_id for s in suggestions.suggestions] + [r.solution_id for r in suggestions.rejected]
    return await uow.solutions.by_ids(ids)
