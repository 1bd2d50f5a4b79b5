"""Two copies of a consuming service in one consumer group on one PostgreSQL database (issue 16): they
share the partitions, and when one stops in the middle of the stream its partitions move to the other
without an effect lost or applied twice (the inbox row commits with the effect, so what the stopped copy
had read but not committed is applied once by the other)."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
import sqlalchemy as sa

from kmb_cli.lag import consumer_lag
from kmb_shared.contracts import CaseOpened
from kmb_shared.messaging import HandlerContext, InboxMessage, Topics
from kmb_testkit.probe import case_opened, ce_headers, effects, probe_app, produce, record_effect, wait_until

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

EVENTS = 240  # in two halves, the second sent after one copy stopped


async def slow_effect(event: CaseOpened, ctx: HandlerContext) -> None:
    """The probe's effect, slow enough that a copy is mid-batch when it is stopped."""
    await asyncio.sleep(0.005)
    await record_effect(event, ctx)


async def test_a_copy_stopped_mid_stream_hands_its_partitions_over_with_nothing_lost_or_doubled(
    kafka_bootstrap: str, topic_prefix: str, postgres_database_url: str
) -> None:
    topic = Topics(topic_prefix).context("intake")
    first, second = (
        probe_app(
            bootstrap=kafka_bootstrap,
            prefix=topic_prefix,
            database_url=postgres_database_url,
            handler=slow_effect,
        )
        for _ in range(2)
    )
    db = first.state.runtime.db

    async def counts() -> tuple[int, int, int]:
        async with db.engine.connect() as conn:
            rows = int((await conn.execute(sa.select(sa.func.count()).select_from(effects))).scalar_one())
            distinct = int(
                (await conn.execute(sa.select(sa.func.count(sa.distinct(effects.c.case_id))))).scalar_one()
            )
            inbox = int(
                (await conn.execute(sa.select(sa.func.count()).select_from(InboxMessage))).scalar_one()
            )
        return rows, distinct, inbox

    events = [case_opened(uuid4(), number=n + 1) for n in range(EVENTS)]
    items = [(e.model_dump_json().encode(), ce_headers(e), str(e.case_id).encode()) for e in events]
    async with second.router.lifespan_context(second):
        async with first.router.lifespan_context(first):  # migrates first; then both in the group
            await produce(kafka_bootstrap, topic, items[: EVENTS // 2])

            async def under_way() -> bool:
                return (await counts())[0] >= EVENTS // 8

            await wait_until(under_way, timeout_s=60)
        # the first copy has stopped in the middle; the second takes its partitions over
        await produce(kafka_bootstrap, topic, items[EVENTS // 2 :])

        group = second.state.runtime.settings.consumer_group

        async def all_read_and_committed() -> bool:
            lag = (await consumer_lag(kafka_bootstrap, [group]))[group]
            return lag == 0 and (await counts())[0] >= EVENTS

        await wait_until(all_read_and_committed, timeout_s=90)  # the group has read all: nothing is to come
        rows, distinct, inbox = await counts()
    assert (rows, distinct, inbox) == (EVENTS, EVENTS, EVENTS), "an effect lost or applied twice"
