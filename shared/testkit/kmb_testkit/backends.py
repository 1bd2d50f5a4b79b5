"""One behavioural suite, several backends: a service's use cases run on its in-memory fakes, and on its
SQL unit of work over SQLite and PostgreSQL with the outbox relayed to the real Kafka broker. What a
test reads back is what the world would see: the events as they arrive on the broker (SQL backends) or
as the fake unit of work committed them. The events a service consumes reach it on a SQL backend as
they do in production: through the broker to the service's own consumer (:class:`Consumed`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import pytest
from aiokafka import AIOKafkaProducer

from kmb_shared import contracts
from kmb_shared.db import Database
from kmb_shared.messaging import EventConsumer, Handler, Outbox, OutboxMessage, OutboxRelay, Topics
from kmb_shared.messaging.cloudevents import read_event, read_meta

from .probe import read_all

#: the backends of a behavioural suite: the fast fake, then SQLite and PostgreSQL with the real broker
BACKENDS = (
    "fake",
    pytest.param("sqlite", marks=pytest.mark.kafka),
    pytest.param("postgres", marks=[pytest.mark.kafka, pytest.mark.postgres]),
)


def sql_backend_parts(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str, str]:
    """(database URL, Kafka bootstrap, topic prefix) of a SQL backend; call from a sync fixture."""
    bootstrap: str = request.getfixturevalue("kafka_bootstrap")
    prefix: str = request.getfixturevalue("topic_prefix")
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'behaviour.db'}", bootstrap, prefix
    url: str = request.getfixturevalue("postgres_database_url")
    return url, bootstrap, prefix


@pytest.fixture(params=BACKENDS)
def backend_parts(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str, str] | None:
    """A suite's backend: None for the fake, else (database URL, Kafka bootstrap, topic prefix).
    Import it into the suite's module (``from kmb_testkit.backends import backend_parts``)."""
    return None if request.param == "fake" else sql_backend_parts(request, tmp_path)


class RelayedOutbox:
    """A service's database and outbox whose staged events are relayed to the broker on demand and
    read back from it."""

    def __init__(self, service: str, database_url: str, bootstrap: str, prefix: str) -> None:
        self.service = service
        self.db = Database(database_url)
        self.topics = Topics(prefix)
        self.outbox = Outbox(service, self.topics)
        self.bootstrap = bootstrap
        self._sent: list[str] = []

    async def migrate(self, migrations: str | Path) -> None:
        await self.db.migrate(migrations)

    async def dispose(self) -> None:
        await self.db.dispose()

    async def events(self, topics: Sequence[str] | None = None) -> list[contracts.IntegrationEvent]:
        """Relay every staged event to the broker, then read back from the start the topics relayed to
        (or only ``topics``, e.g. the service's own when it also writes partner topics): the events
        (contract objects) in the order the broker keeps them."""
        return [read_event(read_meta(record), record) for record in await self.records(topics)]

    async def records(self, topics: Sequence[str] | None = None) -> list[Any]:
        """As :meth:`events`, but the Kafka records as a consumer receives them (for a consumer's suite)."""
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, enable_idempotence=True, acks="all")
        await producer.start()

        async def send(row: OutboxMessage, headers: dict[str, str]) -> Any:
            self._sent.append(row.topic)
            return await producer.send(
                row.topic,
                value=row.payload.encode(),
                key=row.key.encode(),
                headers=[(k, v.encode()) for k, v in headers.items()],
            )

        try:
            relay = OutboxRelay(self.db, send)
            while await relay.publish_pending():
                pass
        finally:
            await producer.stop()
        out: list[Any] = []
        for topic in sorted(set(self._sent) if topics is None else topics):
            records = await read_all(self.bootstrap, topic, expect=self._sent.count(topic))
            assert len(records) == self._sent.count(topic), f"{topic}: not every relayed event arrived"
            out += records
        return out


async def _refuse(record: Any, exc: BaseException, stage: str, attempts: int) -> None:
    raise AssertionError(f"{record.topic}@{record.offset} would be dead-lettered ({stage}): {exc!r}")


