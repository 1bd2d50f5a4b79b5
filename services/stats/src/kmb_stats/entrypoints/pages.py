"""Stats' pages, rendered on the server in Czech: the dashboard, the list of reports and a printable report.

The printable page shows the suppressed report (it is what gets printed and handed out); with
``?interni=1`` it shows the unsuppressed one for use inside the office. The dashboard is internal.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import Runtime, RuntimeDep, SessionDep

from ..adapters.projections import live_cache
from ..adapters.reports import issued_report, issued_reports
from ..clock import TIMEZONE, office_today
from ..domain import Period, build_report
from ..domain.render import czech_date
from ..report_codec import report_from_dict
from .charts import report_charts
from .reports_api import describe

router = APIRouter(tags=["pages"])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


def _czech_moment(value: str | datetime) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment.astimezone(ZoneInfo(TIMEZONE))
    return f"{czech_date(local)} {local:%H:%M}"


@cache
def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("kmb_stats", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = _cell
    env.filters["czech_date"] = czech_date
    env.filters["czech_moment"] = _czech_moment
    return env


def page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(templates().get_template(name).render(**context), status_code=status_code)


def _missing() -> HTMLResponse:
    return page("missing.html", status_code=404, what="Výkaz nebyl nalezen.")


@router.get("/reports", response_class=HTMLResponse)
async def reports_page(session: AsyncSession = SessionDep) -> HTMLResponse:
    """Issued reports with links to the printable page and the downloads."""
    return page("reports.html", reports=[describe(row) for row in await issued_reports(session)])


@router.get("/reports/{report_id}", response_class=HTMLResponse)
async def report_page(
    report_id: str,
    internal: bool = Query(False, alias="interni", description="Unsuppressed version for the office"),
    session: AsyncSession = SessionDep,
) -> HTMLResponse:
    """The printable report: charts (SVG) and every table, suppressed unless ``interni=1``."""
    row = await issued_report(session, report_id)
    if row is None:
        return _missing()
    report = report_from_dict(row.content if internal else row.published)
    info = describe(row)
    return page(
        "report.html",
        report=report,
        issued=info,
        links=info["links"],
        complete=info["complete"],
        internal=internal,
        charts=report_charts(report),
    )


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(runtime: Runtime = RuntimeDep, session: AsyncSession = SessionDep) -> HTMLResponse:
    """The current year so far, from every event received, unsuppressed (internal)."""
    today: date = office_today()
    cache_ = live_cache(runtime)
    projection = await cache_.current(session)
    report = build_report(projection.state, Period(today.year, "year"), suppress=False, until=today)
    return page(
        "dashboard.html",
        report=report,
        today=today,
        events=cache_.events,
        figures=report.table("summary").rows,
        charts=report_charts(report),
    )
