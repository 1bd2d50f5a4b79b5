"""Stats consumes every event type on the four context topics and stores each one as it came.

The handler only inserts the row; the inbox row of the same transaction makes it exactly once.
All figures are derived from these rows later (see :mod:`kmb_stats.adapters.projections`).
"""

from __future__ import annotations

from collections.abc import Mapping

from kmb_shared.contracts import IntegrationEvent, event_types
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import Runtime

from .adapters.events import event_row


async def store(event: IntegrationEvent, ctx: HandlerContext) -> None:
    ctx.session.add(event_row(event, ctx.meta))


def handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
    return {cls: store for cls in event_types().values()}
