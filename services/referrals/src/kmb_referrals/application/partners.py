"""The partner registry: register, change, and the partner's own topic on Kafka."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.messaging.admin import ensure_topics

from ..adapters.repository import all_partners, new_partner_row, partner_of, write_partner
from ..adapters.tables import PartnerRow
from ..domain import Partner
from .context import ReferralsContext
from .errors import PartnerExists, TopicUnavailable, UnknownPartner

log = logging.getLogger(__name__)

TOPIC_TIMEOUT_S = 20.0


async def ensure_partner_topics(ctx: ReferralsContext, slugs: Sequence[str]) -> list[str]:
    """Create the partners' topics that do not exist yet; return the names created."""
    names = [ctx.topic(slug) for slug in slugs]
    s = ctx.settings
    try:
        return await asyncio.wait_for(
            ensure_topics(s.kafka_bootstrap, names, s.partner_topic_partitions, s.partner_topic_replication),
            TOPIC_TIMEOUT_S,
        )
    except Exception as exc:
        raise TopicUnavailable(f"cannot create {', '.join(names)}: {exc!r}") from exc


async def register_partner(ctx: ReferralsContext, session: AsyncSession, partner: Partner) -> PartnerRow:
    """Store the partner and create its topic; nothing is stored if the topic cannot be created."""
    if await session.get(PartnerRow, partner.slug) is not None:
        raise PartnerExists(partner.slug)
    row = new_partner_row(partner)
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise PartnerExists(partner.slug) from exc
    await ensure_partner_topics(ctx, [partner.slug])
    try:
        await session.commit()
    except IntegrityError as exc:
        raise PartnerExists(partner.slug) from exc
    return row


async def get_partner_row(session: AsyncSession, slug: str, field: str = "partner") -> PartnerRow:
    row = await session.get(PartnerRow, slug)
    if row is None:
        raise UnknownPartner(slug, field)
    return row


async def update_partner(session: AsyncSession, slug: str, changes: dict[str, Any]) -> PartnerRow:
    """Apply the given fields (validated as a whole partner; raises pydantic's ValidationError)."""
    row = await get_partner_row(session, slug, field="slug")
    current = partner_of(row).model_dump()
    changed = Partner.model_validate({**current, **changes, "slug": slug})
    write_partner(row, changed)
    session.add(row)
    await session.commit()
    return row


async def ensure_known_partner_topics(ctx: ReferralsContext) -> None:
    """At start: every registered partner's topic exists (best effort; logged when Kafka is away)."""
    async with ctx.runtime.db.session() as session:
        slugs = [row.slug for row in await all_partners(session)]
    if not slugs:
        return
    try:
        created = await ensure_partner_topics(ctx, slugs)
    except TopicUnavailable as exc:
        log.warning("referrals: partner topics not checked at start: %s", exc)
        return
    if created:
        log.info("referrals: created partner topics %s", ", ".join(created))
