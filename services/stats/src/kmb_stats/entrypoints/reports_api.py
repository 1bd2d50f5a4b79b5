"""Issued reports over HTTP.

Which version goes where:
- ``GET /api/stats/reports/{id}`` (internal) carries ``content``, the unsuppressed report;
- ``GET /api/stats/reports/{id}.json|.csv|.xlsx`` and the printable page ``/reports/{id}`` show the
  suppressed report (counts of 1–4 as "<5", cells that would give them away as "x"), because these
  are what leaves the office.
Both were computed when the report was issued, from the events dated up to the period's end.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.actors import current_actor
from kmb_shared.errors import NotFoundError
from kmb_shared.service import SessionDep

from ..adapters.events import as_utc
from ..adapters.reports import issue_report, issued_report, issued_reports
from ..adapters.tables import IssuedReport
from ..clock import day_end, office_today
from ..domain import Period, to_csv_bytes, to_json, to_xlsx
from ..report_codec import report_from_dict

router = APIRouter(prefix="/api/stats/reports", tags=["reports"])

MEDIA = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class IssueReport(BaseModel):
    """Request to issue a report for a calendar month, quarter or year."""

    period: str = Field(description='"2026-03" (month), "2026-Q1" (quarter) or "2026" (year)', max_length=10)
    district: str | None = Field(default=None, max_length=100, description="One municipal district only")

    @field_validator("period")
    @classmethod
    def _known_period(cls, value: str) -> str:
        try:
            period = Period.parse(value)
        except ValueError:
            raise PydanticCustomError(
                "period_invalid",
                "invalid period",
                {
                    "cs": "Neplatné období: použijte RRRR, RRRR-MM nebo RRRR-Qn (např. 2026-03, 2026-Q1).",
                    "en": "Invalid period: use YYYY, YYYY-MM or YYYY-Qn (e.g. 2026-03, 2026-Q1).",
                },
            ) from None
        if period.start > office_today():
            raise PydanticCustomError(
                "period_in_future",
                "period not started",
                {"cs": "Období ještě nezačalo.", "en": "The period has not started yet."},
            )
        return period.code


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
            "json": f"{base}.json",
            "csv": f"{base}.csv",
            "xlsx": f"{base}.xlsx",
            "page": f"/reports/{row.id}",
        },
    }


async def _found(session: AsyncSession, report_id: str) -> IssuedReport:
    row = await issued_report(session, report_id)
    if row is None:
        raise NotFoundError("Výkaz", "Report")
    return row


@router.post("", status_code=201)
async def post_report(
    body: IssueReport, request: Request, session: AsyncSession = SessionDep
) -> dict[str, Any]:
    """Issue the report for a period from the events dated up to its end; stored with the digest and
    the topic offsets it was computed from."""
    row = await issue_report(session, Period.parse(body.period), body.district, current_actor(request))
    return describe(row)


@router.get("")
async def list_reports(session: AsyncSession = SessionDep) -> list[dict[str, Any]]:
    """Issued reports, the latest first."""
    return [describe(row) for row in await issued_reports(session)]


@router.get("/{report_id}.{fmt}")
async def download_report(
    report_id: str, fmt: Literal["json", "csv", "xlsx"], session: AsyncSession = SessionDep
) -> Response:
    """The suppressed report as JSON, CSV (semicolons, UTF-8 with BOM) or XLSX."""
    row = await _found(session, report_id)
    report = report_from_dict(row.published)
    if fmt == "json":
        body = to_json(report).encode()
    elif fmt == "csv":
        body = to_csv_bytes(report)
    else:
        body = to_xlsx(report)
    district = f"-{row.district}" if row.district else ""
    name = f"kmb-statistika-{row.period}{district}.{fmt}"
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-.") else "_" for ch in name)
    headers = {"Content-Disposition": f'attachment; filename="{ascii_name}"'}
    return Response(content=body, media_type=MEDIA[fmt], headers=headers)


@router.get("/{report_id}")
async def get_report(report_id: str, session: AsyncSession = SessionDep) -> dict[str, Any]:
    """An issued report for internal use: its description and the unsuppressed ``content``."""
    row = await _found(session, report_id)
    return {**describe(row), "content": row.content}
