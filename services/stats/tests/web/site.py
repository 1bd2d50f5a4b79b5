"""Stats as a web app without a broker: migrated, its API and pages called in process, its events
stored as the consumer would store them (one row per distinct event, in the transaction of none).

The hand-counted history of the unit tests is stored directly, so page, role and validation tests run
in milliseconds; that events arrive and are stored exactly once is proved on the real broker
(``tests/integration``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kmb_shared.messaging.cloudevents import EventMeta as Envelope
from kmb_shared.service import Runtime
from kmb_stats.adapters.events import event_row
from kmb_stats.bootstrap import MIGRATIONS, build_app
from kmb_stats.config import StatsSettings
from kmb_testkit.apps import serving_offline
from kmb_testkit.fixtures import TEST_SECRET

from ..integration.support import ANALYST, HISTORY, PARTNER_ACTOR, traceparent_for


@dataclass
class Site:
    client: httpx.AsyncClient
    runtime: Runtime

    async def get(self, url: str, headers: dict[str, str] = ANALYST, **params: Any) -> Any:
        """GET JSON as an analyst (unless other credentials are given), expecting 200."""
        response = await self.client.get(url, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()


async def running_site(tmp_path: Path) -> AsyncIterator[Site]:
    """A migrated stats app on a SQLite file, with no consumer and no broker started."""
    settings = StatsSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'stats.db'}",
        secret_key=TEST_SECRET,
        consume=False,
        var_dir=tmp_path,
    )
    app = build_app(settings)
    runtime: Runtime = app.state.runtime
    async with serving_offline(app, MIGRATIONS) as (client, _):
        yield Site(client, runtime)


async def store_history(site: Site) -> Any:
    """Store each distinct event of the scripted history as the consumer would (partner events with
    the partner as actor, on the referrals topic; a traceparent derived from the event id)."""
    history = HISTORY.build_history()
    async with site.runtime.db.session() as session:
        for deliveries in history.topics.values():
            for event, meta in deliveries:
                topic = meta.topic
                if topic.startswith("kmb.partner."):
                    event = event.model_copy(update={"actor": PARTNER_ACTOR})
                    topic = HISTORY.REFERRALS
                envelope = Envelope(
                    meta.id,
                    event.event_type,
                    f"/kmb/{event.context()}",
                    None,
                    None,
                    topic,
                    meta.partition,
                    meta.offset,
                    traceparent=traceparent_for(meta.id),
                )
                session.add(event_row(event, envelope))
        await session.commit()
    return history
