"""Figures for the API: key figures with the stored events by type, and the projection's digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.clock import as_utc, day_end, day_start

from ..adapters.events import counts_by_type
from ..domain import summary
from .deps import StatsDeps
from .live import projection_as_of, projection_before
from .projection import Projection


async def projection_for(deps: StatsDeps, session: AsyncSession, day: date | None) -> Projection:
    """The projection to answer for ``day`` (live for today or later, as it stood then otherwise)."""
    return await projection_as_of(deps.projections, session, day, deps.today())


async def summary_figures(
    deps: StatsDeps, session: AsyncSession, day: date, date_from: date | None, district: str | None
) -> dict[str, Any]:
    """Flows from ``date_from`` to ``day``, stocks on ``day``, and the stored events of each type
    dated in that range (whole area)."""
    projection = await projection_for(deps, session, day)
    figures = summary(projection.state, day, date_from=date_from, district=district)
    since = day_start(date_from) if date_from else None
    by_type = await counts_by_type(session, since=since, before=day_end(day))
    return {**figures, "events_by_type": by_type, "events": sum(by_type.values())}


async def projection_digest(deps: StatsDeps, session: AsyncSession, until: datetime | None) -> dict[str, Any]:
    """SHA-256 digest of the projection (all stored events, or those up to ``until``) and their number."""
    if until is None:
        cache = deps.projections
        projection = await cache.current(session)
        return {"digest": projection.digest(), "events": cache.events, "until": None}
    moment = as_utc(until)
    projection = await projection_before(session, moment + timedelta(microseconds=1))
    events = len(projection.state["seen"])
    return {"digest": projection.digest(), "events": events, "until": moment.isoformat()}
