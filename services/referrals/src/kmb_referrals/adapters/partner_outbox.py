"""Staging partner-shaped messages in the outbox.

A partner topic carries the partner's own shape (the domain ``PartnerMessage`` and status updates), not
integration events, so the shared ``Outbox.stage`` does not fit. These rows go into the same outbox table
in the same transaction as the state change; the shared relay publishes them as binary CloudEvents with
the type given here. The Kafka key and ``ce_subject`` are the per-partner case pseudonym: ordered per
case, and never the internal case id, which would let partners link their records.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.messaging import Outbox, OutboxMessage
from kmb_shared.messaging.cloudevents import new_event_id
from kmb_shared.messaging.outbox import current_traceparent

from .tables import utcnow


def stage_partner_message(
    session: AsyncSession,
    outbox: Outbox,
    *,
    topic: str,
    message_type: str,
    key: str,
    payload: BaseModel,
    occurred_at: datetime | None = None,
) -> str:
    """Add one partner message to the session's outbox; published once the session commits."""
    event_id = new_event_id()
    session.add(
        OutboxMessage(
            event_id=event_id,
            event_type=message_type,
            topic=topic,
            key=key,
            source=outbox.source,
            payload=payload.model_dump_json(),
            traceparent=current_traceparent(),
            occurred_at=occurred_at or utcnow(),
        )
    )
    return event_id
