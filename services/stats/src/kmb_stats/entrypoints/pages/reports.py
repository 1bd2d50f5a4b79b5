"""Reports as pages: the list of issued reports with the form that issues one, and the printable report.

The printable page shows the suppressed report (it is what gets printed and handed out); with
``?interni=1`` it shows the unsuppressed one for use inside the office.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import CSRF_FIELD

from ...application.deps import StatsDeps
from ...application.documents import drawn_charts
from ...application.reports import describe, issue_report, issued_report, issued_reports, published_report
from ...domain import Period
from ...domain.choices import known_districts, period_options
from ..api.reports import IssueReport
from .figures_page import FiguresPage
from .web import message_page, redirect, render

router = APIRouter(include_in_schema=False)


async def _reports_page(
    request: Request,
    deps: StatsDeps,
    session: AsyncSession,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    today = deps.today()
    projection = await deps.projections.current(session)
    return render(
        request,
        "reports.html",
        status_code=422 if errors else 200,
        title="Výkazy",
        reports=[describe(row) for row in await issued_reports(session)],
        period_groups=period_options(today),
        districts=known_districts(projection.state, today),
        values=values or {"period": Period(today.year, "quarter", (today.month - 1) // 3 + 1).code},
        errors=errors or {},
    )


@router.get("/reports", response_class=HTMLResponse)
async def reports_page(page: FiguresPage) -> HTMLResponse:
    """Issued reports with links to the printable page and the downloads, and the form to issue one."""
    return await _reports_page(page.request, page.deps, page.session)


@router.post("/reports", response_class=HTMLResponse)
async def issue_report_form(page: FiguresPage) -> Response:
    """Issue a report from the form (CSRF checked by the guard); then its printable page."""
    request, deps, session = page.request, page.deps, page.session
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != CSRF_FIELD and isinstance(v, str)}
    try:
        body = IssueReport(period=values.get("period", ""), district=values.get("district") or None)
    except ValidationError as exc:
        errors: dict[str, Any] = {}
        for item in exc.errors():
            field = str(item["loc"][0]) if item["loc"] else "period"
            errors.setdefault(field, (item.get("ctx") or {}).get("cs") or "Neplatná hodnota.")
        return await _reports_page(request, deps, session, values=values, errors=errors)
    row = await issue_report(session, Period.parse(body.period), body.district, page.principal.actor)
    return redirect(f"/reports/{row.id}")


@router.get("/reports/{report_id}", response_class=HTMLResponse)
async def report_page(
    report_id: str,
    page: FiguresPage,
    internal: bool = Query(False, alias="interni", description="Unsuppressed version for the office"),
) -> HTMLResponse:
    """The printable report: charts (SVG, each with its table) and every table, suppressed unless
    ``interni=1``."""
    request = page.request
    row = await issued_report(page.session, report_id)
    if row is None:
        return message_page(request, 404, "Nenalezeno", "Výkaz nebyl nalezen.", back="/reports")
    report = published_report(row, internal=internal)
    info = describe(row)
    return render(
        request,
        "report.html",
        title=f"Výkaz – {report.period.label}",
        report=report,
        issued=info,
        links=info["links"],
        complete=info["complete"],
        internal=internal,
        charts=await drawn_charts(report),
    )
