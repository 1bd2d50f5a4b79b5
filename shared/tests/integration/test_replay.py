"""Audit by replay: a rebuild from offset 0 into a fresh store equals the live read model."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from kmb_shared import replay
from kmb_shared.auth import Role
from kmb_shared.messaging import BatchContext, BatchHandler, Delivery, Handler, Topics
from kmb_shared.replay import read_model_digest, rebuild
from kmb_shared.service import Runtime
from kmb_testkit.fixtures import bearer
from kmb_testkit.probe import (
    READ_MODELS,
    case_opened,
    ce_headers,
    effects,
    probe_app,
    probe_settings,
    probe_spec,
    produce,
    record_effect,
    wait_until,
)

pytestmark = pytest.mark.kafka

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


async def test_rebuild_from_offset_zero_gives_the_live_digest_now_and_as_it_was(
    kafka_bootstrap: str, topic_prefix: str, database_url: str, tmp_path: object
) -> None:
    # Twenty cases opened one hour apart; one event delivered twice.
    events = [case_opened(number=i + 1, at=T0 + timedelta(hours=i)) for i in range(20)]
    items = [(e.model_dump_json().encode(), ce_headers(e), e.subject.encode()) for e in events]
    items.append(items[3])  # a redelivery of the fourth (same ce_id)
    app = probe_app(bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=database_url)
    runtime: Runtime = app.state.runtime
    async with app.router.lifespan_context(app):
        await produce(kafka_bootstrap, Topics(topic_prefix).context("intake"), items)

        async def all_applied() -> bool:
            return (await read_model_digest(runtime.db, probe_spec().read_models))[1] == 20

        await wait_until(all_applied)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://probe", headers=bearer(Role.AUDITOR)
        )
        live = (await client.get("/internal/read-models/digest")).json()
        cut = T0 + timedelta(hours=9, minutes=30)  # ten cases opened by then (hours 0..9)
        live_then = (
            await client.get("/internal/read-models/digest", params={"until": cut.isoformat()})
        ).json()

    settings = probe_settings(bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=database_url)
    seen: list[tuple[int, int]] = []
    now = await rebuild(probe_spec(), settings, progress=lambda done, total: seen.append((done, total)))
    then = await rebuild(probe_spec(), settings, until=cut)

    assert (live["rows"], now.rows, now.events_read, now.events_applied) == (20, 20, 21, 20)
    assert now.digest == live["digest"]
    assert seen[-1] == (21, 21)  # the progress bar reaches the end
    assert (live_then["rows"], then.rows, then.skipped_after_until) == (10, 10, 10)
    assert then.digest == live_then["digest"]
    assert then.digest != now.digest


async def record_effects(deliveries: Sequence[Delivery], ctx: BatchContext) -> None:
    """The probe's effect as a batch handler: one insert for every event of the run."""
    rows = [
        {"case_id": str(e.case_id), "note": e.case_number, "occurred_at": e.occurred_at}
        for e, _ in deliveries
    ]
    await (await ctx.session.connection()).execute(sa.insert(effects), rows)


@pytest.mark.parametrize("handler", [record_effect, BatchHandler(record_effects)], ids=["per-event", "batch"])
async def test_a_replay_drops_redeliveries_by_id_within_and_across_batches_and_partitions(
    kafka_bootstrap: str,
    topic_prefix: str,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    handler: Handler,
) -> None:
    # 24 cases sent newest first, round the three partitions; then four redeliveries with the ids of
    # events already sent: one on another partition, one twice on its own, the oldest on another.
    events = [case_opened(number=i + 1, at=T0 + timedelta(hours=i)) for i in range(24)]
    records = [(e.model_dump_json().encode(), ce_headers(e), e.subject.encode()) for e in reversed(events)]
    placed = [(i % 3, *record) for i, record in enumerate(records)]
    placed += [(1, *records[4]), (1, *records[9]), (0, *records[9]), (2, *records[23])]
    app = probe_app(
        bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=database_url, handler=handler
    )
    runtime: Runtime = app.state.runtime
    async with app.router.lifespan_context(app):
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=True)
        await producer.start()
        try:
            for partition, value, headers, key in placed:
                topic = Topics(topic_prefix).context("intake")
                await producer.send_and_wait(topic, value, key=key, headers=headers, partition=partition)
        finally:
            await producer.stop()
        consumer = runtime.consumer
        assert consumer is not None

        async def all_seen() -> bool:
            return consumer.applied == 24 and consumer.duplicates == 4

        await wait_until(all_seen)
        live = await read_model_digest(runtime.db, READ_MODELS)

    settings = probe_settings(bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=database_url)
    whole = await rebuild(probe_spec(handler), settings)  # one batch: the redeliveries meet their first copy
    monkeypatch.setattr(replay, "REPLAY_BATCH", 5)  # batches of five: most meet it in another batch
    small = await rebuild(probe_spec(handler), settings)

    assert live[1] == 24
    for rebuilt in (whole, small):
        assert (rebuilt.events_read, rebuilt.events_applied, rebuilt.rows) == (28, 24, 24)
        assert rebuilt.digest == live[0]
