"""The relay after failures: bounded exponential backoff, no busy loop while the broker is away, and
a comma-separated bootstrap list whose first broker is down."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kmb_shared.db import Database
from kmb_shared.messaging import KafkaPublisher, Outbox, OutboxMessage, OutboxRelay, Topics, bootstrap_servers
from kmb_shared.messaging.admin import ensure_topics
from kmb_shared.service import Runtime
from kmb_testkit.probe import (
    MIGRATIONS,
    case_opened,
    ce_headers,
    effects,
    probe_app,
    produce,
    read_all,
    wait_until,
)


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_bootstrap_list_is_split_on_commas_and_spaces_are_ignored() -> None:
    assert bootstrap_servers("127.0.0.1:19092") == ["127.0.0.1:19092"]
    assert bootstrap_servers(" 127.0.0.1:19092, 127.0.0.1:19093 ,") == ["127.0.0.1:19092", "127.0.0.1:19093"]
    assert bootstrap_servers(["a:1,b:2", "c:3"]) == ["a:1", "b:2", "c:3"]
    with pytest.raises(ValueError):
        bootstrap_servers(" , ")


def test_the_backoff_doubles_from_the_poll_interval_up_to_its_cap() -> None:
    relay = OutboxRelay(Database("sqlite+aiosqlite:///unused.db"), KafkaPublisher("x:1", client_id="t"))
    waits = []
    for failures in range(9):
        relay.failures = failures
        waits.append(relay.backoff())
    # interval 0.5 s, doubled per failure in a row, capped at 30 s; no wait without a failure.
    assert waits == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'probe.db'}")
    await db.migrate(MIGRATIONS)
    yield db
    await db.dispose()


async def test_while_the_broker_is_unreachable_the_relay_backs_off_instead_of_spinning(
    sqlite_db: Database,
) -> None:
    async with sqlite_db.session() as session:
        Outbox("probe", Topics("t.")).stage(session, case_opened())
        await session.commit()
    publisher = KafkaPublisher(f"127.0.0.1:{closed_port()}", client_id="kmb-probe")
    relay = OutboxRelay(sqlite_db, publisher, interval=0.05, max_backoff=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    task = asyncio.create_task(relay.run())
    try:
        while relay.errors < 5:
            relay.wake()  # commits keep waking it: that must not cut a backoff short
            assert loop.time() - started < 30, "the relay did not retry"
            await asyncio.sleep(0.01)
        elapsed = loop.time() - started
    finally:
        relay.stop()
        await asyncio.gather(task, return_exceptions=True)
        await publisher.stop()
    # Four waits between five failed rounds: 0.05 + 0.1 + 0.2 + 0.2 (the cap) = 0.55 s at least.
    assert elapsed >= 0.55
    async with sqlite_db.engine.connect() as conn:
        unsent = (
            await conn.execute(
                sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))  # type: ignore[union-attr]
            )
        ).scalar_one()
    assert unsent == 1


@pytest.mark.kafka
async def test_a_service_starts_and_works_when_the_first_listed_broker_is_down(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    listed = f"127.0.0.1:{closed_port()},{kafka_bootstrap}"
    await ensure_topics(listed, Topics(topic_prefix).core)  # the admin client takes the list too
    app = probe_app(
        bootstrap=listed, prefix=topic_prefix, database_url=f"sqlite+aiosqlite:///{tmp_path}/p.db"
    )
    runtime: Runtime = app.state.runtime
    topic = Topics(topic_prefix).context("intake")
    consumed = case_opened(number=7)
    async with app.router.lifespan_context(app):
        # Published through the outbox relay's producer ...
        async with runtime.db.session() as session:
            event_id = runtime.outbox.stage(session, case_opened(number=8))
            await runtime.commit(session)
        # ... and consumed by the service's subscriber.
        await produce(
            kafka_bootstrap,
            topic,
            [(consumed.model_dump_json().encode(), ce_headers(consumed), consumed.subject.encode())],
        )
        records = await read_all(kafka_bootstrap, topic, expect=2)
        await wait_until(lambda: _effect_of(runtime.db, consumed.case_number))
    ids = {dict(r.headers)["ce_id"].decode() for r in records}
    assert event_id in ids


async def _effect_of(db: Database, case_number: str) -> bool:
    async with db.engine.connect() as conn:
        notes = (await conn.execute(sa.select(effects.c.note))).scalars().all()
    return case_number in notes
