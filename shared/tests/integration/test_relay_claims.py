"""The outbox relay on the real broker and real databases: claims (two copies on one PostgreSQL database
publish every row exactly once, in order per key), per-row acknowledgements and producer recovery."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import OutOfOrderSequenceNumber

from kmb_shared.db import Database
from kmb_shared.messaging import KafkaPublisher, Outbox, OutboxMessage, OutboxRelay, Topics
from kmb_shared.replay import topic_partitions
from kmb_testkit.fixtures import migrated_database
from kmb_testkit.probe import MIGRATIONS, case_opened, headers_dict, wait_until

pytestmark = pytest.mark.kafka


async def topic_records(bootstrap: str, topic: str) -> list[Any]:
    """Every record of the topic, read up to the end offsets taken first (so duplicates are counted)."""
    partitions = await topic_partitions(bootstrap, [topic])
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        out: list[Any] = []
        deadline = asyncio.get_running_loop().time() + 30
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            assert asyncio.get_running_loop().time() < deadline, "could not read the topic to its end"
            for records in (await consumer.getmany(timeout_ms=500)).values():
                out.extend(r for r in records if r.offset < ends[TopicPartition(r.topic, r.partition)])
        return sorted(out, key=lambda r: (r.partition, r.offset))
    finally:
        await consumer.stop()


async def stage(db: Database, outbox: Outbox, keys: list[UUID], per_key: int) -> list[str]:
    """Stage ``per_key`` events for each key, interleaved (k1, k2, ..., k1, k2, ...); returns their ids
    in staging order, one transaction per round so ids grow with the staging order."""
    ids: list[str] = []
    for n in range(per_key):
        async with db.session() as session:
            for i, key in enumerate(keys):
                ids.append(outbox.stage(session, case_opened(case_id=key, number=n * 1000 + i + 1)))
            await session.commit()
    return ids


async def unsent(db: Database) -> int:
    async with db.engine.connect() as conn:
        query = sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))  # type: ignore[union-attr]
        return int((await conn.execute(query)).scalar_one())


@pytest.fixture
async def probe_db(database_url: str) -> AsyncIterator[Database]:
    async with migrated_database(database_url, MIGRATIONS) as db:
        yield db


def assert_exactly_once_in_order(records: list[Any], staged: list[str]) -> None:
    ids = [headers_dict(r)["ce_id"] for r in records]
    doubled = [i for i, n in Counter(ids).items() if n > 1]
    assert not doubled, f"{len(doubled)} events published more than once"
    assert sorted(ids) == sorted(staged), "not every staged event is on the topic"
    position = {event_id: n for n, event_id in enumerate(staged)}
    by_key: dict[bytes, list[int]] = defaultdict(list)
    for record in records:  # sorted by partition and offset; a key lives in one partition
        by_key[record.key].append(position[headers_dict(record)["ce_id"]])
    for key, order in by_key.items():
        assert order == sorted(order), f"events of key {key!r} are out of order: {order}"


@pytest.mark.postgres
async def test_two_relays_on_one_postgres_database_publish_every_row_exactly_once_in_order(
    kafka_bootstrap: str, topic_prefix: str, postgres_database_url: str
) -> None:
    topics = Topics(topic_prefix)
    copies = [Database(postgres_database_url) for _ in range(2)]
    await copies[0].migrate(MIGRATIONS)
    publishers = [KafkaPublisher(kafka_bootstrap, client_id=f"kmb-probe-{n}") for n in range(2)]
    relays = [
        OutboxRelay(db, pub, interval=0.05, batch=25) for db, pub in zip(copies, publishers, strict=True)
    ]
    # 60 streams of 5 events each, staged while both relays run.
    tasks = [asyncio.create_task(relay.run()) for relay in relays]
    try:
        staged = await stage(copies[0], Outbox("probe", topics), [uuid4() for _ in range(60)], per_key=5)
        deadline = asyncio.get_running_loop().time() + 60
        while await unsent(copies[0]):
            assert asyncio.get_running_loop().time() < deadline, "the relays did not publish everything"
            await asyncio.sleep(0.1)
    finally:
        for relay in relays:
            relay.stop()
        await asyncio.gather(*tasks, return_exceptions=True)
        for pub in publishers:
            await pub.stop()
        for db in copies:
            await db.dispose()
    records = await topic_records(kafka_bootstrap, topics.context("intake"))
    assert len(records) == 300
    assert_exactly_once_in_order(records, staged)
    assert sum(r.published for r in relays) == 300


async def _true(value: bool) -> bool:
    return value


class Gate:
    """A send function that records what it sent and holds the ack of chosen events until released."""

    def __init__(self, publisher: KafkaPublisher, hold: set[str] | None = None) -> None:
        self.publisher = publisher
        self.hold = hold or set()
        self.released = asyncio.Event()
        self.sent: list[str] = []
        self.holding = asyncio.Event()

    async def send(self, row: OutboxMessage, headers: dict[str, str]) -> Awaitable[object]:
        if row.event_id in self.hold:
            self.holding.set()
            await self.released.wait()
        self.sent.append(row.event_id)
        return await self.publisher.send(row, headers)

    async def reset(self) -> None:
        await self.publisher.reset()


@pytest.mark.postgres
async def test_a_relay_never_takes_rows_or_streams_another_relay_has_claimed(
    kafka_bootstrap: str, topic_prefix: str, postgres_database_url: str
) -> None:
    topics = Topics(topic_prefix)
    a_db, b_db = Database(postgres_database_url), Database(postgres_database_url)
    await a_db.migrate(MIGRATIONS)
    k1, k2, k3 = uuid4(), uuid4(), uuid4()
    outbox = Outbox("probe", topics)
    first = await stage(a_db, outbox, [k1, k2], per_key=2)  # ids: k1#1, k2#1, k1#2, k2#2
    later = await stage(a_db, outbox, [k3], per_key=1)
    pub_a, pub_b = (KafkaPublisher(kafka_bootstrap, client_id=f"kmb-probe-{n}") for n in "ab")
    # Relay A claims two streams (k1, k2) and stalls on k1's head; B meanwhile sees only k3.
    gate_a = Gate(pub_a, hold={first[0]})
    gate_b = Gate(pub_b)
    relay_a = OutboxRelay(a_db, gate_a, batch=2)
    relay_b = OutboxRelay(b_db, gate_b)
    try:
        round_a = asyncio.create_task(relay_a.publish_pending())
        await asyncio.wait_for(gate_a.holding.wait(), timeout=10)
        await wait_until(lambda: _true(len(gate_a.sent) == 2))  # k2's stream has gone out
        assert await relay_b.publish_pending() == 1
        assert gate_b.sent == later
        assert await relay_b.publish_pending() == 0  # k1 and k2 are A's while its round is open
        gate_a.released.set()
        assert await round_a == 4
        assert await relay_b.publish_pending() == 0
    finally:
        for pub in (pub_a, pub_b):
            await pub.stop()
        for db in (a_db, b_db):
            await db.dispose()
    # k2's stream went out whole while k1's head was held; k1's second event only after its first.
    assert gate_a.sent == [first[1], first[3], first[0], first[2]]
    records = await topic_records(kafka_bootstrap, topics.context("intake"))
    assert_exactly_once_in_order(records, first + later)


class FailingOnce:
    """The real producer, except that the ack of chosen events fails once (as a lost ack would)."""

    def __init__(self, publisher: KafkaPublisher, fail: set[str]) -> None:
        self.publisher = publisher
        self.fail = set(fail)
        self.sent: list[str] = []
        self.resets = 0

    async def send(self, row: OutboxMessage, headers: dict[str, str]) -> Awaitable[object]:
        self.sent.append(row.event_id)
        if row.event_id in self.fail:
            self.fail.discard(row.event_id)
            failed: asyncio.Future[object] = asyncio.get_running_loop().create_future()
            failed.set_exception(ConnectionError("ack lost"))
            return failed
        return await self.publisher.send(row, headers)

    async def reset(self) -> None:
        self.resets += 1
        await self.publisher.reset()


async def test_a_failed_ack_mid_batch_resends_only_the_unacknowledged_rows(
    kafka_bootstrap: str, topic_prefix: str, probe_db: Database
) -> None:
    topics = Topics(topic_prefix)
    keys = [uuid4() for _ in range(4)]
    staged = await stage(probe_db, Outbox("probe", topics), keys, per_key=3)
    # staged[5] is key 1's second event: its ack fails in the first round.
    publisher = KafkaPublisher(kafka_bootstrap, client_id="kmb-probe")
    flaky = FailingOnce(publisher, fail={staged[5]})
    relay = OutboxRelay(probe_db, flaky)
    try:
        with pytest.raises(ConnectionError):
            await relay.publish_pending()
        first_round = list(flaky.sent)
        acknowledged = set(first_round) - {staged[5]}
        assert await unsent(probe_db) == len(staged) - len(acknowledged)
        assert await relay.publish_pending() == len(staged) - len(acknowledged)
        assert await unsent(probe_db) == 0
    finally:
        await publisher.stop()
    # Key 1's third event waited behind the failed second; the second round sent exactly the rows
    # without an ack, each once, and none that had one.
    assert staged[5] in first_round and staged[9] not in first_round
    second_round = flaky.sent[len(first_round) :]
    assert sorted(second_round) == sorted(set(staged) - acknowledged)
    assert second_round.index(staged[5]) < second_round.index(staged[9])
    records = await topic_records(kafka_bootstrap, topics.context("intake"))
    assert_exactly_once_in_order(records, staged)


class PoisonedFirstProducer(KafkaPublisher):
    """The first producer this publisher creates is broken the way the 3-broker run found one: every
    ack fails with OutOfOrderSequenceNumber until the producer is recreated."""

    attempts_on_broken = 0

    async def _ready(self) -> Any:
        producer = await super()._ready()
        if self.generation == 1 and not getattr(producer, "_kmb_poisoned", False):
            real_send = producer.send

            async def broken_send(*args: Any, **kwargs: Any) -> asyncio.Future[object]:
                self.attempts_on_broken += 1
                failed: asyncio.Future[object] = asyncio.get_running_loop().create_future()
                failed.set_exception(OutOfOrderSequenceNumber())
                return failed

            producer.send = broken_send  # type: ignore[method-assign]
            producer._kmb_poisoned = True  # type: ignore[attr-defined]
            producer._kmb_real_send = real_send  # type: ignore[attr-defined]
        return producer


async def test_a_producer_error_recreates_the_producer_and_the_relay_carries_on(
    kafka_bootstrap: str, topic_prefix: str, probe_db: Database
) -> None:
    topics = Topics(topic_prefix)
    staged = await stage(probe_db, Outbox("probe", topics), [uuid4() for _ in range(5)], per_key=2)
    publisher = PoisonedFirstProducer(kafka_bootstrap, client_id="kmb-probe")
    relay = OutboxRelay(probe_db, publisher, interval=0.05, max_backoff=0.2)
    task = asyncio.create_task(relay.run())
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while await unsent(probe_db):
            assert asyncio.get_running_loop().time() < deadline, "the relay did not recover"
            await asyncio.sleep(0.05)
    finally:
        relay.stop()
        await asyncio.gather(task, return_exceptions=True)
        await publisher.stop()
    assert publisher.resets == 1 and publisher.generation == 2
    assert relay.errors == 1 and relay.failures == 0
    # One failed round on the broken producer: at most the head of each of the 5 streams was tried.
    assert 1 <= publisher.attempts_on_broken <= 5
    records = await topic_records(kafka_bootstrap, topics.context("intake"))
    assert_exactly_once_in_order(records, staged)
