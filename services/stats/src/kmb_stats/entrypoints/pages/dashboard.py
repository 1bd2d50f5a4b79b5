"""The statistics dashboard: key figures, need by ETHOS category and by district, the trend and referral
outcomes for a chosen period (charts with their tables), and downloads of the current reports.

Internal and unsuppressed (it stays inside the office); the downloads are suppressed."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse

from ...application.documents import drawn_charts
from ...application.reports import FORMATS, draft_report, period_problem
from ...domain import Period
from ...domain.choices import current_periods, known_districts, period_options
from .figures_page import FiguresPage
from .web import render

router = APIRouter(include_in_schema=False)


def draft_links(period: Period, district: str | None) -> dict[str, str]:
    """Download addresses of a period's suppressed report as it stands now."""
    query = f"?{urlencode({'district': district})}" if district else ""
    return {fmt: f"/api/stats/reports/live/{period.code}.{fmt}{query}" for fmt in FORMATS if fmt != "json"}


def downloads(today: date, district: str | None) -> list[dict[str, Any]]:
    return [{"period": period, "links": draft_links(period, district)} for period in current_periods(today)]


@router.get("/", response_class=RedirectResponse)
async def home() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    page: FiguresPage,
    period: str | None = Query(None, max_length=10, description="2026, 2026-Q1 or 2026-03"),
    district: str | None = Query(None, max_length=100),
) -> HTMLResponse:
    """A period (default: this year so far) from every event received, unsuppressed."""
    request, deps, session = page.request, page.deps, page.session
    today = deps.today()
    chosen = Period(today.year, "year")
    errors: dict[str, str] = {}
    if period:
        problem = period_problem(period, today)
        if problem is None:
            chosen = Period.parse(period)
        else:
            errors["period"] = problem[1]
    district = (district or "").strip() or None
    report, until = await draft_report(deps, session, chosen, district, suppress=False)
    projection = await deps.projections.current(session)
    return render(
        request,
        "dashboard.html",
        status_code=422 if errors else 200,
        title=f"Statistika – {chosen.label}",
        report=report,
        as_of=until or chosen.end,
        events=deps.projections.events,
        figures=report.table("summary").rows,
        charts=await drawn_charts(report),
        period_groups=period_options(today),
        chosen=chosen.code,
        districts=known_districts(projection.state, until or chosen.end),
        district=district,
        errors=errors,
        downloads=downloads(today, district),
    )
