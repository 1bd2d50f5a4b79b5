"""One catalogue service per test. A test marked ``kafka`` gets it on the real broker (consumer and
outbox relay running) with its database on SQLite and on PostgreSQL; any other test gets it without
a broker: the app on a migrated SQLite file, no lifespan, so no consumer, relay or Kafka connection
(page, role and validation tests that read no event)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kmb_catalogue.bootstrap import MIGRATIONS, build_app
from kmb_catalogue.config import CatalogueSettings
from kmb_catalogue.entrypoints.deps import deps_of
from kmb_shared.messaging import Topics
from kmb_shared.service import Runtime
from kmb_testkit.fixtures import quick_settings

from .support import EDITOR, WORKER, Catalogue

OFFLINE_BROKER = "127.0.0.1:9"  # never contacted: the broker is not started without the lifespan


@dataclass(frozen=True)
class Backend:
    """Where one test's catalogue runs: on the real broker (with its database), or offline."""

    on_broker: bool
    bootstrap: str
    prefix: str
    database_url: str


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A ``kafka`` test of the catalogue runs on the broker, once on SQLite and once on PostgreSQL."""
    if "catalogue" in metafunc.fixturenames and metafunc.definition.get_closest_marker("kafka"):
        metafunc.parametrize(
            "catalogue_backend",
            ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
            indirect=True,
        )


@pytest.fixture
def catalogue_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    # A sync fixture: it may request the async broker and database fixtures (an async fixture cannot,
    # its event loop is already running).
    kind = getattr(request, "param", None)
    sqlite = f"sqlite+aiosqlite:///{tmp_path / 'catalogue.db'}"
    if kind is None:
        return Backend(False, OFFLINE_BROKER, "offline.", sqlite)
    bootstrap: str = request.getfixturevalue("kafka_bootstrap")
    prefix: str = request.getfixturevalue("topic_prefix")
    url: str = sqlite if kind == "sqlite" else request.getfixturevalue("postgres_database_url")
    return Backend(True, bootstrap, prefix, url)


@pytest.fixture
async def catalogue(catalogue_backend: Backend) -> AsyncIterator[Catalogue]:
    on_broker = catalogue_backend.on_broker
    bootstrap, prefix = catalogue_backend.bootstrap, catalogue_backend.prefix
    database_url = catalogue_backend.database_url
    settings = quick_settings(CatalogueSettings, bootstrap, prefix, database_url)
    app = build_app(settings)
    runtime: Runtime = app.state.runtime
    transport = httpx.ASGITransport(app=app)

    def client(headers: dict[str, str]) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers)

    async def handle() -> AsyncIterator[Catalogue]:
        async with client({}) as anonymous, client(WORKER) as worker, client(EDITOR) as editor:
            yield Catalogue(
                anonymous, worker, editor, runtime, bootstrap, Topics(prefix), transport, deps_of(app)
            )

    if on_broker:
        async with app.router.lifespan_context(app):
            async for c in handle():
                yield c
        return
    await runtime.db.migrate(MIGRATIONS)
    try:
        async for c in handle():
            yield c
    finally:
        await runtime.db.dispose()
        runtime.tracer_provider.shutdown()
