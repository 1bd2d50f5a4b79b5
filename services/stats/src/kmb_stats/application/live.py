"""The projection derived from ``stats_event``: live (cached, incremental) or as it was at a moment.

The live one is kept in memory and brought up to date at each request by applying only the rows
stored since (``seq`` greater than the last one applied). It is never wrong after a failed
transaction (a rolled-back row is never seen) and survives restarts (rebuilt at the first request).

Sequence numbers are handed out at insert but become visible at commit, so with several consumers
writing one PostgreSQL database a lower ``seq`` may appear after a higher one. Skipped numbers are
therefore remembered as gaps and looked up again for a grace period; the projection ignores an
event it has already applied, so a gap filled late is applied exactly once.

Figures, series and reports are computed from the state by pure functions that may take a while over
many events. They run in a worker thread (:meth:`ProjectionCache.compute`, :func:`compute_as_of`), so
the event loop, and with it the health checks and the Kafka consumer of the same process, never
waits for them. The live state is changed only on the event loop while the cache's lock is held, and a
computation over it holds the lock too, so none ever reads a state being changed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.clock import day_end

from ..adapters.events import delivery, rows_after, rows_with_seq
from ..adapters.tables import StatsEvent
from ..domain.state import DEFAULT_TIMEZONE, State
from .projection import Projection

T = TypeVar("T")

#: how long a skipped sequence number is looked for (a transaction open longer is not expected)
GAP_GRACE_S = 120.0
#: at most this many skipped numbers are remembered per jump (e.g. after many rolled-back inserts)
MAX_GAPS_PER_JUMP = 1000


class ProjectionCache:
    """The live projection and the last ``stats_event.seq`` applied to it."""

    def __init__(
        self,
        timezone: str = DEFAULT_TIMEZONE,
        *,
        gap_grace_s: float = GAP_GRACE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timezone = timezone
        self.projection = Projection(timezone=timezone)
        self.last_seq = 0
        self._gaps: dict[int, float] = {}
        self._grace = gap_grace_s
        self._clock = clock
        self._lock = asyncio.Lock()

    @property
    def events(self) -> int:
        """How many distinct events the projection holds."""
        return len(self.projection.state["seen"])

    async def current(self, session: AsyncSession) -> Projection:
        """The projection with every stored row applied (in ``seq`` order).

        Read its state on the event loop only (between two awaits nothing changes it); work that takes
        longer goes through :meth:`compute`."""
        async with self._lock:
            await self._catch_up(session)
        return self.projection

    async def compute(self, session: AsyncSession, work: Callable[[State], T]) -> T:
        """``work`` over the up-to-date state, in a worker thread; the state is not changed meanwhile
        (rows stored in the meantime are applied by the next caller)."""
        async with self._lock:
            await self._catch_up(session)
            return await asyncio.to_thread(work, self.projection.state)

    async def _catch_up(self, session: AsyncSession) -> None:
        now = self._clock()
        for row in await rows_with_seq(session, sorted(self._gaps)):
            self._apply(row)
            self._gaps.pop(row.seq or 0, None)
        async for row in rows_after(session, self.last_seq):
            seq = row.seq or 0
            for missing in range(max(self.last_seq + 1, seq - MAX_GAPS_PER_JUMP), seq):
                self._gaps.setdefault(missing, now)
            self._apply(row)
            self.last_seq = seq
        self._gaps = {seq: since for seq, since in self._gaps.items() if now - since < self._grace}

    def _apply(self, row: StatsEvent) -> None:
        event, meta = delivery(row)
        self.projection.apply(event, meta)


async def projection_before(
    session: AsyncSession,
    before: datetime,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    positions: dict[tuple[str, int], int] | None = None,
) -> Projection:
    """A fresh projection of the stored events whose event time is before ``before``.

    With ``positions``, also records the greatest offset used per (topic, partition) there."""
    projection = Projection(timezone=timezone)
    async for row in rows_after(session, 0, before=before):
        event, meta = delivery(row)
        projection.apply(event, meta)
        if positions is not None:
            key = (row.topic, row.partition)
            positions[key] = max(positions.get(key, row.offset), row.offset)
    return projection


async def projection_as_of(
    cache: ProjectionCache, session: AsyncSession, day: date | None, today: date
) -> Projection:
    """The projection to answer for ``day``: the live one for today or later (or no day), otherwise
    a fresh one of the events dated up to that day, as the figures stood then."""
    if day is None or day >= today:
        return await cache.current(session)
    return await projection_before(session, day_end(day))


async def compute_as_of(
    cache: ProjectionCache, session: AsyncSession, day: date | None, today: date, work: Callable[[State], T]
) -> T:
    """``work`` over the state to answer for ``day`` (see :func:`projection_as_of`), in a worker thread."""
    if day is None or day >= today:
        return await cache.compute(session, work)
    projection = await projection_before(session, day_end(day))
    return await asyncio.to_thread(work, projection.state)
