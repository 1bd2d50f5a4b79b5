"""One intake service per test on the real broker, with its database on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from kmb_intake.bootstrap import build_app
from kmb_shared.messaging import Topics
from kmb_shared.service import Runtime
from kmb_testkit.apps import serving

from .support import BASE_URL, WORKER, Intake, intake_settings


@pytest.fixture
async def intake(kafka_bootstrap: str, topic_prefix: str, database_url: str) -> AsyncIterator[Intake]:
    app = build_app(intake_settings(kafka_bootstrap, topic_prefix, database_url))
    runtime: Runtime = app.state.runtime
    async with serving(app, BASE_URL, WORKER) as (client, transport):
        yield Intake(client, runtime, kafka_bootstrap, Topics(topic_prefix).context("intake"), transport)
