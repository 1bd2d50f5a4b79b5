"""Stats consumes every event type on the four context topics and stores each one as it came.

The handler only inserts the row; the inbox row of the same transaction makes it exactly once.
All figures are derived from these rows later (see :mod:`kmb_stats.application.live`).
"""

from __future__ import annotations

from collections.abc import Mapping

from kmb_shared.contracts import IntegrationEvent, event_types
from kmb_shared.messaging import Handler, HandlerContext

from ..adapters.events import event_row


async def store(event: IntegrationEvent, ctx: HandlerContext) -> None:
    """Store one consumed event (its contract data after any upcasting) in the consumer's session."""
    ctx.session.add(event_row(event, ctx.meta))


def event_handlers() -> Mapping[type[IntegrationEvent], Handler]:
    """The handler of every known event type."""
    return {cls: store for cls in event_types().values()}
