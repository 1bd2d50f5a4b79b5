"""Issuing reports and reading issued ones back from ``stats_report``."""

from __future__ import annotations

from uuid import uuid4

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import Actor

from ..clock import day_end
from ..domain import Period, build_report, report_dict
from .projections import projection_before
from .tables import IssuedReport


async def issue_report(
    session: AsyncSession, period: Period, district: str | None, actor: Actor
) -> IssuedReport:
    """Compute the report for ``period`` from the events dated up to its last day and store it.

    Stored with it: the unsuppressed and the suppressed rendering, the digest of the projection they
    came from, how many events that was, and the greatest offset used per topic partition."""
    cutoff = day_end(period.end)
    positions: dict[tuple[str, int], int] = {}
    projection = await projection_before(session, cutoff, positions=positions)
    state = projection.state
    row = IssuedReport(
        id=str(uuid4()),
        period=period.code,
        district=district,
        issued_by=actor.user_id,
        issued_org=actor.organisation,
        cutoff=cutoff,
        events=len(state["seen"]),
        digest=projection.digest(),
        offsets=[
            {"topic": topic, "partition": partition, "offset": offset}
            for (topic, partition), offset in sorted(positions.items())
        ],
        content=report_dict(build_report(state, period, suppress=False, district=district)),
        published=report_dict(build_report(state, period, suppress=True, district=district)),
    )
    session.add(row)
    await session.commit()
    return row


async def issued_reports(session: AsyncSession) -> list[IssuedReport]:
    """Every issued report, the latest first."""
    query = select(IssuedReport).order_by(col(IssuedReport.issued_at).desc(), col(IssuedReport.id))
    return list((await session.exec(query)).all())


async def issued_report(session: AsyncSession, report_id: str) -> IssuedReport | None:
    return await session.get(IssuedReport, report_id)
