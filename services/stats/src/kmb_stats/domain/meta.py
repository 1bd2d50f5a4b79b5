"""Delivery metadata that accompanies every event handed to the projection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EventMeta:
    """CloudEvents and Kafka coordinates of one delivered event.

    Only ``id`` affects the projection (idempotency); the rest is kept for callers and logs,
    so that a replay from re-created topics (new offsets) still rebuilds the same state.
    """

    id: str
    type: str
    time: datetime
    topic: str
    partition: int = 0
    offset: int = 0
