"""Stats' HTTP API for figures: summary, breakdown, time series and the projection digest.

All figures are unsuppressed: they stay inside the office. What leaves it goes through a report
(``/api/stats/reports``), whose downloads are suppressed. Figures need a statistics role (analyst,
worker, administrator); the digest answers anyone signed in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

from fastapi import APIRouter, Query
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import Runtime, RuntimeDep, SessionDep

from ..adapters.events import as_utc, counts_by_type
from ..adapters.projections import live_cache, projection_before
from ..clock import day_end, day_start, office_today
from ..domain import DIMENSIONS, FLOW_METRICS, STOCK_METRICS, Filters, breakdown, summary, time_series
from .access import signed_in, stats_readers
from .common import invalid, projection_as_of, require_choice, require_order

router = APIRouter(prefix="/api/stats", tags=["stats"])

FROM = Query(None, alias="from", description="First day of the range (YYYY-MM-DD), inclusive")
TO = Query(None, alias="to", description="Last day of the range (YYYY-MM-DD), inclusive; default today")
DISTRICT = Query(None, max_length=100, description="Municipal district (městská část / obec)")


@router.get("/summary", dependencies=[stats_readers()])
async def get_summary(
    as_of: date | None = Query(None, description="Day on which stocks are counted; default today"),
    date_from: date | None = FROM,
    district: str | None = DISTRICT,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """Key figures: flows from ``from`` (default: the beginning) to ``as_of``, stocks on ``as_of``.

    ``events_by_type`` counts the stored events of each type dated in that range (whole area)."""
    day = as_of or office_today()
    require_order(date_from, day)
    projection = await projection_as_of(runtime, session, day)
    figures = summary(projection.state, day, date_from=date_from, district=district)
    since = day_start(date_from) if date_from else None
    by_type = await counts_by_type(session, since=since, before=day_end(day))
    return {
        "as_of": day.isoformat(),
        "from": date_from.isoformat() if date_from else None,
        "district": district,
        **figures,
        "events_by_type": by_type,
        "events": sum(by_type.values()),
    }


@router.get("/breakdown/{dimension}", dependencies=[stats_readers()])
async def get_breakdown(
    dimension: str,
    measure: str | None = Query(
        None, max_length=40, description="What is counted (depends on the dimension)"
    ),
    date_from: date | None = FROM,
    date_to: date | None = TO,
    district: str | None = DISTRICT,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """Counts by one dimension; flows within the range, stocks (need, catalogue) on its last day."""
    require_choice("dimension", dimension, DIMENSIONS)
    day = date_to or office_today()
    require_order(date_from, day)
    projection = await projection_as_of(runtime, session, day)
    try:
        counts = breakdown(projection.state, dimension, Filters(date_from, day, district), measure)
    except ValueError:
        invalid(
            "measure",
            "measure_not_applicable",
            f"Ukazatel {measure!r} nelze použít pro členění {dimension!r}.",
            f"The measure {measure!r} does not apply to the dimension {dimension!r}.",
        )
    return {
        "dimension": dimension,
        "measure": measure,
        "from": date_from.isoformat() if date_from else None,
        "to": day.isoformat(),
        "district": district,
        "counts": counts,
    }


@router.get("/series/{metric}", dependencies=[stats_readers()])
async def get_series(
    metric: str,
    interval: Literal["week", "month"] = Query("month", description="ISO weeks or calendar months"),
    date_from: date | None = FROM,
    date_to: date | None = Query(None, alias="to", description="Last day; default the last dated event"),
    district: str | None = DISTRICT,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """A metric per week or month, zeros included; flows counted within, stocks on each last day."""
    require_choice("metric", metric, (*FLOW_METRICS, *STOCK_METRICS))
    require_order(date_from, date_to)
    projection = await projection_as_of(runtime, session, date_to)
    points = time_series(projection.state, metric, interval, Filters(date_from, date_to, district))
    return {
        "metric": metric,
        "interval": interval,
        "from": date_from.isoformat() if date_from else None,
        "to": date_to.isoformat() if date_to else None,
        "district": district,
        "points": [{"period": label, "value": value} for label, value in points],
    }


@router.get("/digest", dependencies=[signed_in()])
async def get_digest(
    until: datetime | None = Query(
        None, description="Only events with event time up to this moment (ISO 8601; without zone: UTC)"
    ),
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """SHA-256 digest of the projection (all stored events, or those up to ``until``) and their number.

    Two stores built from the same events give the same digest, whatever order the events came in."""
    if until is None:
        cache = live_cache(runtime)
        projection = await cache.current(session)
        return {"digest": projection.digest(), "events": cache.events, "until": None}
    moment = as_utc(until)
    projection = await projection_before(session, moment + timedelta(microseconds=1))
    events = len(projection.state["seen"])
    return {"digest": projection.digest(), "events": events, "until": moment.isoformat()}
