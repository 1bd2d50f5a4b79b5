"""The time stamp of an applied event and the version rule of the projection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Stamp:
    """When an event happened: UTC text, local date text, and the event id as tie-breaker."""

    event_id: str
    at: str
    on: str

    @property
    def version(self) -> list[str]:
        return [self.at, self.event_id]


def newer(stored: list[str] | None, stamp: Stamp) -> bool:
    """Whether ``stamp`` is later than a stored version (or nothing is stored)."""
    return stored is None or stamp.version > stored


#: How one event changes the projection state (the state, the event, its stamp).
Handler = Callable[[Record, Any, "Stamp"], None]
