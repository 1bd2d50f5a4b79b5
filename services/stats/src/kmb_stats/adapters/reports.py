"""Reading issued reports back from ``stats_report``."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from .tables import IssuedReport


async def issued_reports(session: AsyncSession) -> list[IssuedReport]:
    """Every issued report, the latest first."""
    query = select(IssuedReport).order_by(col(IssuedReport.issued_at).desc(), col(IssuedReport.id))
    return list((await session.exec(query)).all())


async def issued_report(session: AsyncSession, report_id: str) -> IssuedReport | None:
    return await session.get(IssuedReport, report_id)
