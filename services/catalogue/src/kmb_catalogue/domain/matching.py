"""Matching: which catalogue entries fit a household, in what order, and why (reasons in Czech).

Order: score descending, then solution id ascending, so equal scores always come out the same way.
When the municipal stock has no free unit, the other entries that fit still come, marked as
alternatives: that is the catalogue's main purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from kmb_shared.contracts import Suggestion
from kmb_shared.contracts.vocabulary import NEED_LEVELS
from kmb_shared.formatting import format_money_text

from .eligibility import MatchRequest, check_eligibility, is_unaffordable
from .kinds import (
    KIND_GROUP,
    MUNICIPAL_CATEGORY_LABELS_CS,
    KindGroup,
    SolutionKind,
)
from .match_config import DEFAULT_MATCH_CONFIG, MatchConfig
from .model import Solution

FULL_REASON = "Momentálně bez volného místa."
ALTERNATIVE_REASON = "Obecní byt teď není volný – toto je náhradní řešení."
FAST_HELP_REASON = "Pomůže rychle – odpovídá naléhavosti situace."


@dataclass(frozen=True)
class Fit:
    """One entry judged for one household. ``warnings`` speak against an entry that still fits
    (they are never among the ``reasons``)."""

    solution: Solution
    eligible: bool
    score: float
    reasons: tuple[str, ...]
    blockers: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def has_free_capacity(self) -> bool | None:
        return self.solution.has_free_capacity


@dataclass(frozen=True)
class MatchResult:
    suggested: tuple[Fit, ...]  # ranked, best first
    rejected: tuple[Fit, ...]  # with blockers, ordered by id
    municipal_stock_exhausted: bool

    def suggestions(self, limit: int | None = None) -> tuple[Suggestion, ...]:
        return to_suggestions(self.suggested[:limit] if limit is not None else self.suggested)


def _urgency(request: MatchRequest, config: MatchConfig) -> float:
    from_level = config.urgency.get(request.need_level, 0.0)
    from_priority = min(1.0, max(0, request.priority_score) / config.priority_for_full_urgency)
    return max(from_level, from_priority)


def _relevance_reason(relevance: float, level: str) -> str:
    if relevance >= 0.8:
        return f"Vhodné pro situaci „{level}“."
    if relevance >= 0.5:
        return f"Může pomoci v situaci „{level}“."
    return f"Doplňková možnost v situaci „{level}“."


def _entry_facts(solution: Solution) -> list[str]:
    facts = []
    if solution.municipal_category is not None:
        facts.append(f"Kategorie {MUNICIPAL_CATEGORY_LABELS_CS[solution.municipal_category]}.")
    if solution.guarantee_provider:
        facts.append(f"Nájem garantuje {solution.guarantee_provider}.")
    if solution.rent_monthly is not None:
        facts.append(f"Nájem {format_money_text(solution.rent_monthly)} měsíčně.")
    if solution.capacity is not None and solution.capacity.free > 0:
        facts.append(f"Volná kapacita: {solution.capacity.free} z {solution.capacity.total}.")
    return facts


def assess_fit(
    request: MatchRequest,
    solution: Solution,
    config: MatchConfig = DEFAULT_MATCH_CONFIG,
    *,
    include_full: bool = False,
) -> Fit:
    """Judge one entry (validity aside): eligible or not, its score, the reasons either way and the
    warnings (an unaffordable rent lowers the score by ``config.weight_unaffordable``)."""
    check = check_eligibility(request, solution, config)
    blockers = list(check.blockers)
    full = solution.has_free_capacity is False
    if full and not include_full:
        blockers.append(FULL_REASON)
    relevance = config.relevance_of(request.need_level, solution.kind)
    speed = _urgency(request, config) * config.immediacy.get(solution.kind, 0.0)
    capacity = 0.0 if full else 1.0
    unaffordable = 1.0 if is_unaffordable(request, solution, config) else 0.0
    raw = max(
        0.0,
        config.weight_relevance * relevance
        + config.weight_urgency * speed
        + config.weight_capacity * capacity
        - config.weight_unaffordable * unaffordable,
    )
    reasons = [_relevance_reason(relevance, NEED_LEVELS.label(request.need_level))]
    reasons += check.reasons
    if speed >= config.fast_help_threshold:
        reasons.append(FAST_HELP_REASON)
    reasons += _entry_facts(solution)
    if full:
        reasons.append(FULL_REASON)
    reasons += check.checks
    return Fit(
        solution=solution,
        eligible=not blockers,
        score=round(100 * raw, 2),
        reasons=tuple(reasons),
        blockers=tuple(blockers),
        warnings=tuple(check.warnings),
    )


def _is_alternative(solution: Solution) -> bool:
    return solution.kind is not SolutionKind.MUNICIPAL_FLAT and KIND_GROUP[solution.kind] in (
        KindGroup.HOUSING,
        KindGroup.SHELTER,
    )


def match_solutions(
    request: MatchRequest,
    solutions: Iterable[Solution],
    on: date,
    config: MatchConfig = DEFAULT_MATCH_CONFIG,
    *,
    include_full: bool = False,
) -> MatchResult:
    """Rank the entries valid on ``on`` that fit ``request``; entries that do not fit come back in
    ``rejected`` with their blockers. Full entries are rejected unless ``include_full`` (then they
    rank lower and say they are full)."""
    valid = [s for s in solutions if s.is_valid_on(on)]
    fits = [assess_fit(request, s, config, include_full=include_full) for s in valid]
    # the household would be a candidate for a municipal flat, but none that fits has a free unit
    wants_municipal = config.relevance_of(request.need_level, SolutionKind.MUNICIPAL_FLAT) > 0
    exhausted = wants_municipal and not any(
        f.eligible and f.solution.kind is SolutionKind.MUNICIPAL_FLAT and f.solution.has_free_capacity
        for f in fits
    )
    suggested = []
    for fit in fits:
        if not fit.eligible:
            continue
        if exhausted and _is_alternative(fit.solution):
            fit = replace(fit, reasons=(*fit.reasons, ALTERNATIVE_REASON), blockers=())
        suggested.append(fit)
    suggested.sort(key=lambda f: (-f.score, str(f.solution.id)))
    rejected = sorted((f for f in fits if not f.eligible), key=lambda f: str(f.solution.id))
    return MatchResult(tuple(suggested), tuple(rejected), exhausted)


def to_suggestions(fits: Iterable[Fit]) -> tuple[Suggestion, ...]:
    """Ranked fits as the ``Suggestion`` items of ``SolutionsSuggested`` (rank 1 = best). The
    contract has no warnings; they stay out of ``reasons`` (the service stores them beside)."""
    return tuple(
        Suggestion(
            solution_id=f.solution.id,
            kind=f.solution.kind.value,
            title=f.solution.title,
            rank=rank,
            score=f.score,
            reasons=f.reasons,
            has_free_capacity=f.has_free_capacity,
        )
        for rank, f in enumerate(fits, start=1)
    )


def suggest(
    request: MatchRequest,
    solutions: Iterable[Solution],
    on: date,
    config: MatchConfig = DEFAULT_MATCH_CONFIG,
    *,
    limit: int | None = None,
) -> tuple[Suggestion, ...]:
    """Shortcut: :func:`match_solutions` straight to ranked ``Suggestion`` items."""
    return match_solutions(request, solutions, on, config).suggestions(limit)
