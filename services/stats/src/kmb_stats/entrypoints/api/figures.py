"""Stats' HTTP API for figures: summary, breakdown, time series and the projection digest.

All figures are unsuppressed: they stay inside the office. What leaves it goes through a report
(``/api/stats/reports``), whose downloads are suppressed. Figures need a statistics role (analyst,
worker, administrator); the digest answers anyone signed in.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import SessionDep

from ...application.deps import StatsDeps
from ...application.figures import breakdown_counts, projection_digest, series_points, summary_figures
from ...domain import DIMENSIONS, FLOW_METRICS, STOCK_METRICS, Filters
from ..access import signed_in, stats_readers
from ..common import BOUNDS, Day, DepsDep, Moment, invalid, require_choice, require_order, require_span

router = APIRouter(prefix="/api/stats", tags=["stats"])

FROM = Query(None, alias="from", description=f"First day of the range (YYYY-MM-DD), inclusive{BOUNDS}")
TO = Query(
    None, alias="to", description=f"Last day of the range (YYYY-MM-DD), inclusive; default today{BOUNDS}"
)
DISTRICT = Query(None, max_length=100, description="Municipal district (městská část / obec)")
METRICS = (*FLOW_METRICS, *STOCK_METRICS)
# the choices require_choice checks (with its own Czech and English message), stated in the schema
Dimension = Annotated[str, Path(json_schema_extra={"enum": list(DIMENSIONS)})]
Metric = Annotated[str, Path(json_schema_extra={"enum": list(METRICS)})]


@router.get("/summary", dependencies=[stats_readers()])
async def get_summary(
    as_of: Day | None = Query(None, description=f"Day on which stocks are counted; default today{BOUNDS}"),
    date_from: Day | None = FROM,
    district: str | None = DISTRICT,
    deps: StatsDeps = DepsDep,
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """Key figures: flows from ``from`` (default: the beginning) to ``as_of``, stocks on ``as_of``.

    ``events_by_type`` counts the stored events of each type dated in that range (whole area)."""
    day = as_of or deps.today()
    require_order(date_from, day)
    figures = await summary_figures(deps, session, day, date_from, district)
    return {
        "as_of": day.isoformat(),
        "from": date_from.isoformat() if date_from else None,
        "district": district,
        **figures,
    }


@router.get("/breakdown/{dimension}", dependencies=[stats_readers()])
async def get_breakdown(
    dimension: Dimension,
    measure: str | None = Query(
        None, max_length=40, description="What is counted (depends on the dimension)"
    ),
    date_from: Day | None = FROM,
    date_to: Day | None = TO,
    district: str | None = DISTRICT,
    deps: StatsDeps = DepsDep,
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """Counts by one dimension; flows within the range, stocks (need, catalogue) on its last day."""
    require_choice("dimension", dimension, DIMENSIONS)
    day = date_to or deps.today()
    require_order(date_from, day)
    try:
        counts = await breakdown_counts(deps, session, dimension, Filters(date_from, day, district), measure)
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
    metric: Metric,
    interval: Literal["week", "month"] = Query("month", description="ISO weeks or calendar months"),
    date_from: Day | None = Query(
        None, alias="from", description=f"First day; default the first dated event{BOUNDS}"
    ),
    date_to: Day | None = Query(
        None, alias="to", description=f"Last day; default the last dated event{BOUNDS}"
    ),
    district: str | None = DISTRICT,
    deps: StatsDeps = DepsDep,
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """A metric per week or month, zeros included; flows counted within, stocks on each last day.

    A weekly series spans at most 5 years, a monthly one 20 (422 ``range_too_long``); an end
    not given gives way to the span (the latest weeks or months up to ``to``, the first from ``from``)."""
    require_choice("metric", metric, METRICS)
    require_order(date_from, date_to)
    require_span(interval, date_from, date_to)
    points = await series_points(deps, session, metric, interval, Filters(date_from, date_to, district))
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
    until: Moment | None = Query(
        None,
        description=f"Only events with event time up to this moment (ISO 8601; without zone: UTC){BOUNDS}",
    ),
    deps: StatsDeps = DepsDep,
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """SHA-256 digest of the projection (all stored events, or those up to ``until``) and their number.

    Two stores built from the same events give the same digest, whatever order the events came in."""
    return await projection_digest(deps, session, until)
