"""``kmb_dlq_topic_records`` of ``/metrics`` on the real broker: the records on the dead-letter topic (end
minus beginning offsets over its partitions), read when scraped. The service is the probe, built by the
same ``build_service_app`` as the five services; the topics are a fresh namespace, so its dead-letter
topic starts empty."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from kmb_shared.messaging import Topics
from kmb_shared.metrics import dead_letter_topic_records, samples, summary
from kmb_shared.service import Runtime
from kmb_testkit.probe import case_opened, ce_headers, probe_app, produce, read_all, wait_until

pytestmark = pytest.mark.kafka


def _runtime(app: Any) -> Runtime:
    return app.state.runtime  # type: ignore[no-any-return]


async def test_two_dead_lettered_records_make_the_gauge_say_two(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    app = probe_app(
        bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=f"sqlite+aiosqlite:///{tmp_path}/p.db"
    )
    runtime = _runtime(app)
    topics = Topics(topic_prefix)
    first, second, good = case_opened(number=1), case_opened(number=2), case_opened(number=3)
    key = b"one-partition"  # the good record comes after the two bad ones: once applied, both were handled
    async with app.router.lifespan_context(app):
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe")
        try:
            before = (await client.get("/metrics")).text
            assert samples(before)[("kmb_dlq_topic_records", frozenset())] == 0
            await produce(
                kafka_bootstrap,
                topics.context("intake"),
                [
                    (b"not json", ce_headers(first), key),
                    (b"not json either", ce_headers(second), key),
                    (good.model_dump_json().encode(), ce_headers(good), key),
                ],
            )

            async def handled() -> bool:
                consumer = runtime.consumer
                return consumer is not None and consumer.applied >= 1

            await wait_until(handled, timeout_s=30)
            assert len(await read_all(kafka_bootstrap, topics.dlq, expect=2)) == 2

            after = summary((await client.get("/metrics")).text)
            assert after["dlq_topic_records"] == 2
            assert after["dead_lettered"] == 2  # this process sent both
        finally:
            await client.aclose()


async def test_a_dead_letter_topic_that_does_not_exist_holds_no_records(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    # A namespace whose topics were never created (the topic_prefix fixture would create them).
    app = probe_app(
        bootstrap=kafka_bootstrap,
        prefix=f"absent{uuid.uuid4().hex[:10]}.",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/p.db",
    )
    runtime = _runtime(app)
    try:
        assert await dead_letter_topic_records(runtime) == 0
    finally:
        await runtime.close()
