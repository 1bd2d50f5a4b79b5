"""The worker's desk: today's contacts, my open cases, and what other services flag (overdue
referrals, registrations due for reassessment, cases to reassess under a newly activated rule set)
when they can be reached."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from ...application.applications import due_answers
from ...application.queries import CaseFilter, case_numbers, list_contacts, search_cases, uuids
from ..deps import credentials, deps_of
from ..schemas import CaseSummary, ContactOut
from ..security import log_views
from .common import WorkerCall, local_today, now_utc, render

router = APIRouter(include_in_schema=False)
#: how far ahead the desk shows the answers due to submitted applications
ANSWERS_AHEAD_DAYS = 14


@router.get("/desk", response_class=HTMLResponse)
async def desk(call: WorkerCall) -> HTMLResponse:
    request, principal, session = call.request, call.principal, call.session
    today = local_today()
    contacts = await list_contacts(
        session, on=today, worker_id=principal.user_id, organisation=principal.organisation, limit=100
    )
    mine = CaseFilter(status="open", worker_id=principal.user_id, organisation=principal.organisation)
    cases = await search_cases(session, mine, limit=100)
    log_views(session, principal, cases, kind="list", channel="page", at=now_utc())
    await session.commit()
    peers, caller = deps_of(request).peers, credentials(request)
    overdue, due, reassess, notifications = await asyncio.gather(
        peers.list_from("referrals", "/api/referrals", {"overdue": "true"}, caller),
        peers.list_from("assessment", "/api/register", {"status": "due"}, caller),
        # cases whose result would change under a newly activated rule set (assessed by this worker)
        peers.list_from("assessment", "/api/reassessments", {"worker": principal.user_id}, caller),
        # what partners and deadlines did with this worker's referrals, not yet read (referrals keeps them)
        peers.list_from("referrals", "/api/notifications", {"unread": "true"}, caller),
    )
    # answers to the applications this worker prepared, due within two weeks (or already past due)
    answers = [
        a
        for a in await due_answers(
            session, principal.organisation, today + timedelta(days=ANSWERS_AHEAD_DAYS)
        )
        if a.created_by == principal.user_id
    ]
    ids = uuids(item.get("case_id") for item in (overdue or []) + (due or []) + (reassess or []))
    ids += [a.case_id for a in answers]
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
        notifications=notifications,
        answers=answers,
        numbers=await case_numbers(session, principal.organisation, ids),
    )
