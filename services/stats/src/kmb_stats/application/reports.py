"""Reports: issue one for a period (stored with its digest and offsets), list and read issued ones,
and the suppressed report of a period as it stands now (not stored). The API and the pages call these."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import uuid4

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.clock import as_utc, day_end
from kmb_shared.contracts import Actor

from ..adapters.reports import issued_report, issued_reports
from ..adapters.tables import IssuedReport
from ..domain import Period, Report, build_report, report_dict, report_from_dict
from ..domain.bounds import FIRST_DAY, LAST_DAY, day_problem
from .deps import StatsDeps
from .live import projection_before

#: download formats, in the order pages offer them
FORMATS: tuple[str, ...] = ("csv", "xlsx", "pdf", "json")

__all__ = [
    "FORMATS",
    "IssuedReport",
    "describe",
    "draft_report",
    "issue_report",
    "issued_report",
    "issued_reports",
    "period_problem",
    "published_report",
]


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
    if day_problem(period.start) or day_problem(period.end):
        return (
            "period_out_of_range",
            f"Období musí ležet mezi roky {FIRST_DAY.year} a {LAST_DAY.year}.",
            f"The period must lie between the years {FIRST_DAY.year} and {LAST_DAY.year}.",
        )
    return None


async def issue_report(
    session: AsyncSession, period: Period, district: str | None, actor: Actor
) -> IssuedReport:
    """Compute the report for ``period`` from the events dated up to its last day (in a worker thread)
    and store it.

    Stored with it: the unsuppressed and the suppressed rendering, the digest of the projection they
    came from, how many events that was, and the greatest offset used per topic partition."""
    cutoff = day_end(period.end)
    positions: dict[tuple[str, int], int] = {}
    projection = await projection_before(session, cutoff, positions=positions)
    state = projection.state
    content, published, projection_digest = await asyncio.to_thread(
        lambda: (
            report_dict(build_report(state, period, suppress=False, district=district)),
            report_dict(build_report(state, period, suppress=True, district=district)),
            projection.digest(),
        )
    )
    row = IssuedReport(
        id=str(uuid4()),
        period=period.code,
        district=district,
        issued_by=actor.user_id,
        issued_org=actor.organisation,
        cutoff=cutoff,
        events=len(state["seen"]),
        digest=projection_digest,
        offsets=[
            {"topic": topic, "partition": partition, "offset": offset}
            for (topic, partition), offset in sorted(positions.items())
        ],
        content=content,
        published=published,
    )
    session.add(row)
    await session.commit()
    return row


def published_report(row: IssuedReport, *, internal: bool = False) -> Report:
    """An issued report as it was issued: suppressed, or unsuppressed for use inside the office."""
    return report_from_dict(row.content if internal else row.published)


async def draft_report(
    deps: StatsDeps, session: AsyncSession, period: Period, district: str | None, *, suppress: bool
) -> tuple[Report, date | None]:
    """A period's report from every event received (a period not yet over: up to today), and the day
    it stops at (None when the period is over)."""
    today = deps.today()
    until = today if period.contains(today) else None
    report = await deps.projections.compute(
        session, lambda state: build_report(state, period, suppress=suppress, district=district, until=until)
    )
    return report, until


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
