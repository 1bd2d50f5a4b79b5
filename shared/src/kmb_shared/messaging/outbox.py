"""Transactional outbox: stage events in the same transaction as the state change; a relay publishes
them with an idempotent producer and marks them sent only after the broker acknowledged them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from opentelemetry import context as otel_context
from opentelemetry import propagate
from sqlalchemy import func, update
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


@runtime_checkable
class Publisher(Protocol):
    """What the relay publishes with: ``send`` hands a row to the producer and returns the ack's
    awaitable; ``reset`` recreates the producer after an error (see :class:`KafkaPublisher`)."""

    async def send(self, row: OutboxMessage, headers: dict[str, str]) -> Awaitable[object]: ...

    async def reset(self) -> None: ...


class FunctionPublisher:
    """A plain send function as a :class:`Publisher` whose ``reset`` does nothing (tests, tools)."""

    def __init__(self, send: SendFn) -> None:
        self._send = send

    async def send(self, row: OutboxMessage, headers: dict[str, str]) -> Awaitable[object]:
        return await self._send(row, headers)

    async def reset(self) -> None:
        return None


class OutboxRelay:
    """Publishes unsent outbox rows. Woken after each commit, else polls every ``interval``.

    **Claiming.** One round claims the *head* of each stream: the oldest unsent row of a (topic, key),
    with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, then the unsent rows after those heads
    (also locked, skipping locked ones). A row is published only by the relay holding its lock, and the
    lock is re-checked against ``sent_at IS NULL`` on the row's latest version, so two copies of a service
    on one PostgreSQL database never publish the same row; a relay that dies drops its connection and
    with it its locks, so nothing waits for a lease to expire (why locks and not a lease column: no
    clock, no expiry to tune, no schema change). Holding a head also owns its stream: another relay does
    not see the rows behind it as heads until the head is marked sent and committed.
    **SQLite** has no row locks: one relay per database, so SQLite means one copy of each service.

    **Order per key.** The idempotent producer keeps order within a partition only among the records
    it has in flight; if row N of a key failed and N+1 was already in flight, N+1 could be written and N
    re-sent after it. So each stream is sent as a chain: row N+1 is handed to the producer only after
    row N was acknowledged, and a chain stops at its first failure (the rest of the stream waits for the
    next round, behind the re-sent N). Different streams are in flight together. Across relays order
    holds because one relay owns a stream at a time and marks its rows before another can see the next
    ones as heads. (Rows of one key staged by concurrent transactions are ordered by their ids, which a
    transaction takes before it commits; such rows had no defined order to keep.)

    **Acknowledgements.** Each row is marked sent by its own ack; rows whose ack failed stay unsent and
    only they (and the rest of their stream) are sent again. The marks of one round are written and
    committed together once its acks have settled (committing releases the claim). A crash between an
    ack and that commit re-sends rows: at-least-once, and consumers' inboxes drop the copies.

    **Errors.** After any failure the relay asks the publisher to recreate its producer and waits,
    doubling from ``interval`` up to ``max_backoff`` seconds, before the next round.
    """

    def __init__(
        self,
        db: Database,
        publisher: Publisher | SendFn,
        *,
        interval: float = 0.5,
        batch: int = 200,
        max_backoff: float = 30.0,
    ) -> None:
        self.db = db
        self.publisher: Publisher = (
            publisher if isinstance(publisher, Publisher) else FunctionPublisher(publisher)
        )
        self.interval = interval
        self.batch = batch
        self.max_backoff = max_backoff
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._stopping = False
        self.published = 0
        self.failures = 0  #: failed rounds in a row (0 once a round succeeds)
        self.errors = 0  #: failed rounds since start
        self._send_failed = False

    @property
    def send(self) -> SendFn:
        """The publisher's send (kept for callers that replace it with a function, e.g. tests)."""
        return self.publisher.send

    @send.setter
    def send(self, fn: SendFn) -> None:
        self.publisher = FunctionPublisher(fn)

    def wake(self) -> None:
        self._wake.set()

    def backoff(self) -> float:
        """The wait after the current run of failures: interval, 2x, 4x ... capped at max_backoff."""
        if self.failures <= 0:
            return 0.0
        return float(min(self.max_backoff, self.interval * 2 ** min(self.failures - 1, 30)))

    async def run(self) -> None:
        while not self._stopping:
            try:
                sent = await self.publish_pending()
                self.failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.failures += 1
                self.errors += 1
                delay = self.backoff()
                log.warning(
                    "outbox relay: round failed (%d in a row), retrying in %.1f s: %r",
                    self.failures,
                    delay,
                    exc,
                )
                if self._send_failed:
                    try:
                        await self.publisher.reset()
                    except asyncio.CancelledError:
                        raise
                    except Exception:
                        log.exception("outbox relay: could not reset the producer")
                await self._pause(delay)
                continue
            if sent == 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
                except TimeoutError:
                    pass
                self._wake.clear()

    async def _pause(self, seconds: float) -> None:
        # Only stop() cuts a backoff short: a commit's wake-up must not turn it into a busy loop.
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
        except TimeoutError:
            pass
        self._wake.clear()

    def stop(self) -> None:
        self._stopping = True
        self._stop.set()
        self._wake.set()

    async def publish_pending(self) -> int:
        """Claim and publish one round of unsent rows; mark each acknowledged row sent. Returns how many
        were published; raises the first failure after marking the rows that did get through."""
        self._send_failed = False
        async with self.db.session() as session:
            streams = await self._claim(session)
            if not streams:
                return 0
            acked: list[int] = []
            failures: list[BaseException] = []
            await asyncio.gather(*(self._send_chain(rows, acked, failures) for rows in streams))
            if acked:
                await session.exec(  # type: ignore[call-overload]
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id).in_(acked))
                    .values(sent_at=datetime.now(UTC))
                )
            await session.commit()
            self.published += len(acked)
            if failures:
                self._send_failed = True
                raise failures[0]
            return len(acked)

    async def _claim(self, session: AsyncSession) -> list[list[OutboxMessage]]:
        """The streams of this round, each a list of rows of one (topic, key) in id order, locked."""
        # The oldest unsent row of each stream (one pass over the unsent rows, whatever the backlog).
        head_ids = (
            select(func.min(OutboxMessage.id))
            .where(col(OutboxMessage.sent_at).is_(None))
            .group_by(col(OutboxMessage.topic), col(OutboxMessage.key))
        )
        heads = (
            await session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.sent_at).is_(None))
                .where(col(OutboxMessage.id).in_(head_ids))
                .order_by(col(OutboxMessage.id))
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not heads:
            return []
        streams = {(row.topic, row.key): [row] for row in heads}
        followers = (
            await session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.sent_at).is_(None))
                .where(col(OutboxMessage.key).in_({row.key for row in heads}))
                .where(col(OutboxMessage.id).not_in([row.id for row in heads]))
                .order_by(col(OutboxMessage.id))
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for row in followers:
            stream = streams.get((row.topic, row.key))
            if stream is not None and row.id is not None and stream[0].id is not None:
                if row.id > stream[0].id:
                    stream.append(row)
        return list(streams.values())

    async def _send_chain(
        self, rows: list[OutboxMessage], acked: list[int], failures: list[BaseException]
    ) -> None:
        for row in rows:
            if failures:
                return  # the producer is likely broken: send nothing more this round
            token = None
            if row.traceparent:
                token = otel_context.attach(propagate.extract({"traceparent": row.traceparent}))
            try:
                ack = await self.publisher.send(row, self._headers(row))
                await ack
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures.append(exc)
                return
            finally:
                if token is not None:
                    otel_context.detach(token)
            assert row.id is not None
            acked.append(row.id)

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
