"""The data-subject report over the API (auditors of the organisation): the person's data and every view
of it, as JSON or as PDF. A POST, so that no birth number or name travels in an address."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import SessionDep

from ...application.subject_report import SubjectQuery, SubjectReport
from ..security import AuditorDep
from ..subject_report import make_report, report_pdf

router = APIRouter(prefix="/api", tags=["audit"])


class SubjectReportIn(SubjectQuery):
    format: Literal["json", "pdf"] = "json"


@router.post(
    "/audit/subject-report",
    response_model=SubjectReport,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The report (JSON, or PDF with format=pdf)"},
        404: {"description": "No such person in the organisation's cases"},
    },
)
async def post_subject_report(
    body: SubjectReportIn, request: Request, principal: AuditorDep, session: AsyncSession = SessionDep
) -> SubjectReport | Response:
    """Everything the contact point holds about one person (found by birth number, or by name and date
    of birth, in the caller's organisation's cases; 404 otherwise) and every view of it; the report's
    opening is written to the view log of each of the person's cases."""
    report = await make_report(request, session, principal, body, channel="api")
    await session.commit()
    return await report_pdf(request, report) if body.format == "pdf" else report
