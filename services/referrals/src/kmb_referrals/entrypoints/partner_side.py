"""The partner's side: its inbox and its answers, scoped to the organisation in the path.

The caller is a partner user or a partner's API token (role ``partner``) whose organisation must be the
partner in the path (403 otherwise). A referral of another partner is not found (404).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal
from kmb_shared.errors import NotFoundError
from kmb_shared.service import SessionDep

from ..adapters.repository import ReferralFilter, find_referrals
from ..adapters.tables import PartnerRow
from ..application.context import ReferralsContext
from ..application.lifecycle import BindingOpinion, Step, issue_binding_opinion, take_step
from ..domain import PartnerUpdateKind, ReferralState
from .access import OwnPartnerDep
from .deps import ContextDep, domain_call
from .schemas import BindingOpinionIn, CompleteIn, DeclineIn, InboxItem

router = APIRouter(prefix="/api/partner/{slug}", tags=["partner side"])


async def _known(session: AsyncSession, slug: str) -> None:
    if await session.get(PartnerRow, slug) is None:
        raise NotFoundError("Partner", "Partner")


@router.get("/inbox", response_model=list[InboxItem])
async def inbox(
    slug: str,
    principal: OwnPartnerDep,
    status: ReferralState | None = None,
    ctx: ReferralsContext = ContextDep,
    session: AsyncSession = SessionDep,
) -> list[InboxItem]:
    """The organisation's referrals, newest first, as they were sent to it (no identity kept here)."""
    await _known(session, slug)
    today = ctx.today()
    rows = await find_referrals(session, ReferralFilter(partner=slug, status=status), today)
    return [InboxItem.of(row, today) for row in rows]


async def _answer(
    principal: Principal,
    slug: str,
    referral_id: UUID,
    step: Step,
    ctx: ReferralsContext,
    session: AsyncSession,
) -> InboxItem:
    await _known(session, slug)
    row = await domain_call(take_step(ctx, session, referral_id, step, principal.actor, partner=slug))
    return InboxItem.of(row, ctx.today())


@router.post("/referrals/{referral_id}/accept", response_model=InboxItem)
async def accept(
    slug: str,
    referral_id: UUID,
    principal: OwnPartnerDep,
    ctx: ReferralsContext = ContextDep,
    session: AsyncSession = SessionDep,
) -> InboxItem:
    return await _answer(principal, slug, referral_id, Step(PartnerUpdateKind.ACCEPTED), ctx, session)


@router.post("/referrals/{referral_id}/decline", response_model=InboxItem)
async def decline(
    slug: str,
    referral_id: UUID,
    body: DeclineIn,
    principal: OwnPartnerDep,
    ctx: ReferralsContext = ContextDep,
    session: AsyncSession = SessionDep,
) -> InboxItem:
    step = Step(PartnerUpdateKind.DECLINED, reason=body.reason, note=body.note)
    return await _answer(principal, slug, referral_id, step, ctx, session)


@router.post("/referrals/{referral_id}/complete", response_model=InboxItem)
async def complete(
    slug: str,
    referral_id: UUID,
    body: CompleteIn,
    principal: OwnPartnerDep,
    ctx: ReferralsContext = ContextDep,
    session: AsyncSession = SessionDep,
) -> InboxItem:
    step = Step(PartnerUpdateKind.COMPLETED, outcome=body.outcome, note=body.note)
    return await _answer(principal, slug, referral_id, step, ctx, session)


@router.post("/referrals/{referral_id}/binding-opinion", response_model=InboxItem)
async def binding_opinion(
    slug: str,
    referral_id: UUID,
    body: BindingOpinionIn,
    principal: OwnPartnerDep,
    ctx: ReferralsContext = ContextDep,
    session: AsyncSession = SessionDep,
) -> InboxItem:
    """The labour office answers a binding-opinion referral itself."""
    await _known(session, slug)
    opinion = BindingOpinion(**body.model_dump())
    row = await domain_call(
        issue_binding_opinion(ctx, session, referral_id, opinion, principal.actor, partner=slug)
    )
    return InboxItem.of(row, ctx.today())
