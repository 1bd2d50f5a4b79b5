"""The stats projection: folds events, one at a time, into a plain JSON state."""

from __future__ import annotations

from kmb_shared.contracts import IntegrationEvent

from ..domain.meta import EventMeta
from ..domain.stamp import Stamp
from ..domain.state import (
    DEFAULT_TIMEZONE,
    State,
    canonical_json,
    digest,
    load_state,
    local_date,
    new_state,
    utc_iso,
)
from .projection_handlers import HANDLERS


def apply_event(state: State, event: IntegrationEvent, meta: EventMeta) -> bool:
    """Fold one event into ``state`` (in place).

    Returns False, changing nothing, when an event with the same CloudEvents id was applied
    before. Event types the statistics do not use are only remembered as seen.
    """
    if meta.id in state["seen"]:
        return False
    state["seen"][meta.id] = 1
    handler = HANDLERS.get(type(event))
    if handler is not None:
        stamp = Stamp(
            event_id=meta.id,
            at=utc_iso(event.occurred_at),
            on=local_date(event.occurred_at, state["timezone"]).isoformat(),
        )
        handler(state, event, stamp)
    return True


class Projection:
    """In-memory stats state with idempotent, order-tolerant ``apply``.

    The state is a plain dict of JSON values (see :mod:`kmb_stats.domain.state`), so it can be
    stored as text (:meth:`to_json`) and compared across replays (:meth:`digest`).
    """

    def __init__(self, state: State | None = None, *, timezone: str = DEFAULT_TIMEZONE) -> None:
        self._state: State = state if state is not None else new_state(timezone)

    @property
    def state(self) -> State:
        return self._state

    def apply(self, event: IntegrationEvent, meta: EventMeta) -> bool:
        """Apply one event; False if it was a duplicate (same event id)."""
        return apply_event(self._state, event, meta)

    def has_seen(self, event_id: str) -> bool:
        return event_id in self._state["seen"]

    def digest(self) -> str:
        return digest(self._state)

    def to_json(self) -> str:
        return canonical_json(self._state)

    @classmethod
    def from_json(cls, text: str) -> Projection:
        return cls(load_state(text))
