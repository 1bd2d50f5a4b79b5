"""What the data-subject report's API route and page share: find the person, write the opening to the
view log, build the report (:mod:`kmb_intake.application.subject_report`) and print it as PDF."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal
from kmb_shared.web.pdf import html_to_pdf

from ..application.subject_report import (
    VIEW_SUBJECT_REPORT,
    SubjectQuery,
    SubjectReport,
    person_cases,
    subject_report,
)
from .deps import credentials, deps_of
from .security import log_views

PDF_NAME = "vypis-osobnich-udaju.pdf"


async def make_report(
    request: Request, session: AsyncSession, principal: Principal, query: SubjectQuery, *, channel: str
) -> SubjectReport:
    """The report on the person ``query`` names in the caller's organisation (``NotFoundError`` when
    none); its opening is in the view log of each of the person's cases (committed by the caller)."""
    found = await person_cases(session, query, principal.organisation)
    now = deps_of(request).clock.now()
    log_views(
        session, principal, [case for case, _, _ in found], kind=VIEW_SUBJECT_REPORT, channel=channel, at=now
    )
    await session.flush()
    peers = deps_of(request).peers
    return await subject_report(
        session,
        peers,
        credentials(request),
        found,
        user_id=principal.user_id,
        organisation=principal.organisation,
        now=now,
    )


async def report_pdf(request: Request, report: SubjectReport) -> Response:
    """The report as a printable A4 PDF (the page's rows, with the print layout)."""
    html = request.app.state.pages.env.get_template("subject_report_print.html").render(report=report)
    headers = {"Content-Disposition": f'attachment; filename="{PDF_NAME}"', "Cache-Control": "no-store"}
    return Response(await html_to_pdf(html), media_type="application/pdf", headers=headers)
