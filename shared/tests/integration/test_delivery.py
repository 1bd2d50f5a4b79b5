"""Delivery guarantees on the real broker and real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from uuid import uuid4

import pytest
import sqlalchemy as sa
from cloudevents.core.bindings.kafka import KafkaMessage as CloudKafkaMessage
from cloudevents.core.bindings.kafka import from_binary_event

from kmb_shared.contracts import CaseOpened
from kmb_shared.db import Database
from kmb_shared.messaging import HandlerContext, OutboxMessage, Topics
from kmb_shared.service import Runtime
from kmb_testkit.probe import (
    MIGRATIONS,
    case_opened,
    ce_headers,
    effects,
    headers_dict,
    probe_app,
    produce,
    read_all,
    record_effect,
    wait_until,
)

pytestmark = pytest.mark.kafka


async def _effect_count(db: Database) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(sa.select(sa.func.count()).select_from(effects))).scalar_one())


def _runtime(app: object) -> Runtime:
    return app.state.runtime  # type: ignore[attr-defined, no-any-return]


async def test_outbox_event_reaches_kafka_as_a_binary_cloudevent_with_trace_context(
    kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    app = probe_app(bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=database_url)
    runtime = _runtime(app)
    event = case_opened()
    async with app.router.lifespan_context(app):
        async with runtime.db.session() as session:
            event_id = runtime.outbox.stage(session, event)
            await runtime.commit(session)
        records = await read_all(kafka_bootstrap, Topics(topic_prefix).context("intake"), expect=1)
        await wait_until(lambda: _all_sent(runtime))
    assert len(records) == 1
    record = records[0]
    assert record.key == str(event.case_id).encode()
    # An independent reader (the CloudEvents SDK) understands the record.
    cloud = from_binary_event(
        CloudKafkaMessage(headers=dict(record.headers), key=record.key, value=record.value)
    )
    attributes = cloud.get_attributes()
    assert attributes["id"] == event_id
    assert attributes["type"] == "kmb.intake.case_opened.v1"
    assert attributes["source"] == "/kmb/probe"
    assert attributes["subject"] == str(event.case_id)
    assert attributes["specversion"] == "1.0"
    data = cloud.get_data()
    data = json.loads(data) if isinstance(data, (bytes, str)) else data
    assert data["case_number"] == event.case_number
    assert headers_dict(record)["content-type"] == "application/json"
    assert "ce_time" in headers_dict(record)


async def _all_sent(runtime: Runtime) -> bool:
    async with runtime.db.engine.connect() as conn:
        unsent = (
            await conn.execute(
                sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))  # type: ignore[union-attr]
            )
        ).scalar_one()
    return bool(unsent == 0)


async def test_relay_keeps_rows_unsent_when_the_broker_does_not_acknowledge(
    database_url: str, topic_prefix: str
) -> None:
    app = probe_app(bootstrap="127.0.0.1:1", prefix=topic_prefix, database_url=database_url)
    runtime = _runtime(app)
    await runtime.db.migrate(MIGRATIONS)

    async def refusing(_row: OutboxMessage, _headers: dict[str, str]) -> asyncio.Future[object]:
        raise ConnectionError("broker unreachable")

    runtime.relay.send = refusing
    async with runtime.db.session() as session:
        runtime.outbox.stage(session, case_opened())
        await session.commit()
    with pytest.raises(ConnectionError):
        await runtime.relay.publish_pending()
    assert not await _all_sent(runtime)
    await runtime.db.dispose()


async def test_a_duplicate_delivery_has_one_effect(
    kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    app = probe_app(bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=database_url)
    runtime = _runtime(app)
    event = case_opened()
    same_id = str(uuid4())
    value, key = event.model_dump_json().encode(), event.subject.encode()
    async with app.router.lifespan_context(app):
        await produce(
            kafka_bootstrap,
            Topics(topic_prefix).context("intake"),
            [(value, ce_headers(event, same_id), key), (value, ce_headers(event, same_id), key)],
        )
        consumer = runtime.consumer
        assert consumer is not None
        await wait_until(lambda: _true(consumer.applied + consumer.duplicates == 2))
        assert await _effect_count(runtime.db) == 1
        assert (consumer.applied, consumer.duplicates) == (1, 1)


async def _true(value: bool) -> bool:
    return value


async def test_malformed_events_go_to_the_dlq_with_reasons_and_the_consumer_carries_on(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    app = probe_app(
        bootstrap=kafka_bootstrap,
        prefix=topic_prefix,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/probe.db",
    )
    runtime = _runtime(app)
    topics = Topics(topic_prefix)
    good = case_opened()
    async with app.router.lifespan_context(app):
        await produce(
            kafka_bootstrap,
            topics.context("intake"),
            [
                (b"{not json", ce_headers(good), b"k1"),  # right type, broken data
                (b'{"hello": 1}', [("content-type", b"application/json")], b"k2"),  # no CloudEvents headers
                (good.model_dump_json().encode(), ce_headers(good), good.subject.encode()),
            ],
        )
        dead = await read_all(kafka_bootstrap, topics.dlq, expect=2)
        consumer = runtime.consumer
        assert consumer is not None
        await wait_until(lambda: _true(consumer.applied == 1))
        assert await _effect_count(runtime.db) == 1
    assert len(dead) == 2
    by_key = {r.key: headers_dict(r) for r in dead}
    broken, headerless = by_key[b"k1"], by_key[b"k2"]
    assert broken["kmb_dlq_stage"] == "validation"
    assert "not JSON" in broken["kmb_dlq_reason"]
    assert broken["kmb_dlq_service"] == "probe"
    assert broken["kmb_dlq_topic"] == topics.context("intake")
    assert int(broken["kmb_dlq_offset"]) >= 0 and int(broken["kmb_dlq_partition"]) in (0, 1, 2)
    assert "missing CloudEvents headers" in headerless["kmb_dlq_reason"]


async def test_a_failing_handler_is_retried_then_dead_lettered(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    attempts: dict[str, int] = {}

    async def flaky(event: CaseOpened, ctx: HandlerContext) -> None:
        n = attempts[event.case_number] = attempts.get(event.case_number, 0) + 1
        await record_effect(event, ctx)  # written, then rolled back by the failure
        if event.case_number.endswith("1") or n < 3:
            raise RuntimeError(f"downstream hiccup {n}")

    app = probe_app(
        bootstrap=kafka_bootstrap,
        prefix=topic_prefix,
        # A file, not ":memory:": an in-memory database is one connection shared by the relay and the
        # consumer, whose interleaved commits kept the rolled-back effect of a failed attempt (the flake).
        database_url=f"sqlite+aiosqlite:///{tmp_path}/probe.db",
        handler=flaky,
    )
    runtime = _runtime(app)
    topics = Topics(topic_prefix)
    always_failing, recovering = case_opened(number=1), case_opened(number=2)
    async with app.router.lifespan_context(app):
        await produce(
            kafka_bootstrap,
            topics.context("intake"),
            [
                (e.model_dump_json().encode(), ce_headers(e), e.subject.encode())
                for e in (always_failing, recovering)
            ],
        )
        dead = await read_all(kafka_bootstrap, topics.dlq, expect=1)
        consumer = runtime.consumer
        assert consumer is not None
        await wait_until(lambda: _true(consumer.applied == 1))
        assert await _effect_count(runtime.db) == 1  # only the recovering one, once
    # retries=2: three attempts each; the always-failing one then goes to the DLQ.
    assert attempts == {"KMB-2026-00001": 3, "KMB-2026-00002": 3}
    assert len(dead) == 1
    h = headers_dict(dead[0])
    assert (h["kmb_dlq_stage"], h["kmb_dlq_attempts"], h["kmb_dlq_error"]) == ("handler", "3", "RuntimeError")
    assert "downstream hiccup 3" in h["kmb_dlq_reason"]


async def test_a_service_restarted_mid_stream_catches_up_with_nothing_lost_or_doubled(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: object
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/probe.db"
    topic = Topics(topic_prefix).context("intake")
    batch1 = [case_opened(number=i) for i in range(1, 31)]
    batch2 = [case_opened(number=i) for i in range(31, 61)]

    def as_items(events: list[CaseOpened]) -> list[tuple[bytes | None, list[tuple[str, bytes]], bytes]]:
        return [(e.model_dump_json().encode(), ce_headers(e), e.subject.encode()) for e in events]

    app = probe_app(bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=url)
    async with app.router.lifespan_context(app):
        await produce(kafka_bootstrap, topic, as_items(batch1))
        db = _runtime(app).db
        await wait_until(lambda: _at_least(db, 5))
    # Stopped, possibly mid-stream; more events arrive while it is down.
    await produce(kafka_bootstrap, topic, as_items(batch2))
    again = probe_app(bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=url)
    async with again.router.lifespan_context(again):
        db = _runtime(again).db
        await wait_until(lambda: _at_least(db, 60))
        await asyncio.sleep(1.0)  # give any wrongly redelivered event the chance to double
        async with db.engine.connect() as conn:
            rows = (await conn.execute(sa.select(effects.c.note))).scalars().all()
    assert sorted(rows) == sorted(e.case_number for e in batch1 + batch2)


async def _at_least(db: Database, n: int) -> bool:
    return await _effect_count(db) >= n
