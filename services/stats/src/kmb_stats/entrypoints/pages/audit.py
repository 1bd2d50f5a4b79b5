"""The auditors' pages: look a case up by number or id, then read its timeline (time, event, actor,
organisation, summary, trace id). The timeline page is open to workers too: their case page links
to the timeline of the case they handle."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal
from kmb_shared.service import SessionDep

from ...application.audit import CASE_NUMBER, CaseReferenceInvalid, find_case, load_timeline
from ..access import AUDIT_LOOKUP_ROLES, AUDIT_ROLES
from ..api.audit import REFERENCE_CS
from .web import page_guard, redirect, render

router = APIRouter(include_in_schema=False)
as_lookup = page_guard(*AUDIT_LOOKUP_ROLES)
as_reader = page_guard(*AUDIT_ROLES)

#: also for another organisation's case (its existence is not told)
NOT_FOUND_CS = "O případu s tímto číslem nebo id nemá statistika žádnou událost vaší organizace."


def _lookup(
    request: Request, principal: Principal, reference: str, error: str, status_code: int
) -> HTMLResponse:
    return render(
        request,
        "audit.html",
        status_code=status_code,
        title="Audit případu",
        reference=reference,
        errors={"case": error} if error else {},
        can_look_up=principal.has(*AUDIT_LOOKUP_ROLES),
    )


Found = TypeVar("Found")


async def _found_or_refused(
    request: Request, principal: Principal, reference: str, lookup: Awaitable[Found | None]
) -> Found | HTMLResponse:
    """What ``lookup`` finds, else the lookup form saying why not: 422 for a reference that is
    neither a case number nor an id, 404 when the organisation has nothing about it."""
    try:
        found = await lookup
    except CaseReferenceInvalid:
        return _lookup(request, principal, reference, REFERENCE_CS, 422)
    if found is None:
        return _lookup(request, principal, reference, NOT_FOUND_CS, 404)
    return found


@router.get("/audit", response_class=HTMLResponse)
async def audit_lookup(
    request: Request,
    case: str = Query("", max_length=60, description="Case number (KMB-2026-00001) or id"),
    principal: Principal = Depends(as_lookup),
    session: AsyncSession = SessionDep,
) -> Response:
    """The lookup form; with ``case`` filled in, the timeline of that case (or the form with why not)."""
    reference = case.strip()
    if not reference:
        return _lookup(request, principal, "", "", 200)
    case_id = await _found_or_refused(
        request, principal, reference, find_case(session, reference, principal.organisation)
    )
    if isinstance(case_id, HTMLResponse):
        return case_id
    target = reference.upper() if CASE_NUMBER.match(reference) else case_id
    return redirect(f"/audit/cases/{quote(target)}")


@router.get("/audit/cases/{reference}", response_class=HTMLResponse)
async def audit_case(
    request: Request,
    reference: str,
    principal: Principal = Depends(as_reader),
    session: AsyncSession = SessionDep,
) -> HTMLResponse:
    """Every stored event about the case, by event time, with a CSV download."""
    timeline = await _found_or_refused(
        request, principal, reference, load_timeline(session, reference, principal.organisation)
    )
    if isinstance(timeline, HTMLResponse):
        return timeline
    return render(
        request,
        "audit_case.html",
        title=f"Auditní stopa případu {timeline.case_number or timeline.case_id}",
        timeline=timeline,
        csv_link=f"/api/audit/cases/{timeline.case_id}?format=csv",
        can_look_up=principal.has(*AUDIT_LOOKUP_ROLES),
    )
