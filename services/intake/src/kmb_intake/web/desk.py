"""The worker's desk: today's contacts, my open cases, and what other services flag (overdue
referrals, registrations due for reassessment, cases to reassess under a newly activated rule set)
when they can be reached."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal
from kmb_shared.service import SessionDep

from ..adapters.cases import CaseFilter, search_cases
from ..adapters.contacts import list_contacts
from ..adapters.tables import CaseRow
from ..entrypoints.schemas import CaseSummary, ContactOut
from ..entrypoints.security import log_views
from .common import as_worker, local_today, now_utc, render
from .peers import list_from

router = APIRouter(include_in_schema=False)


def _uuids(values: Iterable[Any]) -> list[UUID]:
    out = []
    for value in values:
        try:
            out.append(UUID(str(value)))
        except ValueError:
            continue
    return out


async def _numbers(session: AsyncSession, organisation: str, ids: list[UUID]) -> dict[str, str]:
    """Case numbers of the organisation's cases among ``ids`` (others stay unnamed)."""
    if not ids:
        return {}
    query = select(CaseRow.id, CaseRow.number).where(
        col(CaseRow.id).in_(ids), col(CaseRow.organisation) == organisation
    )
    return {str(case_id): number for case_id, number in (await session.exec(query)).all()}


@router.get("/desk", response_class=HTMLResponse)
async def desk(
    request: Request,
    principal: Annotated[Principal, Depends(as_worker)],
    session: AsyncSession = SessionDep,
) -> HTMLResponse:
    today = local_today()
    contacts = await list_contacts(
        session, on=today, worker_id=principal.user_id, organisation=principal.organisation, limit=100
    )
    mine = CaseFilter(status="open", worker_id=principal.user_id, organisation=principal.organisation)
    cases = await search_cases(session, mine, limit=100)
    log_views(session, principal, cases, kind="list", channel="page", at=now_utc())
    await session.commit()
    overdue, due, reassess = await asyncio.gather(
        list_from(request, "referrals", "/api/referrals", {"overdue": "true"}),
        list_from(request, "assessment", "/api/register", {"status": "due"}),
        # cases whose result would change under a newly activated rule set (assessed by this worker)
        list_from(request, "assessment", "/api/reassessments", {"worker": principal.user_id}),
    )
    ids = _uuids(item.get("case_id") for item in (overdue or []) + (due or []) + (reassess or []))
    return render(
        request,
        "desk.html",
        title="Můj stůl",
        today=today,
        contacts=[ContactOut.of(row) for row in contacts],
        cases=[CaseSummary.of(row) for row in cases],
        overdue=overdue,
        due=due,
        reassess=reassess,
        numbers=await _numbers(session, principal.organisation, ids),
    )
