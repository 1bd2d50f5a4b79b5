"""HTTP API of the suggestions made for a case when its need was assessed."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import Suggestion
from kmb_shared.errors import NotFoundError
from kmb_shared.service import SessionDep

from ..adapters import store
from .access import CaseReader

router = APIRouter(prefix="/api/cases", tags=["catalogue"])


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


@router.get("/{case_id}/suggestions", response_model=CaseSuggestions)
async def suggestions_for_case(
    case_id: UUID, principal: CaseReader, session: AsyncSession = SessionDep
) -> CaseSuggestions:
    """The latest suggestions for the case (404 until its need has been assessed)."""
    row = await store.latest_suggestion(session, case_id)
    if row is None:
        raise NotFoundError("Návrh řešení pro případ", "Suggestions for the case")
    return CaseSuggestions(
        case_id=row.case_id,
        assessment_id=row.assessment_id,
        assessed_on=row.assessed_on,
        need_level=row.need_level,
        suggested_at=store.aware(row.created_at),
        municipal_stock_exhausted=row.municipal_stock_exhausted,
        suggestions=[SuggestedEntry.model_validate(s) for s in row.suggestions],
        rejected=[RejectedEntry.model_validate(r) for r in row.rejected],
    )
