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

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal
from kmb_shared.errors import NotFoundError
from kmb_shared.service import Runtime, RuntimeDep, SessionDep

from ..adapters.events import as_utc
from ..adapters.projections import live_cache
from ..adapters.reports import issue_report, issued_report, issued_reports
from ..adapters.tables import IssuedReport
from ..clock import day_end, office_today
from ..domain import Period, build_report
from ..report_codec import report_from_dict
from .access import as_stats_reader, stats_readers
from .common import invalid
from .documents import FORMATS, Format, file_name, report_file

router = APIRouter(prefix="/api/stats/reports", tags=["reports"], dependencies=[stats_readers()])

DISTRICT = Query(None, max_length=100, description="One municipal district only")


def period_problem(text: str, today: date) -> tuple[str, str, str] | None:
    """Why ``text`` is no period a report can be made for: (code, Czech, English); None when fine."""
    try:
        period = Period.parse(text)
    except ValueError:
        return (
            "period_invalid",
            "Neplatné období: použijte RRRR, RRRR-MM nebo RRRR-Qn (např. 2026-03, 2026-Q1).",
            "Invalid period: use YYYY, YYYY-MM or YYYY-Qn (e.g. 2026-03, 2026-Q1).",
        )
    if period.start > today:
        return ("period_in_future", "Období ještě nezačalo.", "The period has not started yet.")
    return None


class IssueReport(BaseModel):
    """Request to issue a report for a calendar month, quarter or year."""

    period: str = Field(description='"2026-03" (month), "2026-Q1" (quarter) or "2026" (year)', max_length=10)
    district: str | None = Field(default=None, max_length=100, description="One municipal district only")

    @field_validator("period")
    @classmethod
    def _known_period(cls, value: str) -> str:
        problem = period_problem(value, office_today())
        if problem is not None:
            code, cs, en = problem
            raise PydanticCustomError(code, en, {"cs": cs, "en": en})
        return Period.parse(value).code

    @field_validator("district")
    @classmethod
    def _blank_is_everywhere(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


def describe(row: IssuedReport) -> dict[str, Any]:
    """What is known about an issued report, without its tables."""
    period = Period.parse(row.period)
    base = f"/api/stats/reports/{row.id}"
    return {
        "id": row.id,
        "period": period.code,
        "period_label": period.label,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "district": row.district,
        "issued_at": as_utc(row.issued_at).isoformat(),
        "issued_by": row.issued_by,
        "issued_org": row.issued_org,
        # issued after the period ended: nothing dated later can change what it counts
        "complete": as_utc(row.issued_at) >= day_end(period.end),
        "cutoff": as_utc(row.cutoff).isoformat(),
        "events": row.events,
        "digest": row.digest,
        "offsets": row.offsets,
        "links": {
            **{fmt: f"{base}.{fmt}" for fmt in FORMATS},
            "page": f"/reports/{row.id}",
        },
    }


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


@router.get("/live/{period}.{fmt}")
async def download_draft(
    period: str,
    fmt: Format,
    request: Request,
    district: str | None = DISTRICT,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> Response:
    """The suppressed report of a period as it stands now (a period not yet over: up to today), from
    every event received; computed on request, not stored."""
    today = office_today()
    problem = period_problem(period, today)
    if problem is not None:
        invalid("period", *problem)
    chosen = Period.parse(period)
    projection = await live_cache(runtime).current(session)
    until = today if chosen.contains(today) else None
    report = build_report(projection.state, chosen, suppress=True, district=district or None, until=until)
    name = file_name(chosen.code, district, fmt, draft=True)
    return await report_file(request, report, fmt, name, as_of=until or chosen.end)


@router.get("/{report_id}.{fmt}")
async def download_report(
    report_id: str, fmt: Format, request: Request, session: AsyncSession = SessionDep
) -> Response:
    """The suppressed report as JSON, CSV (semicolons, UTF-8 with BOM), XLSX or PDF (printable, with
    its charts)."""
    row = await found(session, report_id)
    report = report_from_dict(row.published)
    name = file_name(row.period, row.district, fmt)
    return await report_file(request, report, fmt, name, issued=describe(row))


@router.get("/{report_id}")
async def get_report(report_id: str, session: AsyncSession = SessionDep) -> dict[str, Any]:
    """An issued report for internal use: its description and the unsuppressed ``content``."""
    row = await found(session, report_id)
    return {**describe(row), "content": row.content}
