"""Consuming events: inbox for exactly-once effects, bounded retries with backoff, then the DLQ.

The inbox row and the handler's effect commit in one transaction; the caller commits the Kafka offset
only after :meth:`EventConsumer.handle` returns, so a crash between the two redelivers an event the
inbox already knows — and a redelivered event changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg.exceptions as pg
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import IntegrationEvent
from kmb_shared.contracts import registry as contracts
from kmb_shared.db import Database

from .cloudevents import EventMeta, KafkaRecord, MalformedEvent, read_event, read_meta
from .outbox import Outbox
from .tables import InboxMessage, utcnow

log = logging.getLogger(__name__)


@dataclass
class HandlerContext:
    """What a handler gets besides the event: its own session, the envelope, and a way to emit."""

    session: AsyncSession
    meta: EventMeta
    outbox: Outbox
    emitted: list[str] = field(default_factory=list)

    def emit(self, event: IntegrationEvent, *, topic: str | None = None) -> str:
        """Stage an event caused by the one being handled (same transaction as the inbox row)."""
        if event.caused_by is None:
            event = event.model_copy(update={"caused_by": self.meta.id})
        event_id = self.outbox.stage(self.session, event, topic=topic)
        self.emitted.append(event_id)
        return event_id


Handler = Callable[[Any, HandlerContext], Awaitable[None]]
#: an event with its envelope, as a batch handler gets them
Delivery = tuple[Any, EventMeta]


@dataclass
class BatchContext:
    """What a batch handler gets besides its events: the one session of the batch and a way to emit."""

    session: AsyncSession
    outbox: Outbox
    emitted: list[str] = field(default_factory=list)

    def emit(self, event: IntegrationEvent, cause: EventMeta, *, topic: str | None = None) -> str:
        """Stage an event caused by ``cause`` (one of the batch; same transaction as its inbox row)."""
        if event.caused_by is None:
            event = event.model_copy(update={"caused_by": cause.id})
        event_id = self.outbox.stage(self.session, event, topic=topic)
        self.emitted.append(event_id)
        return event_id


class BatchHandler:
    """A handler that applies a run of events in one call (bulk statements, state folded in memory).

    It is also a per-event :data:`Handler`: live consumption calls it with each event alone, a replay
    with every consecutive event of its types in a large batch, so both run the same code."""

    def __init__(self, apply: Callable[[Sequence[Delivery], BatchContext], Awaitable[None]]) -> None:
        self.apply = apply
        self.__name__ = getattr(apply, "__name__", type(self).__name__)

    async def __call__(self, event: Any, ctx: HandlerContext) -> None:
        batch = BatchContext(session=ctx.session, outbox=ctx.outbox, emitted=ctx.emitted)
        await self.apply([(event, ctx.meta)], batch)


DeadLetterFn = Callable[[KafkaRecord, BaseException, str, int], Awaitable[None]]


#: how long a consumer waits before trying again an event whose database is away
OUTAGE_WAIT_S = 1.0
_SQLITE_BUSY = ("database is locked", "database is busy")


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) says the database cannot be reached now — a refused or lost
    connection, a server shutting down or out of connections, SQLite's writer lock — rather than that the
    event or the code is wrong."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return True
        if isinstance(exc, OSError | TimeoutError | ConnectionError):
            return True
        if isinstance(
            exc, pg.PostgresConnectionError | pg.OperatorInterventionError | pg.InsufficientResourcesError
        ):
            return True
        if isinstance(exc, pg.InterfaceError) and "connection" in str(exc).lower():
            return True
        if type(exc).__name__ == "OperationalError" and any(
            text in str(exc).lower() for text in _SQLITE_BUSY
        ):
            return True
        orig = getattr(exc, "orig", None)
        exc, seen = (
            (orig if isinstance(orig, BaseException) else None) or exc.__cause__ or exc.__context__,
            seen + 1,
        )
    return False


#: a record read and validated, with its handler: (record, handler, event, envelope)
Prepared = tuple[KafkaRecord, Handler, IntegrationEvent, EventMeta]

#: event ids per inbox query (SQLite allows some 32,000 parameters per statement)
_IN_CHUNK = 5000


def _runs(prepared: list[Prepared]) -> list[tuple[Handler, list[Prepared]]]:
    """Consecutive events with the same handler, in order."""
    runs: list[tuple[Handler, list[Prepared]]] = []
    for item in prepared:
        if runs and runs[-1][0] is item[1]:
            runs[-1][1].append(item)
        else:
            runs.append((item[1], [item]))
    return runs


class EventConsumer:
    """Applies the events one service handles; ignores the other types on its topics."""

    def __init__(
        self,
        *,
        name: str,
        db: Database,
        outbox: Outbox,
        handlers: Mapping[type[IntegrationEvent], Handler],
        dead_letter: DeadLetterFn,
        retries: int = 3,
        backoff: float = 0.2,
        after_commit: Callable[[], None] | None = None,
        remember_in_memory: bool = False,
    ) -> None:
        self.name = name
        self.db = db
        self.outbox = outbox
        self.handlers = {cls.event_type: fn for cls, fn in handlers.items()}
        self.dead_letter = dead_letter
        self.retries = retries
        self.backoff = backoff
        self.after_commit = after_commit
        self.applied = 0
        self.duplicates = 0
        self.dead_lettered = 0
        #: tries that found the database away (not counted as the event's failures)
        self.outages = 0
        #: a rebuild into a throw-away store keeps its inbox as this set of event ids instead of rows
        #: (nothing reads that store's inbox, and the set drops a redelivered event all the same)
        self.remembered: set[str] | None = set() if remember_in_memory else None

    async def handle(self, record: KafkaRecord) -> None:
        try:
            meta = read_meta(record)
        except MalformedEvent as exc:
            await self._dead_letter(record, exc, "validation", 0)
            return
        # An old version is handled as the type its upcasters turn it into.
        handler = self.handlers.get(contracts.current_type(meta.type))
        if handler is None:
            return  # another service's business, or an event type this service does not handle
        try:
            event = read_event(meta, record)
        except MalformedEvent as exc:
            await self._dead_letter(record, exc, "validation", 0)
            return

        last: BaseException | None = None
        attempt = 0
        while attempt <= self.retries:
            if attempt:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                await self._apply_once(handler, event, meta)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if database_unavailable(exc):
                    # Not the event's fault: its database is away (stopped, restarting, out of
                    # connections). Wait for it, however long, rather than dead-letter a good event;
                    # the partition waits with it, so nothing is lost or reordered.
                    self.outages += 1
                    log.warning(
                        "%s: %s %s waits for its database (%r); next try in %.0f s",
                        self.name,
                        meta.type,
                        meta.id,
                        exc,
                        OUTAGE_WAIT_S,
                    )
                    await asyncio.sleep(OUTAGE_WAIT_S)
                    continue
                attempt += 1
                last = exc
                log.warning(
                    "%s: %s %s failed (attempt %d/%d): %r",
                    self.name,
                    meta.type,
                    meta.id,
                    attempt,
                    self.retries + 1,
                    exc,
                )
        assert last is not None
        await self._dead_letter(record, last, "handler", self.retries + 1)

    async def handle_batch(self, records: Sequence[KafkaRecord]) -> None:
        """Apply many events in one transaction (used by rebuilds, where one commit per event would dominate).

        A run of consecutive events whose handler is a :class:`BatchHandler` goes to it in one call; the
        inbox rows of the batch are written with one statement (or only remembered, see
        ``remember_in_memory``). Same outcome as :meth:`handle` for each record: if anything in the batch
        fails, the batch is rolled back and its records are handled one at a time, with retries and dead
        letters as usual.
        """
        await self.apply_batch(await self.prepare_batch(records))

    async def prepare_batch(self, records: Sequence[KafkaRecord]) -> list[Prepared]:
        """The first half of :meth:`handle_batch`: the records this consumer handles, read and validated
        (a malformed one goes to the dead letters). Touches no database, so a rebuild prepares the next
        batch while the last one is written."""
        prepared: list[Prepared] = []
        for record in records:
            try:
                meta = read_meta(record)
                handler = self.handlers.get(contracts.current_type(meta.type))
                if handler is None:
                    continue
                prepared.append((record, handler, read_event(meta, record), meta))
            except MalformedEvent as exc:
                await self._dead_letter(record, exc, "validation", 0)
        return prepared

    async def apply_batch(self, prepared: list[Prepared]) -> None:
        """The second half of :meth:`handle_batch`: apply prepared events in one transaction."""
        if not prepared:
            return
        try:
            async with self.db.session() as session:
                fresh, duplicates = await self._unseen(session, prepared)
                if fresh and self.remembered is None:
                    now = utcnow()  # the column is NOT NULL and its default is the model's, not the table's
                    rows = [self._inbox_values(meta) | {"processed_at": now} for *_, meta in fresh]
                    await (await session.connection()).execute(sa.insert(InboxMessage), rows)
                ctx = BatchContext(session=session, outbox=self.outbox)
                for handler, run in _runs(fresh):
                    if isinstance(handler, BatchHandler):
                        await handler.apply([(event, meta) for _r, _h, event, meta in run], ctx)
                    else:
                        for _record, _handler, event, meta in run:
                            await handler(
                                event,
                                HandlerContext(
                                    session=session, meta=meta, outbox=self.outbox, emitted=ctx.emitted
                                ),
                            )
                await session.commit()
            if self.remembered is not None:
                self.remembered.update(meta.id for *_, meta in fresh)
            self.applied += len(fresh)
            self.duplicates += duplicates
        except Exception as exc:
            log.warning(
                "%s: a batch of %d failed (%r); applying them one by one", self.name, len(prepared), exc
            )
            for record, *_, meta in prepared:
                if self.remembered is not None and meta.id in self.remembered:
                    self.duplicates += 1
                    continue
                applied = self.applied
                await self.handle(record)
                if self.remembered is not None and self.applied > applied:
                    self.remembered.add(meta.id)

    async def _unseen(self, session: AsyncSession, prepared: list[Prepared]) -> tuple[list[Prepared], int]:
        """The prepared events not applied before (by the inbox) nor earlier in the batch, and how many
        were dropped as duplicates."""
        known: set[str] = set()
        if self.remembered is None:
            ids = list({meta.id for *_, meta in prepared})
            for chunk in range(0, len(ids), _IN_CHUNK):
                found = await session.exec(
                    select(InboxMessage.event_id).where(
                        InboxMessage.consumer == self.name,
                        col(InboxMessage.event_id).in_(ids[chunk : chunk + _IN_CHUNK]),
                    )
                )
                known.update(found.all())
        before = self.remembered if self.remembered is not None else known
        fresh = []
        for item in prepared:
            event_id = item[3].id
            if event_id not in before and event_id not in known:
                known.add(event_id)
                fresh.append(item)
        return fresh, len(prepared) - len(fresh)

    def _inbox_values(self, meta: EventMeta) -> dict[str, Any]:
        return {
            "consumer": self.name,
            "event_id": meta.id,
            "event_type": meta.type,
            "topic": meta.topic,
            "partition": meta.partition,
            "offset": meta.offset,
        }

    def _inbox_row(self, meta: EventMeta) -> InboxMessage:
        return InboxMessage(
            consumer=self.name,
            event_id=meta.id,
            event_type=meta.type,
            topic=meta.topic,
            partition=meta.partition,
            offset=meta.offset,
        )

    async def _apply_once(self, handler: Handler, event: IntegrationEvent, meta: EventMeta) -> None:
        async with self.db.session() as session:
            if await session.get(InboxMessage, (self.name, meta.id)) is not None:
                self.duplicates += 1
                return
            session.add(self._inbox_row(meta))
            ctx = HandlerContext(session=session, meta=meta, outbox=self.outbox)
            await handler(event, ctx)
            try:
                await session.commit()
            except IntegrityError:
                # Another copy of this consumer applied the same event concurrently.
                await session.rollback()
                async with self.db.session() as check:
                    if await check.get(InboxMessage, (self.name, meta.id)) is not None:
                        self.duplicates += 1
                        return
                raise
        self.applied += 1
        if ctx.emitted and self.after_commit:
            self.after_commit()

    async def _dead_letter(self, record: KafkaRecord, exc: BaseException, stage: str, attempts: int) -> None:
        log.error(
            "%s: event at %s[%d]@%d goes to the dead-letter topic (%s): %s",
            self.name,
            record.topic,
            record.partition,
            record.offset,
            stage,
            exc,
        )
        await self.dead_letter(record, exc, stage, attempts)
        self.dead_lettered += 1
