"""The partner registry over HTTP; registering a partner creates its topic."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import require_organisation
from kmb_shared.errors import NotFoundError
from kmb_shared.service import SessionDep

from ..adapters.repository import all_partners
from ..adapters.tables import PartnerRow
from ..application.context import ReferralsContext
from ..application.partners import register_partner, update_partner
from ..demo import load_demo_partners
from ..domain import Partner
from .access import AdminDep, RegistryReaderDep, sees_whole_registry
from .deps import ContextDep, domain_call
from .schemas import PartnerOut, PartnerPatch
from .tokens import PartnerTokenOut, issue_partner_token

router = APIRouter(prefix="/api", tags=["partners"])


@router.post("/partners", status_code=201, response_model=PartnerOut)
async def create_partner(
    body: Partner, principal: AdminDep, ctx: ReferralsContext = ContextDep, session: AsyncSession = SessionDep
) -> PartnerOut:
    """Register a partner organisation; its topic ``kmb.partner.<slug>.v1`` is created at once."""
    row = await domain_call(register_partner(ctx, session, body))
    return PartnerOut.of(row, ctx.topic(row.slug))


@router.get("/partners", response_model=list[PartnerOut])
async def list_partners(
    principal: RegistryReaderDep, ctx: ReferralsContext = ContextDep, session: AsyncSession = SessionDep
) -> list[PartnerOut]:
    """Every partner (workers, administrators, auditors); a partner organisation sees only itself."""
    rows = await all_partners(session)
    if not sees_whole_registry(principal):
        rows = [row for row in rows if row.slug == principal.organisation]
    return [PartnerOut.of(row, ctx.topic(row.slug)) for row in rows]


@router.get("/partners/{slug}", response_model=PartnerOut)
async def get_partner(
    slug: str,
    principal: RegistryReaderDep,
    ctx: ReferralsContext = ContextDep,
    session: AsyncSession = SessionDep,
) -> PartnerOut:
    if not sees_whole_registry(principal):
        require_organisation(principal, slug)
    row = await session.get(PartnerRow, slug)
    if row is None:
        raise NotFoundError("Partner", "Partner")
    return PartnerOut.of(row, ctx.topic(row.slug))


@router.patch("/partners/{slug}", response_model=PartnerOut)
async def change_partner(
    slug: str,
    body: PartnerPatch,
    principal: AdminDep,
    ctx: ReferralsContext = ContextDep,
    session: AsyncSession = SessionDep,
) -> PartnerOut:
    """Change name, contact, accepted kinds or whether the partner is active (only the fields sent)."""
    if await session.get(PartnerRow, slug) is None:
        raise NotFoundError("Partner", "Partner")
    changes = body.model_dump(exclude_unset=True)
    row = await domain_call(update_partner(session, slug, changes))
    return PartnerOut.of(row, ctx.topic(row.slug))


@router.post("/partners/{slug}/tokens", status_code=201, response_model=PartnerTokenOut)
async def partner_token(
    slug: str, request: Request, principal: AdminDep, session: AsyncSession = SessionDep
) -> PartnerTokenOut:
    """Issue an API token for the partner's own system (role partner, its slug); shown once."""
    if await session.get(PartnerRow, slug) is None:
        raise NotFoundError("Partner", "Partner")
    return issue_partner_token(request, slug, principal)


class DemoPartnersOut(BaseModel):
    created: list[str]


@router.post("/demo/partners", response_model=DemoPartnersOut)
async def demo_partners(principal: AdminDep, ctx: ReferralsContext = ContextDep) -> DemoPartnersOut:
    """Register the demo town's partners (marked DEMO) that are not registered yet."""
    return DemoPartnersOut(created=await domain_call(load_demo_partners(ctx.runtime)))
