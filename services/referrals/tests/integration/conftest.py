"""One referrals service per test on the real broker, with its database on SQLite and on PostgreSQL
(``referrals``, ``service_factory``), or without a broker on SQLite (``offline_referrals``); a calendar
day the test moves, and a stub of intake's HTTP API on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from kmb_referrals.bootstrap import build_app
from kmb_referrals.config import ReferralsSettings
from kmb_shared.messaging import Topics
from kmb_testkit.apps import serving
from kmb_testkit.fixtures import TEST_SECRET

from .support import MONDAY, Clock, Referrals, RunningServer, StubIntake, offline

ServiceFactory = Callable[..., AbstractAsyncContextManager[Referrals]]


@pytest.fixture
async def intake() -> AsyncIterator[StubIntake]:
    stub = StubIntake()
    async with RunningServer(stub.app()) as server:
        stub.url = server.url
        yield stub
    await stub.real.close()


@pytest.fixture
def service_factory(
    kafka_bootstrap: str, topic_prefix: str, database_url: str, intake: StubIntake, tmp_path: Path
) -> ServiceFactory:
    """Start the service (as often as a test needs) with settings the test may change."""

    @asynccontextmanager
    async def start(clock: Clock | None = None, **overrides: Any) -> AsyncIterator[Referrals]:
        clock = clock or Clock(MONDAY)
        values: dict[str, Any] = {
            "kafka_bootstrap": kafka_bootstrap,
            "topic_prefix": topic_prefix,
            "database_url": database_url,
            "intake_url": intake.url,
            # the stub hands token requests to a real intake app built on its first request: on a busy
            # machine that first answer can take seconds, more than the service's default 3 s
            "intake_timeout_s": 30.0,
            "var_dir": tmp_path,
            "relay_interval_s": 0.1,
            "consumer_backoff_s": 0.05,
            "secret_key": TEST_SECRET,
        }
        settings = ReferralsSettings(**{**values, **overrides})
        app = build_app(settings, today=clock)
        async with serving(app, "http://referrals") as (client, _):
            yield Referrals(client, app.state.runtime, kafka_bootstrap, Topics(topic_prefix), clock)

    return start


@pytest.fixture
async def referrals(service_factory: ServiceFactory) -> AsyncIterator[Referrals]:
    async with service_factory() as service:
        yield service


@pytest.fixture
async def offline_referrals(intake: StubIntake, tmp_path: Path) -> AsyncIterator[Referrals]:
    """The service without a broker, on SQLite (pages, roles, validation: the fast tier)."""
    settings = ReferralsSettings(
        kafka_bootstrap="127.0.0.1:9",
        topic_prefix="offline.",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'referrals.db'}",
        intake_url=intake.url,
        intake_timeout_s=30.0,  # as in service_factory: the real intake behind the stub starts on first use
        var_dir=tmp_path,
        secret_key=TEST_SECRET,
    )
    async with offline(settings, Clock(MONDAY)) as service:
        yield service