class Consumed:
    """A SQL backend's service hearing events as it does in production: the events told are published
    through the outbox to the broker, read back and handled by the service's consumer (its inbox, its
    ``handlers``), each record once; a record that would be dead-lettered fails the test."""

    def __init__(self, relayed: RelayedOutbox, handlers: Mapping[type[contracts.IntegrationEvent], Handler]):
        self.relayed = relayed
        self.consumer = EventConsumer(
            name=relayed.service, db=relayed.db, outbox=relayed.outbox, handlers=handlers, dead_letter=_refuse
        )
        #: the topics of the events told (the service's own events are not fed back to it)
        self.topics: set[str] = set()
        self.handled: set[tuple[str, int, int]] = set()

    async def tell(
        self, events: Sequence[contracts.IntegrationEvent], event_ids: Sequence[str] | None = None
    ) -> None:
        """Publish ``events`` (one transaction; with ``event_ids``, under those ids), then handle every
        record of their topics not handled yet, in the order the broker keeps them (topic by topic)."""
        async with self.relayed.db.session() as session:
            ids: Sequence[str | None] = event_ids or [None] * len(events)
            for event, event_id in zip(events, ids, strict=True):
                self.relayed.outbox.stage(session, event, event_id=event_id)
            await session.commit()
        self.topics |= {self.relayed.topics.for_event(event) for event in events}
        for record in await self.relayed.records(sorted(self.topics)):
            if (place := (record.topic, record.partition, record.offset)) not in self.handled:
                self.handled.add(place)
                await self.consumer.handle(record)

    async def redeliver(self) -> None:
        """Every record told so far delivered again (as after a restart before offsets were committed)."""
        for record in await self.relayed.records(sorted(self.topics)):
            await self.consumer.handle(record)


@asynccontextmanager
async def relayed_outbox(
    service: str, parts: tuple[str, str, str], migrations: str | Path
) -> AsyncIterator[RelayedOutbox]:
    """A SQL backend's database, migrated, with its outbox relayed to the broker; disposed afterwards.
    ``parts``: what :func:`backend_parts` gives for a SQL backend."""
    relayed = RelayedOutbox(service, *parts)
    await relayed.migrate(migrations)
    try:
        yield relayed
    finally:
        await relayed.dispose()


def committed(events: Sequence[contracts.IntegrationEvent]) -> Callable[[], Awaitable[list[Any]]]:
    """A fake backend's ``events``: what its unit of work committed so far (``events`` is read at each
    call, so pass the fake's own list)."""

    async def read() -> list[Any]:
        return list(events)

    return read


@asynccontextmanager
async def opened(factory: Callable[[], Any]) -> AsyncIterator[Any]:
    async with factory() as uow:
        yield uow


def type_names(events: Sequence[Any]) -> list[str]:
    return [type(event).__name__ for event in events]


class FakeTransactions(Protocol):
    """A suite's fake: opens its transactions when called, and keeps the events they committed."""

    committed: list[Any]

    def __call__(self) -> Any: ...


#: how a suite opens one transaction (``async with open() as uow``), and reads the events told so far
Opener = Callable[[], Any]
Events = Callable[[], Awaitable[list[Any]]]


@asynccontextmanager
async def transactions(
    parts: tuple[str, str, str] | None,
    fake: Callable[[], FakeTransactions],
    service: str,
    migrations: str | Path,
    sql: Callable[[RelayedOutbox], Opener],
) -> AsyncIterator[tuple[Opener, Events]]:
    """The backend of ``parts`` (:func:`backend_parts`) as (open, events): a new ``fake()`` and what it
    committed, or the service's SQL transactions (``sql(relayed)``) on a migrated database whose outbox
    is relayed to the broker, and the events that arrived there."""
    if parts is None:
        made = fake()
        yield made, committed(made.committed)
        return
    async with relayed_outbox(service, parts, migrations) as relayed:
        yield sql(relayed), relayed.events
