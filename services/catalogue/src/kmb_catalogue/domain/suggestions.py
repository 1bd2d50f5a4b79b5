"""The suggestions made for a case when its need was assessed, as the catalogue keeps and shows them,
and an allocation: which case holds a unit or place of an entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from kmb_shared.contracts import Suggestion

from .eligibility import MatchRequest


@dataclass(frozen=True)
class Allocation:
    """A unit or place of an entry held by a case; ``organisation`` is that of the worker who took it
    (the allocation belongs to the case's organisation once intake has said which that is)."""

    solution_id: UUID
    case_id: UUID
    allocated_at: datetime
    organisation: str


class SuggestedEntry(Suggestion):
    """A ranked suggestion as the worker sees it: the contract's fields and the warnings."""

    warnings: tuple[str, ...] = Field(
        default=(), description="What speaks against the entry, e.g. an unaffordable rent (Czech)"
    )


class RejectedEntry(BaseModel):
    solution_id: UUID
    kind: str
    title: str
    blockers: list[str] = Field(description="Why the entry does not fit (Czech)")
    has_free_capacity: bool | None = None


class RemovedSuggestion(BaseModel):
    solution_id: UUID
    title: str


class CaseSuggestions(BaseModel):
    case_id: UUID
    assessment_id: UUID | None
    assessed_on: date
    need_level: str
    suggested_at: datetime
    municipal_stock_exhausted: bool = Field(
        description="No fitting municipal flat is free; the other entries come as alternatives"
    )
    suggestions: list[SuggestedEntry] = Field(
        description="Ranked, best first, with reasons and warnings in Czech"
    )
    rejected: list[RejectedEntry] = Field(description="Entries ruled out, with their blockers")
    request: MatchRequest | None = Field(
        default=None, exclude=True, description="The household as matched (kept to recompute; not shown)"
    )
    recomputed_at: datetime | None = Field(default=None, description="When last recomputed, if ever")
    recompute_cause: str | None = Field(
        default=None, description="new_entry, capacity_freed or on_demand (what made the recomputation)"
    )
    recompute_cause_label: str | None = Field(default=None, description="The cause in Czech")
    new_solution_ids: list[UUID] = Field(
        default=[], description="Suggested now and not before the recomputation"
    )
    removed: list[RemovedSuggestion] = Field(default=[], description="Suggested before and no longer")


#: why suggestions were recomputed, in Czech
RECOMPUTE_CAUSES = {
    "new_entry": "nový záznam v katalogu",
    "capacity_freed": "uvolněné místo v katalogu",
    "on_demand": "přepočet na žádost pracovníka",
}


def what_changed(
    before: CaseSuggestions, after: CaseSuggestions
) -> tuple[list[UUID], list[RemovedSuggestion]]:
    """The entries suggested after and not before, and those suggested before and no longer."""
    old = {s.solution_id for s in before.suggestions}
    new = {s.solution_id for s in after.suggestions}
    added = [s.solution_id for s in after.suggestions if s.solution_id not in old]
    removed = [
        RemovedSuggestion(solution_id=s.solution_id, title=s.title)
        for s in before.suggestions
        if s.solution_id not in new
    ]
    return added, removed
