"""Transactional outbox: stage events in the same transaction as the state change; a relay publishes
them with an idempotent producer and marks them sent only after the broker acknowledged them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from opentelemetry import context as otel_context
from opentelemetry import propagate
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import IntegrationEvent
from kmb_shared.db import Database

from .cloudevents import new_event_id, serialize
from .tables import OutboxMessage
from .topics import Topics

log = logging.getLogger(__name__)


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


class Outbox:
    """Stages events of one service (``source`` = ``/kmb/<service>``)."""

    def __init__(self, service: str, topics: Topics) -> None:
        self.service = service
        self.source = f"/kmb/{service}"
        self.topics = topics

    def stage(
        self,
        session: AsyncSession,
        event: IntegrationEvent,
        *,
        topic: str | None = None,
        event_id: str | None = None,
    ) -> str:
        """Add the event to the session; it is published once the session commits. Returns its id."""
        event_id = event_id or new_event_id()
        session.add(
            OutboxMessage(
                event_id=event_id,
                event_type=event.event_type,
                topic=topic or self.topics.for_event(event),
                key=event.subject,
                source=self.source,
                payload=serialize(event).decode(),
                traceparent=current_traceparent(),
                occurred_at=event.occurred_at,
            )
        )
        return event_id


#: publishes one row and returns an awaitable that resolves when the broker acknowledged it
SendFn = Callable[[OutboxMessage, dict[str, str]], Awaitable[Awaitable[object]]]


class OutboxRelay:
    """Publishes unsent outbox rows in order. Woken after each commit, else polls every ``interval``."""

    def __init__(self, db: Database, send: SendFn, *, interval: float = 0.5, batch: int = 200) -> None:
        self.db = db
        self.send = send
        self.interval = interval
        self.batch = batch
        self._wake = asyncio.Event()
        self._stopping = False
        self.published = 0

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            try:
                sent = await self.publish_pending()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox relay failed; retrying")
                sent = 0
                await asyncio.sleep(self.interval)
            if sent == 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
                except TimeoutError:
                    pass
                self._wake.clear()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def publish_pending(self) -> int:
        """Publish one batch of unsent rows; mark them sent after every ack. Returns how many."""
        async with self.db.session() as session:
            rows = (
                await session.exec(
                    select(OutboxMessage)
                    .where(col(OutboxMessage.sent_at).is_(None))
                    .order_by(col(OutboxMessage.id))
                    .limit(self.batch)
                )
            ).all()
            if not rows:
                return 0
            acks = []
            for row in rows:
                headers = self._headers(row)
                token = None
                if row.traceparent:
                    token = otel_context.attach(propagate.extract({"traceparent": row.traceparent}))
                try:
                    acks.append(await self.send(row, headers))
                finally:
                    if token is not None:
                        otel_context.detach(token)
            # The idempotent producer keeps per-partition order; wait for every ack before marking.
            await asyncio.gather(*acks)
            now = datetime.now(UTC)
            ids = [row.id for row in rows]
            await session.exec(  # type: ignore[call-overload]
                update(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).values(sent_at=now)
            )
            await session.commit()
            self.published += len(rows)
            return len(rows)

    @staticmethod
    def _headers(row: OutboxMessage) -> dict[str, str]:
        return {
            "ce_id": row.event_id,
            "ce_source": row.source,
            "ce_specversion": "1.0",
            "ce_type": row.event_type,
            "ce_time": _aware(row.occurred_at).isoformat(),
            "ce_subject": row.key,
            "content-type": "application/json",
        }


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back without a zone; everything is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
