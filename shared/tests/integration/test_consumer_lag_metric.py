"""``kmb_consumer_lag`` of ``/metrics`` on the real broker: a consumer held at one record shows the records
behind it on that partition, and 0 everywhere once it caught up. The service is the probe, built by the
same ``build_service_app`` as the five services."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from kmb_shared.contracts import CaseOpened
from kmb_shared.messaging import HandlerContext, Topics
from kmb_shared.metrics import summary
from kmb_testkit.probe import case_opened, ce_headers, probe_app, produce, record_effect, wait_until

pytestmark = pytest.mark.kafka

RECORDS, HELD_AT = 5, 3  # case numbers 1..5 at offsets 0..4; the consumer stops at number 3 (offset 2)


async def test_lag_per_partition_of_a_held_consumer_then_zero(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    reached, release = asyncio.Event(), asyncio.Event()

    async def held(event: CaseOpened, ctx: HandlerContext) -> None:
        if event.case_number.endswith(f"{HELD_AT:05d}"):
            reached.set()
            await release.wait()
        await record_effect(event, ctx)

    app = probe_app(
        bootstrap=kafka_bootstrap,
        prefix=topic_prefix,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/p.db",
        handler=held,
    )
    events = [case_opened(number=n) for n in range(1, RECORDS + 1)]
    key = b"one-partition"
    async with app.router.lifespan_context(app):
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe")
        try:
            await produce(
                kafka_bootstrap,
                Topics(topic_prefix).context("intake"),
                [(e.model_dump_json().encode(), ce_headers(e), key) for e in events],
            )
            try:
                await asyncio.wait_for(reached.wait(), timeout=30)
            except TimeoutError:
                pytest.fail(f"the consumer did not reach record {HELD_AT} in 30 s")

            # Two records were handled and committed (next offset 2); the end offset is 5.
            held_at = summary((await client.get("/metrics")).text)
            behind = {p: lag for p, lag in held_at["lag_partitions"].items() if lag}
            assert list(behind.values()) == [RECORDS - (HELD_AT - 1)], held_at
            assert held_at["lag"] == RECORDS - (HELD_AT - 1)

            release.set()

            async def caught_up() -> bool:
                return bool(summary((await client.get("/metrics")).text)["lag"] == 0)

            await wait_until(caught_up, timeout_s=30)
        finally:
            release.set()
            await client.aclose()
