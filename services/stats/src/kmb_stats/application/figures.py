"""Figures for the API: key figures with the stored events by type, breakdowns, series and the
projection's digest. Each is computed in a worker thread (see :mod:`kmb_stats.application.live`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.clock import as_utc, day_end, day_start

from ..adapters.events import counts_by_type
from ..domain import Filters, State, breakdown, digest, summary, time_series
from .deps import StatsDeps
from .live import compute_as_of, projection_before

T = TypeVar("T")


async def on_state(deps: StatsDeps, session: AsyncSession, day: date | None, work: Callable[[State], T]) -> T:
    """``work`` over the state to answer for ``day`` (live for today, later or no day; as it stood then
    otherwise), in a worker thread."""
    return await compute_as_of(deps.projections, session, day, deps.today(), work)


async def summary_figures(
    deps: StatsDeps, session: AsyncSession, day: date, date_from: date | None, district: str | None
) -> dict[str, Any]:
    """Flows from ``date_from`` to ``day``, stocks on ``day``, and the stored events of each type
    dated in that range (whole area)."""
    figures = await on_state(
        deps, session, day, lambda state: summary(state, day, date_from=date_from, district=district)
    )
    since = day_start(date_from) if date_from else None
    by_type = await counts_by_type(session, since=since, before=day_end(day))
    return {**figures, "events_by_type": by_type, "events": sum(by_type.values())}


async def breakdown_counts(
    deps: StatsDeps, session: AsyncSession, dimension: str, filters: Filters, measure: str | None
) -> dict[str, int]:
    """Counts by ``dimension`` (flows within the range, stocks on its last day); ValueError for a
    measure that does not apply to it."""
    return await on_state(
        deps, session, filters.date_to, lambda state: breakdown(state, dimension, filters, measure)
    )


async def series_points(
    deps: StatsDeps, session: AsyncSession, metric: str, interval: str, filters: Filters
) -> list[tuple[str, int]]:
    """A metric per week or month (see :func:`kmb_stats.domain.time_series`)."""
    return await on_state(
        deps, session, filters.date_to, lambda state: time_series(state, metric, interval, filters)
    )


async def projection_digest(deps: StatsDeps, session: AsyncSession, until: datetime | None) -> dict[str, Any]:
    """SHA-256 digest of the projection (all stored events, or those up to ``until``) and their number."""
    if until is None:
        cache = deps.projections
        found = await cache.compute(session, _digest_and_count)
        return {**found, "until": None}
    moment = as_utc(until)
    projection = await projection_before(session, moment + timedelta(microseconds=1))
    found = await asyncio.to_thread(_digest_and_count, projection.state)
    return {**found, "until": moment.isoformat()}


def _digest_and_count(state: State) -> dict[str, Any]:
    return {"digest": digest(state), "events": len(state["seen"])}
