"""Today in the Czech Republic (deadlines count Czech working days): the shared Prague clock
(:class:`kmb_shared.clock.SystemClock`), or the day a test sets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kmb_shared.clock import SystemClock, prague_today


class CzechClock(SystemClock):
    """Now in UTC; ``today`` replaces the Prague calendar day (tests move time with it)."""

    def __init__(self, today: Callable[[], date] | None = None) -> None:
        self._today = today or prague_today

    def today(self) -> date:
        return self._today()
