"""Reports over HTTP (analysts, workers and administrators).

Which version goes where:
- ``GET /api/stats/reports/{id}`` (internal) carries ``content``, the unsuppressed report;
- ``GET /api/stats/reports/{id}.json|.csv|.xlsx|.pdf`` and the printable page ``/reports/{id}`` show
  the suppressed report (counts of 1–4 as "<5", cells that would give them away as "x"), because these
  are what leaves the office. Both were computed when the report was issued, from the events dated up
  to the period's end.
- ``GET /api/stats/reports/live/{period}.csv|...`` is the suppressed report of a period as it stands
  now, computed on request and not stored (the dashboard's downloads); issue a report to keep one.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal
from kmb_shared.clock import prague_today
from kmb_shared.errors import NotFoundError
from kmb_shared.service import SessionDep

from ...application.deps import StatsDeps
from ...application.documents import MEDIA, Chart, Format, PdfUnavailable, file_name, report_document
from ...application.reports import (
    IssuedReport,
    describe,
    draft_report,
    issue_report,
    issued_report,
    issued_reports,
    period_problem,
    published_report,
)
from ...domain import Period, Report
from ...domain.period import PERIOD_PATTERN
from ..access import as_stats_reader, stats_readers
from ..common import DepsDep, invalid

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/stats/reports", tags=["reports"], dependencies=[stats_readers()])

DISTRICT = Query(None, max_length=100, description="One municipal district only")
PERIOD_TEXT = '"2026-03" (month), "2026-Q1" (quarter) or "2026" (year)'
#: a report file: one of the formats, or 503 when the PDF cannot be made now
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {media.split(";")[0]: {} for media in MEDIA.values()}},
    503: {"description": "PDF nyní nelze vytvořit / PDF cannot be made now"},
}


class IssueReport(BaseModel):
    """Request to issue a report for a calendar month, quarter or year."""

    period: str = Field(description=PERIOD_TEXT, max_length=10, json_schema_extra={"pattern": PERIOD_PATTERN})
    district: str | None = Field(default=None, max_length=100, description="One municipal district only")

    @field_validator("period")
    @classmethod
    def _known_period(cls, value: str) -> str:
        problem = period_problem(value, prague_today())
        if problem is not None:
            code, cs, en = problem
            raise PydanticCustomError(code, en, {"cs": cs, "en": en})
        return Period.parse(value).code

    @field_validator("district")
    @classmethod
    def _blank_is_everywhere(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


def printable(request: Request, **context: Any) -> Any:
    """How a report's printable page (for PDF) is drawn with the pages' templates."""

    def draw(report: Report, charts: list[Chart]) -> str:
        template = request.app.state.pages.env.get_template("report_pdf.html")
        return str(template.render(report=report, charts=charts, **context))

    return draw


async def report_file(request: Request, report: Report, fmt: Format, name: str, **context: Any) -> Response:
    """The report as an attachment in ``fmt``; ``context`` (``issued``: an issued report's description,
    or ``as_of``: the day a draft was computed) is printed in the PDF's heading. 503 in Czech when
    PDF is unavailable."""
    try:
        body = await report_document(report, fmt, printable(request, **context))
    except PdfUnavailable as exc:
        log.error("PDF output unavailable: %s", exc)
        raise HTTPException(
            status_code=503,
            detail={
                "code": "pdf_unavailable",
                "message_cs": "PDF nyní nelze vytvořit; stáhněte výkaz jako CSV nebo XLSX.",
                "message_en": "PDF cannot be made now; download the report as CSV or XLSX.",
            },
        ) from exc
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content=body, media_type=MEDIA[fmt], headers=headers)


async def found(session: AsyncSession, report_id: str) -> IssuedReport:
    row = await issued_report(session, report_id)
    if row is None:
        raise NotFoundError("Výkaz", "Report")
    return row


@router.post("", status_code=201)
async def post_report(
    body: IssueReport,
    principal: Principal = Depends(as_stats_reader),
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """Issue the report for a period from the events dated up to its end; stored with the digest and
    the topic offsets it was computed from, and the signed-in caller as the one who issued it."""
    row = await issue_report(session, Period.parse(body.period), body.district, principal.actor)
    return describe(row)


@router.get("")
async def list_reports(session: AsyncSession = SessionDep) -> list[dict[str, Any]]:
    """Issued reports, the latest first."""
    return [describe(row) for row in await issued_reports(session)]


@router.get("/live/{period}.{fmt}", responses=FILE_RESPONSES)
async def download_draft(
    period: Annotated[str, Path(description=PERIOD_TEXT, json_schema_extra={"pattern": PERIOD_PATTERN})],
    fmt: Format,
    request: Request,
    district: str | None = DISTRICT,
    deps: StatsDeps = DepsDep,
    session: AsyncSession = SessionDep,
) -> Response:
    """The suppressed report of a period as it stands now (a period not yet over: up to today), from
    every event received; computed on request, not stored."""
    problem = period_problem(period, deps.today())
    if problem is not None:
        invalid("period", *problem)
    chosen = Period.parse(period)
    report, until = await draft_report(deps, session, chosen, district or None, suppress=True)
    name = file_name(chosen.code, district, fmt, draft=True)
    return await report_file(request, report, fmt, name, as_of=until or chosen.end)


@router.get("/{report_id}.{fmt}", responses=FILE_RESPONSES)
async def download_report(
    report_id: str, fmt: Format, request: Request, session: AsyncSession = SessionDep
) -> Response:
    """The suppressed report as JSON, CSV (semicolons, UTF-8 with BOM), XLSX or PDF (printable, with
    its charts)."""
    row = await found(session, report_id)
    report = published_report(row)
    name = file_name(row.period, row.district, fmt)
    return await report_file(request, report, fmt, name, issued=describe(row))


@router.get("/{report_id}")
async def get_report(report_id: str, session: AsyncSession = SessionDep) -> dict[str, Any]:
    """An issued report for internal use: its description and the unsuppressed ``content``."""
    row = await found(session, report_id)
    return {**describe(row), "content": row.content}
