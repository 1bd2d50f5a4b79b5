"""Audit by replay: a rebuild from offset 0 into a fresh store equals the live read model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from kmb_shared.auth import Role
from kmb_shared.messaging import Topics
from kmb_shared.replay import read_model_digest, rebuild
from kmb_shared.service import Runtime
from kmb_testkit.fixtures import bearer
from kmb_testkit.probe import (
    case_opened,
    ce_headers,
    probe_app,
    probe_settings,
    probe_spec,
    produce,
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
