"""The referrals of one case: status, due day, overdue marks, alerts after a decline that followed an
acceptance, and cancelling a referral (workers; auditors see the page without its buttons). Only the
case's own organisation's workers and auditors: another organisation's case is not found (404)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kmb_shared.auth import Principal, Role
from kmb_shared.errors import NotFoundError

from ...application import queries
from ...application.deps import ReferralsDeps
from ...application.lifecycle import Step, dismiss_alert, take_step
from ...application.ports import UnitOfWork
from ...domain import OPEN_STATES, PartnerUpdateKind, ReferralError
from ..deps import Deps, UowDep
from ..schemas import ReferralOut
from .common import (
    ReaderPage,
    WorkerPage,
    blank_to_none,
    form_values,
    message_page,
    redirect,
    render,
    unknown_case,
)

router = APIRouter(include_in_schema=False)

#: More than a case ever has; the page shows them all
CASE_LIMIT = 1000


async def partner_names(uow: UnitOfWork) -> dict[str, str]:
    return {row.slug: row.name for row in await queries.partners(uow.store)}


async def case_page(
    request: Request,
    principal: Principal,
    deps: ReferralsDeps,
    uow: UnitOfWork,
    case_id: UUID,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    today = deps.today()
    try:
        facts = await queries.case_of(uow.store, case_id, principal.organisation)
    except NotFoundError:
        return unknown_case(request)
    where = queries.ReferralFilter(organisation=principal.organisation, case_id=case_id, limit=CASE_LIMIT)
    referrals = [ReferralOut.of(row, today) for row in await queries.referrals(uow.store, where, today)]
    return render(
        request,
        "case_referrals.html",
        status_code,
        title="Předání partnerům",
        case_id=case_id,
        case_number=facts.case_number if facts else None,
        consent_partners=facts.consent_partners if facts else [],
        referrals=referrals,
        alerts=[r for r in referrals if r.needs_worker_alert],
        open_states={s.value for s in OPEN_STATES},
        partners=await partner_names(uow),
        can_change=principal.has(Role.WORKER),
        errors=errors or {},
        today=today,
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def show_case(
    case_id: UUID,
    request: Request,
    principal: ReaderPage,
    deps: Deps,
    uow: UowDep,
) -> HTMLResponse:
    return await case_page(request, principal, deps, uow, case_id)


def _not_found(request: Request, case_id: UUID) -> HTMLResponse:
    text = "Toto předání k případu nepatří nebo neexistuje."
    return message_page(request, 404, "Předání nenalezeno", text, back=f"/cases/{case_id}")


@router.post("/cases/{case_id}/referrals/{referral_id}/cancel", response_model=None)
async def cancel(
    case_id: UUID,
    referral_id: UUID,
    request: Request,
    principal: WorkerPage,
    deps: Deps,
    uow: UowDep,
) -> Response:
    values = form_values(await request.form())
    if await queries.referral_of_case(uow.store, case_id, referral_id, principal.organisation) is None:
        return _not_found(request, case_id)
    step = Step(PartnerUpdateKind.CANCELLED, note=blank_to_none(values.get("reason", "")[:2000]))
    try:
        await take_step(deps, uow, referral_id, step, principal.actor, organisation=principal.organisation)
    except ReferralError as exc:
        await uow.rollback()
        errors = {str(referral_id): exc.message}
        return await case_page(request, principal, deps, uow, case_id, 409, errors)
    return redirect(f"/cases/{case_id}?saved=cancelled")


@router.post("/cases/{case_id}/alerts/{referral_id}/dismiss", response_model=None)
async def dismiss(
    case_id: UUID,
    referral_id: UUID,
    request: Request,
    principal: WorkerPage,
    deps: Deps,
    uow: UowDep,
) -> Response:
    if await queries.referral_of_case(uow.store, case_id, referral_id, principal.organisation) is None:
        return _not_found(request, case_id)
    try:
        await dismiss_alert(uow, referral_id, principal.organisation)
    except (NotFoundError, ReferralError):
        await uow.rollback()
        errors = {str(referral_id): "Toto předání žádné upozornění nemá."}
        return await case_page(request, principal, deps, uow, case_id, 409, errors)
    return redirect(f"/cases/{case_id}?saved=dismissed")
