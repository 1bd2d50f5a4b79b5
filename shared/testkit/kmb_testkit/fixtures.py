"""Pytest fixtures shared by every package's tests (loaded by the root conftest.py).

Real parts: ``kafka_bootstrap`` is the real broker started by ``deploy/test.sh``; ``database_url`` runs a
test once on SQLite and once on a real PostgreSQL server (a fresh database per test).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    from kmb_shared.db import Database

KAFKA_ENV = "KMB_TEST_KAFKA_BOOTSTRAP"
POSTGRES_ENV = "KMB_TEST_POSTGRES_URL"


def _require(env: str, what: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    message = f"{what} is not configured ({env}); run the tests through `bash deploy/test.sh`"
    if os.environ.get("KMB_TEST_ALLOW_SKIP") == "1":
        pytest.skip(message)
    pytest.fail(message)


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return _require(KAFKA_ENV, "The Kafka broker for tests")


def _require_marker(request: pytest.FixtureRequest, marker: str, what: str) -> None:
    """A test that uses the broker or the database server must say so, or the fast tier would run it."""
    if request.node.get_closest_marker(marker) is None:
        pytest.fail(f"{request.node.nodeid} uses {what} but is not marked `{marker}`", pytrace=False)


@pytest.fixture
async def topic_prefix(request: pytest.FixtureRequest, kafka_bootstrap: str) -> AsyncIterator[str]:
    """A fresh namespace of topics (and consumer groups) for one test, with the core topics created;
    every topic of the namespace (partner topics too) is deleted afterwards, so a long test run does
    not pile up thousands of partitions on the one test broker."""
    from kmb_shared.messaging import Topics
    from kmb_shared.messaging.admin import delete_topics_with_prefix, ensure_topics

    _require_marker(request, "kafka", "the Kafka broker")
    prefix = f"t{uuid.uuid4().hex[:10]}."
    await ensure_topics(kafka_bootstrap, Topics(prefix).core)
    yield prefix
    await delete_topics_with_prefix(kafka_bootstrap, prefix)


async def create_database(base_url: str) -> str:
    """A new, empty database on the server of ``base_url``; its URL."""
    import asyncpg

    name = f"kmb_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(base_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return base_url.rsplit("/", 1)[0] + f"/{name}"


async def drop_database(base_url: str, url: str) -> None:
    """Drop the database of ``url`` (made by :func:`create_database`), ending its connections."""
    import asyncpg

    conn = await asyncpg.connect(base_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


async def _postgres_database(base_url: str) -> AsyncIterator[str]:
    url = await create_database(base_url)
    yield url
    await drop_database(base_url, url)


@contextlib.asynccontextmanager
async def migrated_database(url: str, migrations: str | Path) -> AsyncIterator[Database]:
    """A :class:`~kmb_shared.db.Database` at ``url`` migrated to the head of ``migrations``, disposed
    afterwards (the ``db`` fixture of a test that works on the tables themselves)."""
    from kmb_shared.db import Database

    database = Database(url)
    await database.migrate(migrations)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The same test on SQLite and on a real PostgreSQL server (that run carries the ``postgres``
    marker, so the fast tier leaves it out)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    _require_marker(request, "postgres", "the PostgreSQL server")
    base = _require(POSTGRES_ENV, "The PostgreSQL server for tests")
    async for url in _postgres_database(base):
        yield url


@pytest.fixture
async def postgres_database_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A fresh database on the real PostgreSQL server (for fixtures that choose the backend themselves)."""
    _require_marker(request, "postgres", "the PostgreSQL server")
    base = _require(POSTGRES_ENV, "The PostgreSQL server for tests")
    async for url in _postgres_database(base):
        yield url


@pytest.fixture(scope="session", autouse=True)
def sessions_always_active() -> Iterator[None]:
    """Apps built in-process (every service's ``build_app`` in the tests) run without an intake to ask
    whether a sign-in still holds: an app that installs no checker itself gets one that always says
    "active" (intake installs its own, on its database, so intake's tests apply the real rule; the
    five processes of the end-to-end suites ask their intake over HTTP)."""
    from kmb_shared.sessions import ALWAYS_ACTIVE, use_default_checker

    use_default_checker(lambda app: ALWAYS_ACTIVE)
    yield
    use_default_checker(None)


TEST_SECRET = "kmb-test-secret-not-for-production"

_S = TypeVar("_S")


def quick_settings(
    settings_class: type[_S], kafka_bootstrap: str, topic_prefix: str, database_url: str, **overrides: Any
) -> _S:
    """A service's settings for an integration test: its broker, topic prefix and database, an outbox
    relay and consumer retries that keep no test waiting, and :data:`TEST_SECRET`."""
    values: dict[str, Any] = {
        "kafka_bootstrap": kafka_bootstrap,
        "topic_prefix": topic_prefix,
        "database_url": database_url,
        "relay_interval_s": 0.1,
        "consumer_backoff_s": 0.05,
        "secret_key": TEST_SECRET,
        **overrides,
    }
    return settings_class(**values)


def bearer(
    *roles: str, organisation: str = "kmb", user: str = "u-test", secret: str = TEST_SECRET
) -> dict[str, str]:
    """Headers of an API client holding ``roles`` (services under test use ``secret_key=TEST_SECRET``)."""
    from kmb_shared.auth import Signer

    return {"Authorization": f"Bearer {Signer(secret).api_token(user, set(roles), organisation)}"}


from .backends import backend_parts as backend_parts  # noqa: E402  (the behavioural suites' backend)
