"""The worker's side: make referrals and case conferences, follow and change them, alerts."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kmb_shared.auth import Principal
from kmb_shared.web.idempotency import IdempotencyKey, answer_once
from kmb_shared.web.params import limit_query

from ...adapters.store import SqlUnitOfWork
from ...application import queries
from ...application.deps import ReferralsDeps
from ...application.lifecycle import (
    BindingOpinion,
    Step,
    dismiss_alert,
    issue_binding_opinion,
    load_referral,
    take_step,
)
from ...application.ports import UnitOfWork
from ...application.queries import ReferralRow
from ...application.referrals import Worker, convene, refer
from ...domain import PartnerUpdateKind, ReferralState
from ..access import AnswererDep, ReaderDep, WorkerDep, case_scope, partner_scope
from ..deps import Deps, UowDep, credentials
from ..schemas import (
    BindingOpinionIn,
    CancelIn,
    CaseConferenceIn,
    CaseConferenceOut,
    CompleteIn,
    DeclineIn,
    InboxItem,
    ReferralIn,
    ReferralOut,
    WorkerIn,
)
from .errors import domain_call

router = APIRouter(prefix="/api", tags=["referrals"])

#: a worker's answer, or a partner's: what the partner side answers (no case id, the partner's pseudonym)
StepOut = ReferralOut | InboxItem
STEP_ANSWER = (
    "The referral as the worker sees it (ReferralOut); to a partner, as its inbox shows it (InboxItem: "
    "its own pseudonym of the case, never the case id)."
)


def _worker(body: WorkerIn | None, principal: Principal) -> Worker:
    if body is None:
        return Worker(name=principal.name or None)
    return Worker(**body.model_dump())


#: what making a referral may answer besides the shared errors (documented in the OpenAPI document)
CASE_ANSWERS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Případ nenalezen / Case not found (case_not_found)"},
    503: {
        "description": "Případ zatím nelze ověřit / Intake cannot confirm the case now (intake_unavailable)"
    },
}


@router.post("/referrals", status_code=201, response_model=ReferralOut, responses=CASE_ANSWERS)
async def make_referral(
    body: ReferralIn,
    principal: WorkerDep,
    deps: Deps,
    uow: UowDep,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> ReferralOut | JSONResponse:
    """Refer an open case to an active partner that takes this kind: an unknown case 404
    ``case_not_found``, a closed one 409 ``case_closed``, an unknown partner 422, a partner inactive or
    not taking the kind 409 ``partner_does_not_accept``; intake away for a case not known yet 503.
    Sent again with the same Idempotency-Key, it answers as the first time and refers no second time."""

    async def run() -> ReferralOut:
        cmd = body.command(_worker(body.worker, principal))
        row = await domain_call(refer(deps, uow, cmd, principal.actor, credentials(request)))
        return ReferralOut.of(row, deps.today())

    assert isinstance(uow, SqlUnitOfWork)  # the key is kept in the referral's own transaction
    return await answer_once(uow.session, request, principal, idempotency_key, 201, run)


@router.post("/case-conferences", status_code=201, response_model=CaseConferenceOut, responses=CASE_ANSWERS)
async def make_case_conference(
    body: CaseConferenceIn,
    principal: WorkerDep,
    deps: Deps,
    uow: UowDep,
    request: Request,
) -> CaseConferenceOut:
    """Invite several partners to a case conference: one referral each, sharing a conference id (an
    unknown case 404 ``case_not_found``, a closed one 409 ``case_closed``)."""
    cmd = body.command(_worker(body.worker, principal))
    rows = await domain_call(convene(deps, uow, cmd, principal.actor, credentials(request)))
    today = deps.today()
    conference_id = rows[0].conference_id
    assert conference_id is not None
    return CaseConferenceOut(conference_id=conference_id, referrals=[ReferralOut.of(r, today) for r in rows])


@router.get("/referrals", response_model=list[ReferralOut])
async def list_referrals(
    principal: ReaderDep,
    deps: Deps,
    uow: UowDep,
    case_id: UUID | None = None,
    partner: str | None = None,
    status: ReferralState | None = None,
    overdue: bool | None = None,
    limit: Annotated[int, limit_query(1000, "referrals")] = 200,
) -> list[ReferralOut]:
    """The referrals of the caller's organisation's cases, newest first; ``overdue=true`` lists those still
    waiting for a response after their due day."""
    today = deps.today()
    where = queries.ReferralFilter(
        organisation=principal.organisation,
        case_id=case_id,
        partner=partner,
        status=status,
        overdue=overdue,
        limit=limit,
    )
    return [ReferralOut.of(row, today) for row in await queries.referrals(uow.store, where, today)]


@router.get("/referrals/{referral_id}", response_model=ReferralOut)
async def get_referral(
    referral_id: UUID,
    principal: ReaderDep,
    deps: Deps,
    uow: UowDep,
) -> ReferralOut:
    """A referral of a case of the caller's organisation (another organisation's: 404)."""
    row = await load_referral(uow.store, referral_id, organisation=principal.organisation)
    return ReferralOut.of(row, deps.today())


def _answer(row: ReferralRow, principal: Principal, deps: ReferralsDeps) -> StepOut:
    if partner_scope(principal) is None:
        return ReferralOut.of(row, deps.today())
    return InboxItem.of(row, deps.today())


async def _step(
    deps: ReferralsDeps, uow: UnitOfWork, referral_id: UUID, step: Step, principal: Principal
) -> StepOut:
    """A worker records the step on its organisation's cases' referrals for any partner; a partner takes
    it only on its own referrals (and gets them as its inbox shows them)."""
    partner, organisation = partner_scope(principal), case_scope(principal)
    row = await domain_call(
        take_step(deps, uow, referral_id, step, principal.actor, partner=partner, organisation=organisation)
    )
    return _answer(row, principal, deps)


@router.post("/referrals/{referral_id}/accept", response_model=StepOut, response_description=STEP_ANSWER)
async def accept_referral(
    referral_id: UUID,
    principal: AnswererDep,
    deps: Deps,
    uow: UowDep,
) -> StepOut:
    """The partner took the referral (recorded by the worker, or by the partner itself). A housing
    offer closes the household's other housing searches."""
    return await _step(deps, uow, referral_id, Step(PartnerUpdateKind.ACCEPTED), principal)


