"""The suggestions made for a case when its need was assessed, as the catalogue keeps and shows them,
and an allocation: which case holds a unit or place of an entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from kmb_shared.contracts import Suggestion


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
