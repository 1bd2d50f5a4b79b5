"""One intake service per test on the real broker, with its database on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from kmb_intake.bootstrap import build_app
from kmb_intake.config import IntakeSettings
from kmb_shared.messaging import Topics
from kmb_shared.service import Runtime

from .support import Intake


@pytest.fixture
async def intake(kafka_bootstrap: str, topic_prefix: str, database_url: str) -> AsyncIterator[Intake]:
    settings = IntakeSettings(
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topic_prefix,
        database_url=database_url,
        relay_interval_s=0.1,
    )
    app = build_app(settings)
    runtime: Runtime = app.state.runtime
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield Intake(client, runtime, kafka_bootstrap, Topics(topic_prefix).context("intake"))
