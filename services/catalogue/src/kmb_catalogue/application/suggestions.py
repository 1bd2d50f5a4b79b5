"""A need assessed is answered with ranked suggestions; the worker reads a case's latest ones.

Deterministic for replay: the stored suggestions' id comes from the consumed event's id and their
time is the event's time; the entries ranked are the ones in force on the assessment date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from kmb_shared.clock import prague_today
from kmb_shared.contracts import NeedAssessed, SolutionsSuggested, Suggestion
from kmb_shared.errors import ConflictError, NotFoundError

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
from ..domain.suggestions import RECOMPUTE_CAUSES, what_changed
from .cases import require_case_of
from .ports import UnitOfWork


def utcnow() -> datetime:
    return datetime.now(UTC)


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


def _ranked(
    request: MatchRequest,
    entries: list[Solution],
    on: date,
    config: MatchConfig,
) -> tuple[dict[str, Any], tuple[Suggestion, ...]]:
    """The entries ranked for the household on ``on``: the fields of :class:`CaseSuggestions` they set,
    and the contract's suggestions."""
    result = match_solutions(request, entries, on, config)
    suggestions = result.suggestions()
    ranked: dict[str, Any] = {
        "municipal_stock_exhausted": result.municipal_stock_exhausted,
        # the warnings of each fit are kept for the worker; the Suggestion contract does not carry them
        "suggestions": [
            SuggestedEntry(**s.model_dump(), warnings=f.warnings)
            for s, f in zip(suggestions, result.suggested, strict=True)
        ],
        "rejected": [_rejected(f) for f in result.rejected],
        "request": request,
    }
    return ranked, suggestions


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
    ranked, suggestions = _ranked(request, entries, event.assessed_on, config)
    kept = CaseSuggestions(
        **ranked,
        case_id=event.case_id,
        assessment_id=event.assessment_id,
        assessed_on=event.assessed_on,
        need_level=request.need_level.value,
        suggested_at=event.occurred_at,
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


async def recompute_suggestions(
    uow: UnitOfWork,
    cause: str,
    *,
    on: date | None = None,
    case_id: UUID | None = None,
    config: MatchConfig = DEFAULT_MATCH_CONFIG,
) -> int:
    """Rank the entries in force ``on`` (today in Prague) again for every case's latest suggestions (or
    one case's) kept with its household, marking what is new and what is no longer suggested; a
    change of the catalogue (``new_entry``, ``capacity_freed``) touches only cases whose suggestions
    change, ``on_demand`` always records the recomputation. The caller commits; how many changed."""
    on = on or prague_today()
    entries = await uow.solutions.search(SolutionFilter(valid_on=on))
    changed = 0
    for suggestion_id, current in await uow.suggestions.recomputable(case_id):
        assert current.request is not None
        fields, _ = _ranked(current.request, entries, on, config)
        ranked = current.model_copy(update=fields)
        added, removed = what_changed(current, ranked)
        if cause != "on_demand" and not added and not removed:
            continue
        marks = {
            "recomputed_at": utcnow(),
            "recompute_cause": cause,
            "recompute_cause_label": RECOMPUTE_CAUSES[cause],
        }
        uow.suggestions.replace(
            suggestion_id, ranked.model_copy(update={**marks, "new_solution_ids": added, "removed": removed})
        )
        changed += 1
    return changed


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
    """The entries named by the suggestions, the rejected ones and those no longer suggested, as they
    stand now."""
    ids = [s.solution_id for s in suggestions.suggestions] + [r.solution_id for r in suggestions.rejected]
    ids += [r.solution_id for r in suggestions.removed]
    return await uow.solutions.by_ids(ids)


async def recompute_case(uow: UnitOfWork, case_id: UUID, organisation: str) -> CaseSuggestions:
    """The worker's button: the case's suggestions ranked again against the catalogue of today, with
    what is new and what is gone marked (404 as :func:`case_suggestions`; 409 for suggestions made
    before the household was kept with them, which only a new assessment can recompute)."""
    await case_suggestions(uow, case_id, organisation)
    if not await recompute_suggestions(uow, "on_demand", case_id=case_id):
        raise ConflictError(
            "not_recomputable",
            "Tyto návrhy nelze přepočítat: vznikly dříve, než se k nim ukládaly údaje pro přepočet. "
            "Přepočítá je nové posouzení.",
            "These suggestions cannot be recomputed (made before the household was kept with them); "
            "a new assessment will.",
        )
    await uow.commit()
    return await case_suggestions(uow, case_id, organisation)
