"""The partner registry over HTTP; registering a partner creates its topic."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from kmb_shared.auth import require_organisation

from ...application import queries
from ...application.demo import load_demo_partners
from ...application.partners import register_partner, update_partner
from ...domain import Partner
from ..access import AdminDep, RegistryReaderDep, sees_whole_registry
from ..deps import CredentialsDep, Deps, UowDep
from ..schemas import PartnerOut, PartnerPatch
from ..tokens import PartnerTokenOut, issue_partner_token
from .errors import domain_call

router = APIRouter(prefix="/api", tags=["partners"])


#: the partner's topic is created on Kafka at once: without the broker nothing is stored (503)
TOPIC_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"description": "Kafka nedostupná, nic neuloženo / Kafka unavailable, nothing stored"}
}


@router.post("/partners", status_code=201, response_model=PartnerOut, responses=TOPIC_UNAVAILABLE)
async def create_partner(body: Partner, principal: AdminDep, deps: Deps, uow: UowDep) -> PartnerOut:
    """Register a partner organisation; its topic ``kmb.partner.<slug>.v1`` is created at once."""
    row = await domain_call(register_partner(deps, uow, body))
    return PartnerOut.of(row, deps.topic(row.slug))


@router.get("/partners", response_model=list[PartnerOut])
async def list_partners(principal: RegistryReaderDep, deps: Deps, uow: UowDep) -> list[PartnerOut]:
    """Every partner (workers, administrators, auditors); a partner organisation sees only itself."""
    rows = await queries.partners(uow.store)
    if not sees_whole_registry(principal):
        rows = [row for row in rows if row.slug == principal.organisation]
    return [PartnerOut.of(row, deps.topic(row.slug)) for row in rows]


@router.get("/partners/{slug}", response_model=PartnerOut)
async def get_partner(slug: str, principal: RegistryReaderDep, deps: Deps, uow: UowDep) -> PartnerOut:
    if not sees_whole_registry(principal):
        require_organisation(principal, slug)
    row = await queries.known_partner(uow.store, slug)
    return PartnerOut.of(row, deps.topic(row.slug))


@router.patch("/partners/{slug}", response_model=PartnerOut)
async def change_partner(
    slug: str, body: PartnerPatch, principal: AdminDep, deps: Deps, uow: UowDep
) -> PartnerOut:
    """Change name, contact, accepted kinds or whether the partner is active (only the fields sent)."""
    await queries.known_partner(uow.store, slug)
    changes = body.model_dump(exclude_unset=True)
    row = await domain_call(update_partner(uow, slug, changes))
    return PartnerOut.of(row, deps.topic(row.slug))


@router.post("/partners/{slug}/tokens", status_code=201, response_model=PartnerTokenOut)
async def partner_token(
    slug: str, principal: AdminDep, deps: Deps, uow: UowDep, signed_in: CredentialsDep
) -> PartnerTokenOut:
    """Issue an API token for the partner's own system (role partner, its slug); shown once. Intake
    issues and records it (it expires; GET/DELETE /api/tokens on intake list and revoke it); 409 for a
    deactivated partner, 503 when intake does not answer."""
    await queries.known_partner(uow.store, slug)
    return await issue_partner_token(deps, uow.store, slug, signed_in)


class DemoPartnersOut(BaseModel):
    created: list[str]


@router.post("/demo/partners", response_model=DemoPartnersOut, responses=TOPIC_UNAVAILABLE)
async def demo_partners(principal: AdminDep, deps: Deps) -> DemoPartnersOut:
    """Register the demo town's partners (marked DEMO) that are not registered yet."""
    return DemoPartnersOut(created=await domain_call(load_demo_partners(deps)))
