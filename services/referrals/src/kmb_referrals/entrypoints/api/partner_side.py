"""The partner's side: its inbox and its answers, scoped to the organisation in the path.

The caller is a partner user or a partner's API token (role ``partner``) whose organisation must be the
partner in the path (403 otherwise). A referral of another partner is not found (404).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, HTTPException

from kmb_shared.auth import Principal

from ...application import queries
from ...application.deps import ReferralsDeps
from ...application.details import DetailsUnavailable, partner_referral, referral_details
from ...application.lifecycle import BindingOpinion, Step, issue_binding_opinion, take_step
from ...application.ports import UnitOfWork
from ...domain import PartnerUpdateKind, ReferralState
from ..access import OwnPartnerDep
from ..deps import CredentialsDep, Deps, UowDep
from ..schemas import BindingOpinionIn, CompleteIn, DeclineIn, InboxItem, PartnerReferralOut
from .errors import domain_call

router = APIRouter(prefix="/api/partner/{slug}", tags=["partner side"])


@router.get("/inbox", response_model=list[InboxItem])
async def inbox(
    slug: str,
    principal: OwnPartnerDep,
    deps: Deps,
    uow: UowDep,
    status: ReferralState | None = None,
) -> list[InboxItem]:
    """The organisation's referrals, newest first, as they were sent to it (no identity kept here)."""
    today = deps.today()
    rows = await queries.inbox(uow.store, slug, status, today)
    return [InboxItem.of(row, today) for row in rows]


@router.get("/referrals/{referral_id}", response_model=PartnerReferralOut)
async def referral(
    slug: str,
    referral_id: UUID,
    principal: OwnPartnerDep,
    signed_in: CredentialsDep,
    deps: Deps,
    uow: UowDep,
) -> PartnerReferralOut:
    """One referral with the client's details where the case's consent names the partner or a legal
    basis allows it: fetched from intake now with the caller's own credential (intake logs the view),
    cut down to what the kind needs. Without either, no client, case number or note. Another
    partner's referral 404; intake not answering 503 ``intake_unavailable``."""
    await queries.known_partner(uow.store, slug)
    row = await partner_referral(uow, slug, referral_id)
    try:
        details = await referral_details(deps, row, principal.actor, signed_in)
    except DetailsUnavailable as exc:
        detail = {"code": exc.code, "message_cs": exc.message_cs, "message_en": exc.message_en}
        raise HTTPException(status_code=503, detail=detail) from exc
    return PartnerReferralOut.with_details(row, deps.today(), details)


async def _answer(
    principal: Principal,
    slug: str,
    referral_id: UUID,
    step: Step,
    deps: ReferralsDeps,
    uow: UnitOfWork,
) -> InboxItem:
    await queries.known_partner(uow.store, slug)
    row = await domain_call(take_step(deps, uow, referral_id, step, principal.actor, partner=slug))
    return InboxItem.of(row, deps.today())


@router.post("/referrals/{referral_id}/accept", response_model=InboxItem)
async def accept(
    slug: str,
    referral_id: UUID,
    principal: OwnPartnerDep,
    deps: Deps,
    uow: UowDep,
) -> InboxItem:
    return await _answer(principal, slug, referral_id, Step(PartnerUpdateKind.ACCEPTED), deps, uow)


@router.post("/referrals/{referral_id}/decline", response_model=InboxItem)
async def decline(
    slug: str,
    referral_id: UUID,
    body: DeclineIn,
    principal: OwnPartnerDep,
    deps: Deps,
    uow: UowDep,
) -> InboxItem:
    step = Step(PartnerUpdateKind.DECLINED, reason=body.reason, note=body.note)
    return await _answer(principal, slug, referral_id, step, deps, uow)


@router.post("/referrals/{referral_id}/complete", response_model=InboxItem)
async def complete(
    slug: str,
    referral_id: UUID,
    body: CompleteIn,
    principal: OwnPartnerDep,
    deps: Deps,
    uow: UowDep,
) -> InboxItem:
    step = Step(PartnerUpdateKind.COMPLETED, outcome=body.outcome, note=body.note)
    return await _answer(principal, slug, referral_id, step, deps, uow)


@router.post("/referrals/{referral_id}/binding-opinion", response_model=InboxItem)
async def binding_opinion(
    slug: str,
    referral_id: UUID,
    body: BindingOpinionIn,
    principal: OwnPartnerDep,
    deps: Deps,
    uow: UowDep,
) -> InboxItem:
    """The labour office answers a binding-opinion referral itself."""
    await queries.known_partner(uow.store, slug)
    opinion = BindingOpinion(**body.model_dump())
    row = await domain_call(
        issue_binding_opinion(deps, uow, referral_id, opinion, principal.actor, partner=slug)
    )
    return InboxItem.of(row, deps.today())
