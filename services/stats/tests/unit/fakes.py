"""Stats without its table: every event told is applied at once to an in-memory projection, with the
envelope a delivery would give it (a fresh id, its context's topic, the next offset)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import uuid4

from kmb_shared.contracts import IntegrationEvent
from kmb_shared.messaging import Topics
from kmb_stats.application.projection import Projection
from kmb_stats.domain import EventMeta

TOPICS = Topics("")


@dataclass
class FakeStats:
    projection: Projection = field(default_factory=Projection)
    delivered: list[tuple[IntegrationEvent, EventMeta]] = field(default_factory=list)

    async def tell(self, events: Sequence[IntegrationEvent]) -> None:
        for event in events:
            topic = TOPICS.for_event(event)
            meta = EventMeta(str(uuid4()), event.event_type, event.occurred_at, topic, 0, len(self.delivered))
            self.delivered.append((event, meta))
            self.projection.apply(event, meta)

    async def redeliver(self) -> None:
        """Every event delivered again, with its envelope (as after a consumer's restart)."""
        for event, meta in self.delivered:
            self.projection.apply(event, meta)

    async def current(self) -> Projection:
        return self.projection

    async def replayed(self) -> Projection:
        """A fresh projection of every event delivered, in the reverse order (a replay reads the
        topics in another interleaving than the live consumer did)."""
        fresh = Projection()
        for event, meta in reversed(self.delivered):
            fresh.apply(event, meta)
        return fresh
