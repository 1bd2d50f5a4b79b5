"""Events of the catalogue context (solutions, capacity, suggestions)."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from .base import CaseEvent, Contract, IntegrationEvent
from .registry import event


class Suggestion(Contract):
    solution_id: UUID
    kind: str
    title: str
    rank: int = Field(ge=1)
    score: float
    reasons: tuple[str, ...] = ()
    has_free_capacity: bool | None = None


@event("kmb.catalogue.solutions_suggested.v1")
class SolutionsSuggested(CaseEvent):
    assessment_id: UUID | None = None
    suggestions: tuple[Suggestion, ...]


class SolutionEvent(IntegrationEvent):
    subject_field = "solution_id"
    solution_id: UUID


@event("kmb.catalogue.solution_published.v1")
class SolutionPublished(SolutionEvent):
    kind: str
    title: str
    provider: str
    capacity_total: int | None = None
    capacity_free: int | None = None


@event("kmb.catalogue.solution_changed.v1")
class SolutionChanged(SolutionEvent):
    kind: str
    title: str
    provider: str
    version: int = 1


@event("kmb.catalogue.solution_withdrawn.v1")
class SolutionWithdrawn(SolutionEvent):
    reason: str | None = None


@event("kmb.catalogue.capacity_changed.v1")
class CapacityChanged(SolutionEvent):
    kind: str
    capacity_total: int = Field(ge=0)
    capacity_free: int = Field(ge=0)
    case_id: UUID | None = Field(default=None, description="The case a unit was allocated to or freed by")
