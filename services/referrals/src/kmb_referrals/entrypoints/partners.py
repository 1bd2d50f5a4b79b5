"""The partner registry over HTTP; registering a partner creates its topic."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.errors import NotFoundError
from kmb_shared.service import SessionDep

from ..adapters.repository import all_partners
from ..adapters.tables import PartnerRow
from ..application.context import ReferralsContext
from ..application.partners import register_partner, update_partner
from ..demo import load_demo_partners
from ..domain import Partner
from .deps import ContextDep, domain_call
from .schemas import PartnerOut, PartnerPatch

router = APIRouter(prefix="/api", tags=["partners"])


@router.post("/partners", status_code=201, response_model=PartnerOut)
async def create_partner(
    body: Partner, ctx: ReferralsContext = ContextDep, session: AsyncSession = SessionDep
) -> PartnerOut:
    """Register a partner organisation; its topic ``kmb.partner.<slug>.v1`` is created at once."""
    row = await domain_call(register_partner(ctx, session, body))
    return PartnerOut.of(row, ctx.topic(row.slug))


@router.get("/partners", response_model=list[PartnerOut])
async def list_partners(
    ctx: ReferralsContext = ContextDep, session: AsyncSession = SessionDep
) -> list[PartnerOut]:
    return [PartnerOut.of(row, ctx.topic(row.slug)) for row in await all_partners(session)]


@router.get("/partners/{slug}", response_model=PartnerOut)
async def get_partner(
    slug: str, ctx: ReferralsContext = ContextDep, session: AsyncSession = SessionDep
) -> PartnerOut:
    row = await session.get(PartnerRow, slug)
    if row is None:
        raise NotFoundError("Partner", "Partner")
    return PartnerOut.of(row, ctx.topic(row.slug))


@router.patch("/partners/{slug}", response_model=PartnerOut)
async def change_partner(
    slug: str, body: PartnerPatch, ctx: ReferralsContext = ContextDep, session: AsyncSession = SessionDep
) -> PartnerOut:
    """Change name, contact, accepted kinds or whether the partner is active (only the fields sent)."""
    if await session.get(PartnerRow, slug) is None:
        raise NotFoundError("Partner", "Partner")
    changes = body.model_dump(exclude_unset=True)
    row = await domain_call(update_partner(session, slug, changes))
    return PartnerOut.of(row, ctx.topic(row.slug))


class DemoPartnersOut(BaseModel):
    created: list[str]


@router.post("/demo/partners", response_model=DemoPartnersOut)
async def demo_partners(ctx: ReferralsContext = ContextDep) -> DemoPartnersOut:
    """Register the demo town's partners (marked DEMO) that are not registered yet."""
    return DemoPartnersOut(created=await domain_call(load_demo_partners(ctx.runtime)))
