"""Stats consumes every event type on the four context topics and stores each one as it came.

The handler only inserts the rows; the inbox row of the same transaction makes each exactly once.
All figures are derived from these rows later (see :mod:`kmb_stats.application.live`). It is a batch
handler: the live consumer gives it one event at a time, a replay every event of a large batch, and
both write with the same bulk statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kmb_shared.contracts import IntegrationEvent, event_types
from kmb_shared.messaging import BatchContext, BatchHandler, Delivery, Handler

from ..adapters.events import store_events


async def _store(deliveries: Sequence[Delivery], ctx: BatchContext) -> None:
    await store_events(ctx.session, deliveries)


#: stores consumed events (their contract data after any upcasting) in the consumer's session
store = BatchHandler(_store)


def event_handlers() -> Mapping[type[IntegrationEvent], Handler]:
    """The handler of every known event type."""
    return {cls: store for cls in event_types().values()}
