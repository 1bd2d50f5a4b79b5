"""The partner registry: register, change, and the partner's own topic on Kafka."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from kmb_shared.errors import ConflictError

from ..adapters.repository import new_partner_row, partner_of, write_partner
from ..adapters.tables import PartnerRow
from ..domain import Partner
from .deps import ReferralsDeps
from .errors import AlreadyStored, PartnerExists, PartnerInactive, TopicUnavailable, UnknownPartner
from .ports import ReferralStore, UnitOfWork

log = logging.getLogger(__name__)


async def ensure_partner_topics(deps: ReferralsDeps, slugs: Sequence[str]) -> list[str]:
    """Create the partners' topics that do not exist yet; return the names created."""
    return await deps.partner_topics.ensure(slugs)


async def register_partner(deps: ReferralsDeps, uow: UnitOfWork, partner: Partner) -> PartnerRow:
    """Store the partner and create its topic; nothing is stored if the topic cannot be created."""
    if await uow.store.partner(partner.slug) is not None:
        raise PartnerExists(partner.slug)
    row = new_partner_row(partner)
    uow.store.add(row)
    try:
        await uow.store.flush()
        await ensure_partner_topics(deps, [partner.slug])
        await uow.commit()
    except AlreadyStored as exc:
        raise PartnerExists(partner.slug) from exc
    return row


async def get_partner_row(store: ReferralStore, slug: str, field: str = "partner") -> PartnerRow:
    row = await store.partner(slug)
    if row is None:
        raise UnknownPartner(slug, field)
    return row


async def refuse_inactive_partner(store: ReferralStore, slug: str) -> None:
    """A partner that is registered but deactivated may no longer act: ``PartnerInactive``. (An unknown
    slug is left to the routes: its inbox is not found.)"""
    row = await store.partner(slug)
    if row is not None and not row.active:
        raise PartnerInactive()


async def issue_partner_token(
    deps: ReferralsDeps, store: ReferralStore, slug: str, credentials: Mapping[str, str]
) -> dict[str, Any]:
    """An API token for a registered, active partner's own system, issued by intake as the signed-in
    administrator: intake records it, so it is listed and revoked with every other token and expires."""
    row = await get_partner_row(store, slug)
    if not row.active:
        raise ConflictError(
            "partner_inactive",
            "Partner je deaktivován; token mu lze vydat až po jeho opětovné aktivaci.",
            "The partner is deactivated; a token can be issued once it is activated again.",
        )
    issued = await deps.intake.partner_token(slug, credentials)
    log.info("referrals: API token %s issued for partner %s", issued.get("id"), slug)
    return issued


async def update_partner(uow: UnitOfWork, slug: str, changes: dict[str, Any]) -> PartnerRow:
    """Apply the given fields (validated as a whole partner; raises pydantic's ValidationError)."""
    row = await get_partner_row(uow.store, slug, field="slug")
    current = partner_of(row).model_dump()
    changed = Partner.model_validate({**current, **changes, "slug": slug})
    write_partner(row, changed)
    uow.store.add(row)
    await uow.commit()
    return row


async def ensure_known_partner_topics(deps: ReferralsDeps) -> None:
    """At start: every registered partner's topic exists (best effort; logged when Kafka is away)."""
    async with deps.uow() as uow:
        slugs = [row.slug for row in await uow.store.partners()]
    if not slugs:
        return
    try:
        created = await ensure_partner_topics(deps, slugs)
    except TopicUnavailable as exc:
        log.warning("referrals: partner topics not checked at start: %s", exc)
        return
    if created:
        log.info("referrals: created partner topics %s", ", ".join(created))
