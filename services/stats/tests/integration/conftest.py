"""One stats service per test on the real broker, with its database on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from kmb_shared.messaging import Topics
from kmb_shared.service import Runtime
from kmb_stats.bootstrap import build_app
from kmb_stats.config import StatsSettings
from kmb_testkit.apps import serving
from kmb_testkit.fixtures import quick_settings

from .support import Stats


def settings_for(kafka_bootstrap: str, topic_prefix: str, database_url: str) -> StatsSettings:
    return quick_settings(StatsSettings, kafka_bootstrap, topic_prefix, database_url)


@pytest.fixture
async def stats(kafka_bootstrap: str, topic_prefix: str, database_url: str) -> AsyncIterator[Stats]:
    app = build_app(settings_for(kafka_bootstrap, topic_prefix, database_url))
    runtime: Runtime = app.state.runtime
    async with serving(app) as (client, _):
        yield Stats(client, runtime, kafka_bootstrap, Topics(topic_prefix))
