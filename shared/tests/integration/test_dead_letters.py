"""Records that used to be skipped or to stall a partition reach the dead-letter topic (real broker).

Sent with aiokafka directly to the topic a service consumes; the service is the probe built by the same
``build_service_app`` as the five services, so its consumer is theirs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from kmb_shared.messaging import Topics
from kmb_shared.messaging.dlq import record_size
from kmb_shared.service import Runtime
from kmb_testkit.probe import (
    case_opened,
    ce_headers,
    effects,
    headers_dict,
    probe_app,
    produce,
    read_all,
    wait_until,
)

pytestmark = pytest.mark.kafka

#: the producer's (and this test producer's) default max_request_size
MAX_REQUEST_SIZE = 1_048_576


def _runtime(app: Any) -> Runtime:
    return app.state.runtime  # type: ignore[no-any-return]


async def _effects(runtime: Runtime) -> list[str]:
    async with runtime.db.engine.connect() as conn:
        return list((await conn.execute(sa.select(effects.c.note))).scalars().all())


async def _applied(runtime: Runtime, n: int) -> bool:
    return runtime.consumer is not None and runtime.consumer.applied >= n


def _app(kafka_bootstrap: str, topic_prefix: str, tmp_path: Path) -> Any:
    return probe_app(
        bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=f"sqlite+aiosqlite:///{tmp_path}/p.db"
    )


async def test_headers_that_are_not_utf8_or_null_are_dead_lettered_and_the_next_record_is_applied(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    app = _app(kafka_bootstrap, topic_prefix, tmp_path)
    runtime = _runtime(app)
    topics = Topics(topic_prefix)
    bad_bytes, null_value, good = case_opened(number=1), case_opened(number=2), case_opened(number=3)
    key = b"one-partition"  # all three on one partition: the good one must come after the bad ones
    async with app.router.lifespan_context(app):
        await produce(
            kafka_bootstrap,
            topics.context("intake"),
            [
                (bad_bytes.model_dump_json().encode(), [*ce_headers(bad_bytes), ("note", b"\xc3\x28")], key),
                (
                    null_value.model_dump_json().encode(),
                    [*ce_headers(null_value), ("traceparent", None)],
                    key,
                ),
                (good.model_dump_json().encode(), ce_headers(good), key),
            ],
        )
        dead = await read_all(kafka_bootstrap, topics.dlq, expect=2)
        await wait_until(lambda: _applied(runtime, 1))
        assert await _effects(runtime) == [good.case_number]
        assert runtime.consumer is not None and runtime.consumer.dead_lettered == 2
    assert len(dead) == 2
    by_id = {h["ce_id"]: h for h in map(headers_dict, dead)}  # the copies' headers are all UTF-8
    first = next(h for h in by_id.values() if "note" in h)
    second = next(h for h in by_id.values() if "note" not in h)
    for h in (first, second):
        assert (h["kmb_dlq_stage"], h["kmb_dlq_service"]) == ("validation", "probe")
        assert h["kmb_dlq_topic"] == topics.context("intake")
        assert h["kmb_dlq_error"] == "MalformedEvent"
    assert first["kmb_dlq_header_faults"] == "note: not UTF-8"
    assert first["note"] == "\\xc3("  # the bad byte as an escape, the valid one as it was
    assert second["kmb_dlq_header_faults"] == "traceparent: null"
    assert second["traceparent"] == ""
    assert {d.value for d in dead} == {
        bad_bytes.model_dump_json().encode(),
        null_value.model_dump_json().encode(),
    }


async def test_a_record_near_the_size_limit_is_dead_lettered_truncated_and_the_partition_moves_on(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    app = _app(kafka_bootstrap, topic_prefix, tmp_path)
    runtime = _runtime(app)
    topics = Topics(topic_prefix)
    event, good = case_opened(number=1), case_opened(number=2)
    key = b"one-partition"
    headers = ce_headers(event)
    # Not JSON, so it goes to the DLQ; as large as the producer allows, less 100 bytes: the dead-letter
    # headers (error, reason, service, origin, time: far more than 100 bytes) cannot fit beside it.
    base = record_size(key, b"", {k: v.decode() for k, v in headers})
    value = b"x" * (MAX_REQUEST_SIZE - 100 - base)
    assert record_size(key, value, {k: v.decode() for k, v in headers}) <= MAX_REQUEST_SIZE - 95
    async with app.router.lifespan_context(app):
        await produce(
            kafka_bootstrap,
            topics.context("intake"),
            [(value, headers, key), (good.model_dump_json().encode(), ce_headers(good), key)],
        )
        dead = await read_all(kafka_bootstrap, topics.dlq, expect=1)
        await wait_until(lambda: _applied(runtime, 1))
        assert await _effects(runtime) == [good.case_number]
    assert len(dead) == 1
    copy = dead[0]
    h = headers_dict(copy)
    assert h["kmb_dlq_truncated"] == "value"
    assert h["kmb_dlq_original_size"] == str(len(value))
    assert h["kmb_dlq_original_sha256"] == hashlib.sha256(value).hexdigest()
    assert h["kmb_dlq_stage"] == "validation" and "not JSON" in h["kmb_dlq_reason"]
    assert h["kmb_dlq_topic"] == topics.context("intake") and h["kmb_dlq_offset"].isdigit()
    assert 0 < len(copy.value) < len(value) and value.startswith(copy.value)
    assert record_size(copy.key, copy.value, h) <= MAX_REQUEST_SIZE


async def test_a_dead_letter_the_broker_refuses_as_too_large_goes_as_a_pointer(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    topics = Topics(topic_prefix)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:  # a DLQ topic that takes less than the producer's max_request_size
        await admin.alter_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topics.dlq, {"max.message.bytes": "65536"})]
        )
    finally:
        await admin.close()
    app = _app(kafka_bootstrap, topic_prefix, tmp_path)
    runtime = _runtime(app)
    event, good = case_opened(number=1), case_opened(number=2)
    key = b"one-partition"
    value = b"y" * 200_000
    async with app.router.lifespan_context(app):
        await produce(
            kafka_bootstrap,
            topics.context("intake"),
            [(value, ce_headers(event), key), (good.model_dump_json().encode(), ce_headers(good), key)],
        )
        dead = await read_all(kafka_bootstrap, topics.dlq, expect=1)
        await wait_until(lambda: _applied(runtime, 1))
        assert await _effects(runtime) == [good.case_number]
    assert len(dead) == 1
    h = headers_dict(dead[0])
    assert dead[0].value == b""
    assert h["kmb_dlq_truncated"] == "value,headers"
    assert h["kmb_dlq_original_size"] == str(len(value))
    assert h["ce_type"] == event.event_type and h["kmb_dlq_topic"] == topics.context("intake")