@router.post("/referrals/{referral_id}/decline", response_model=StepOut, response_description=STEP_ANSWER)
async def decline_referral(
    referral_id: UUID,
    body: DeclineIn,
    principal: AnswererDep,
    deps: Deps,
    uow: UowDep,
) -> StepOut:
    step = Step(PartnerUpdateKind.DECLINED, reason=body.reason, note=body.note)
    return await _step(deps, uow, referral_id, step, principal)


@router.post("/referrals/{referral_id}/complete", response_model=StepOut, response_description=STEP_ANSWER)
async def complete_referral(
    referral_id: UUID,
    body: CompleteIn,
    principal: AnswererDep,
    deps: Deps,
    uow: UowDep,
) -> StepOut:
    step = Step(PartnerUpdateKind.COMPLETED, outcome=body.outcome, note=body.note)
    return await _step(deps, uow, referral_id, step, principal)


@router.post("/referrals/{referral_id}/cancel", response_model=ReferralOut)
async def cancel_referral(
    referral_id: UUID,
    principal: WorkerDep,
    deps: Deps,
    uow: UowDep,
    body: CancelIn | None = None,
) -> ReferralOut:
    """Only the worker cancels (its organisation's cases' referrals; another's: 404)."""
    step = Step(PartnerUpdateKind.CANCELLED, note=body.reason if body else None)
    row = await domain_call(
        take_step(deps, uow, referral_id, step, principal.actor, organisation=principal.organisation)
    )
    return ReferralOut.of(row, deps.today())


@router.post(
    "/referrals/{referral_id}/binding-opinion", response_model=StepOut, response_description=STEP_ANSWER
)
async def record_binding_opinion(
    referral_id: UUID,
    body: BindingOpinionIn,
    principal: AnswererDep,
    deps: Deps,
    uow: UowDep,
) -> StepOut:
    """The labour office's answer (§ 18–19): publishes BindingOpinionIssued and completes the referral."""
    opinion = BindingOpinion(**body.model_dump())
    partner, organisation = partner_scope(principal), case_scope(principal)
    row = await domain_call(
        issue_binding_opinion(
            deps, uow, referral_id, opinion, principal.actor, partner=partner, organisation=organisation
        )
    )
    return _answer(row, principal, deps)


@router.get("/alerts", response_model=list[ReferralOut])
async def list_alerts(principal: ReaderDep, deps: Deps, uow: UowDep) -> list[ReferralOut]:
    """Referrals a partner declined after it had accepted them, not yet dismissed by a worker (the
    caller's organisation's cases)."""
    today = deps.today()
    rows = await queries.alerts(uow.store, today, principal.organisation)
    return [ReferralOut.of(row, today) for row in rows]


@router.post("/alerts/{referral_id}/dismiss", response_model=ReferralOut)
async def dismiss(
    referral_id: UUID,
    principal: WorkerDep,
    deps: Deps,
    uow: UowDep,
) -> ReferralOut:
    row = await domain_call(dismiss_alert(uow, referral_id, principal.organisation))
    return ReferralOut.of(row, deps.today())
