"""Catalogue's HTTP API: the solutions, and the suggestions made for a case."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.errors import NotFoundError
from kmb_shared.service import Runtime, SessionDep

from ..adapters.tables import SolutionRow, SuggestionRow

router = APIRouter(prefix="/api", tags=["catalogue"])


class SolutionOut(BaseModel):
    id: UUID
    kind: str
    title: str
    provider: str
    need_levels: list[str]
    capacity_total: int | None
    capacity_free: int | None


@router.get("/solutions", response_model=list[SolutionOut])
async def list_solutions(session: AsyncSession = SessionDep) -> list[SolutionOut]:
    rows = (await session.exec(select(SolutionRow).order_by(col(SolutionRow.title)))).all()
    return [SolutionOut(**{**r.model_dump(), "need_levels": json.loads(r.need_levels)}) for r in rows]


@router.get("/cases/{case_id}/suggestions")
async def suggestions_for_case(case_id: UUID, session: AsyncSession = SessionDep) -> dict[str, Any]:
    row = (
        await session.exec(
            select(SuggestionRow)
            .where(SuggestionRow.case_id == case_id)
            .order_by(col(SuggestionRow.created_at).desc())
        )
    ).first()
    if row is None:
        raise NotFoundError("Návrh řešení pro případ", "Suggestions for the case")
    return {
        "case_id": str(case_id),
        "assessment_id": row.assessment_id,
        "suggestions": json.loads(row.payload),
    }


SEED = [
    ("night_shelter", "Noclehárna Naděje", "Naděje, z. s.", ["roofless", "houseless"], 20),
    (
        "housing_assistance",
        "Asistence v bydlení",
        "Sociální odbor",
        ["insecure", "at_risk", "inadequate"],
        None,
    ),
    (
        "housing_allowance",
        "Příspěvek na bydlení",
        "Úřad práce ČR",
        ["at_risk", "insecure", "not_in_need"],
        None,
    ),
]


async def seed_solutions(runtime: Runtime) -> None:
    """A few solutions so a fresh system can suggest something (replaced by the real catalogue)."""
    async with runtime.db.session() as session:
        if (await session.exec(select(SolutionRow))).first() is not None:
            return
        for kind, title, provider, levels, places in SEED:
            session.add(
                SolutionRow(
                    kind=kind,
                    title=title,
                    provider=provider,
                    need_levels=json.dumps(levels),
                    capacity_total=places,
                    capacity_free=places,
                )
            )
        await session.commit()
