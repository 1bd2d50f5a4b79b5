"""One catalogue service per test on the real broker, with its database on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from kmb_catalogue.bootstrap import build_app
from kmb_catalogue.config import CatalogueSettings
from kmb_catalogue.entrypoints.deps import deps_of as get_deps_of
from kmb_shared.messaging import Topics
from kmb_shared.service import Runtime
from kmb_shared.testing import TEST_SECRET

from .support import EDITOR, WORKER, Catalogue


@pytest.fixture
async def catalogue(kafka_bootstrap: str, topic_prefix: str, database_url: str) -> AsyncIterator[Catalogue]:
    settings = CatalogueSettings(
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topic_prefix,
        database_url=database_url,
        relay_interval_s=0.1,
        consumer_backoff_s=0.05,
        secret_key=TEST_SECRET,
    )
    app = build_app(settings)
    runtime: Runtime = app.state.runtime
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)

        def client(headers: dict[str, str]) -> httpx.AsyncClient:
            return httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers)

        async with client({}) as anonymous, client(WORKER) as worker, client(EDITOR) as editor:
            yield Catalogue(
                anonymous,
                worker,
                editor,
                runtime,
                kafka_bootstrap,
                Topics(topic_prefix),
                transport,
                get_deps_of(app),
            )
