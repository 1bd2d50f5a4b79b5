"""The case's assessments (with the history of reassessments), one assessment's explained result, and
the register of people in need."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.errors import NotFoundError
from kmb_shared.service import SessionDep

from .. import commands
from ..adapters.assessments import assessments_of_case, opinions_for
from ..adapters.register import register_entries
from ..adapters.tables import RegisterStatus
from ..entrypoints.api import present
from ..entrypoints.schemas import RegistrationOut
from .common import ReaderPage, RegistrarPage, WorkerPage, not_found, render

router = APIRouter(include_in_schema=False)

#: the register page's sections, in order, and how many entries each shows at most
REGISTER_SECTIONS = (
    (RegisterStatus.ACTIVE, "Platné zápisy"),
    (RegisterStatus.DUE, "K přehodnocení"),
    (RegisterStatus.EXPIRED, "Platnost skončila"),
)
REGISTER_LIMIT = 500


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def case_assessments(
    case_id: UUID, request: Request, principal: WorkerPage, session: AsyncSession = SessionDep
) -> HTMLResponse:
    """Every assessment of the case, oldest first, with a link to the one waiting for its survey."""
    assessments = await present(session, await assessments_of_case(session, case_id))
    pending = next((a for a in assessments if a.status == "pending"), None)
    case_number = assessments[-1].case_number if assessments else None
    return render(
        request,
        "case.html",
        title=f"Šetření případu {case_number}" if case_number else "Šetření případu",
        case_id=case_id,
        case_number=case_number,
        assessments=assessments,
        pending=pending,
    )


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
async def assessment_result(
    assessment_id: UUID, request: Request, principal: ReaderPage, session: AsyncSession = SessionDep
) -> HTMLResponse:
    """The result with its explanation, readable enough to show the client, and print-friendly."""
    try:
        row = await commands.load_assessment(session, assessment_id)
    except NotFoundError:
        return not_found(request)
    [assessment] = await present(session, [row])
    return render(
        request,
        "result.html",
        title=f"Výsledek šetření – {assessment.case_number}",
        a=assessment,
        r=assessment.result,
        is_worker=principal.has("worker"),
    )


@router.get("/register", response_class=HTMLResponse)
async def register_page(
    request: Request, principal: RegistrarPage, session: AsyncSession = SessionDep
) -> HTMLResponse:
    """Entries active, due for reassessment and expired, each highest priority first."""
    sections = []
    for status, heading in REGISTER_SECTIONS:
        rows = await register_entries(session, status, limit=REGISTER_LIMIT, offset=0)
        opinions = await opinions_for(session, [row.assessment_id for row in rows])
        entries = [RegistrationOut.of(row, opinions.get(row.assessment_id, ())) for row in rows]
        sections.append({"status": status.value, "heading": heading, "entries": entries})
    return render(
        request,
        "register.html",
        title="Evidence osob v bytové nouzi",
        sections=sections,
        limit=REGISTER_LIMIT,
        is_worker=principal.has("worker"),
    )
