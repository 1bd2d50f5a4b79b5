"""Stats' HTTP API."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import SessionDep

from ..adapters.tables import CounterRow
from ..handlers import COUNTERS

router = APIRouter(prefix="/api/stats", tags=["stats"])


@router.get("/summary")
async def summary(session: AsyncSession = SessionDep) -> dict[str, int]:
    values = {name: 0 for name in COUNTERS.values()}
    for row in (await session.exec(select(CounterRow))).all():
        values[row.name] = row.value
    return values
