"""The worker's notifications page (Upozornění): what partners and deadlines did with their referrals,
each marked read by the worker alone."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kmb_shared.errors import NotFoundError

from ...application.notifications import mark_read, notifications_for
from ..deps import UowDep
from .common import WorkerPage, message_page, redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/notifications", response_class=HTMLResponse)
async def notifications_page(request: Request, principal: WorkerPage, uow: UowDep) -> HTMLResponse:
    found = await notifications_for(uow.store, principal.user_id, principal.organisation)
    return render(
        request,
        "notifications.html",
        title="Upozornění",
        notifications=found,
        unread=sum(not n.read for n in found),
    )


@router.post("/notifications/read", response_model=None)
async def read_all(principal: WorkerPage, uow: UowDep) -> Response:
    await mark_read(uow, principal.user_id, principal.organisation)
    return redirect("/notifications")


@router.post("/notifications/{notification_id}/read", response_model=None)
async def read_one(notification_id: UUID, request: Request, principal: WorkerPage, uow: UowDep) -> Response:
    try:
        await mark_read(uow, principal.user_id, principal.organisation, notification_id)
    except NotFoundError:
        return message_page(request, 404, "Upozornění nenalezeno", "Takové upozornění pro vás nemáme.")
    return redirect("/notifications")
