"""The case's assessments (with the history of reassessments), one assessment's explained result, and
the register of people in need."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kmb_shared.auth import Role
from kmb_shared.errors import NotFoundError

from ...application import queries
from ...application.views import RegisterStatus
from ..deps import StoreDep
from .common import ReaderPage, RegistrarPage, not_found, render
from .format import ethos_also, ethos_cs, ethos_hint, income_vs_ceiling

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
    case_id: UUID, request: Request, principal: ReaderPage, store: StoreDep
) -> HTMLResponse:
    """Every assessment of the case, oldest first, with a link to the one waiting for its survey (for
    workers; auditors read the page). Another organisation's case is not found."""
    try:
        assessments = await queries.case_file(store, case_id, principal.organisation)
    except NotFoundError:
        return not_found(request)
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
        can_survey=principal.has(Role.WORKER),
        ethos_cs=ethos_cs,
    )


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
async def assessment_result(
    assessment_id: UUID, request: Request, principal: ReaderPage, store: StoreDep
) -> HTMLResponse:
    """The result with its explanation, readable enough to show the client, and print-friendly."""
    try:
        assessment = await queries.assessment(store, assessment_id, principal.organisation)
    except NotFoundError:
        return not_found(request)
    return render(
        request,
        "result.html",
        title=f"Výsledek šetření – {assessment.case_number}",
        a=assessment,
        r=assessment.result,
        is_worker=principal.has("worker"),
        income_vs_ceiling=income_vs_ceiling,
        ethos_also=ethos_also,
        ethos_cs=ethos_cs,
        ethos_hint=ethos_hint,
    )


@router.get("/register", response_class=HTMLResponse)
async def register_page(request: Request, principal: RegistrarPage, store: StoreDep) -> HTMLResponse:
    """The organisation's entries active, due for reassessment and expired, each highest priority
    first."""
    sections = []
    for status, heading in REGISTER_SECTIONS:
        entries = await queries.register_entries(
            store, status, organisation=principal.organisation, limit=REGISTER_LIMIT, offset=0
        )
        sections.append({"status": status.value, "heading": heading, "entries": entries})
    return render(
        request,
        "register.html",
        title="Evidence osob v bytové nouzi",
        sections=sections,
        limit=REGISTER_LIMIT,
        is_worker=principal.has("worker"),
        ethos_cs=ethos_cs,
    )
