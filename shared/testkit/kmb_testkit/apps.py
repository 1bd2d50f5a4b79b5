"""The five service apps built in process for fast-tier tests (no broker, no server process)."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from kmb_testkit.fixtures import TEST_SECRET

SERVICES = ("intake", "assessment", "catalogue", "referrals", "stats")
#: a broker address nothing listens on: the apps are called without their lifespan, so never reach it
NO_BROKER = "127.0.0.1:1"


def service_app(name: str, var_dir: Path) -> Any:
    """The app of service ``name`` as its bootstrap builds it: a SQLite file under ``var_dir``, the
    test secret (:func:`kmb_testkit.fixtures.bearer` tokens are valid), an unreachable broker."""
    bootstrap = importlib.import_module(f"kmb_{name}.bootstrap")
    config = importlib.import_module(f"kmb_{name}.config")
    settings = getattr(config, f"{name.capitalize()}Settings")(
        database_url=f"sqlite+aiosqlite:///{var_dir / f'{name}.db'}",
        secret_key=TEST_SECRET,
        var_dir=var_dir,
        kafka_bootstrap=NO_BROKER,
    )
    return bootstrap.build_app(settings)


async def migrated_app(name: str, var_dir: Path) -> Any:
    """:func:`service_app` with its database migrated (dispose ``app.state.runtime.db`` when done)."""
    app = service_app(name, var_dir)
    await app.state.runtime.db.migrate(importlib.import_module(f"kmb_{name}.bootstrap").MIGRATIONS)
    return app


@contextlib.asynccontextmanager
async def serving(
    app: Any, base_url: str = "http://t", headers: Mapping[str, str] | None = None
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.ASGITransport]]:
    """``app`` with its lifespan running (database migrated, consumer, outbox relay and jobs started) and
    an HTTP client calling it in process, with the transport (to build more clients on the same app)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url, headers=headers) as client:
            yield client, transport


@contextlib.asynccontextmanager
async def serving_offline(
    app: Any, migrations: str | Path, base_url: str = "http://t", headers: Mapping[str, str] | None = None
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.ASGITransport]]:
    """``app`` without its lifespan (no broker, consumer, relay or job: for pages, roles and validation)
    on its database migrated to the head of ``migrations``, and an HTTP client calling it in process;
    the database and the tracer are closed afterwards."""
    runtime = app.state.runtime
    await runtime.db.migrate(migrations)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url=base_url, headers=headers) as client:
            yield client, transport
    finally:
        await runtime.db.dispose()
        runtime.tracer_provider.shutdown()
