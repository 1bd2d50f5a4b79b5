"""Today in the Czech Republic (deadlines count Czech working days), or the day a test sets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def prague_today() -> date:
    """Today in the Czech Republic."""
    try:
        return datetime.now(ZoneInfo("Europe/Prague")).date()
    except ZoneInfoNotFoundError:  # a system without the time-zone database
        return date.today()


class CzechClock:
    """``today`` replaces the Czech calendar day (tests move time with it)."""

    def __init__(self, today: Callable[[], date] | None = None) -> None:
        self._today = today or prague_today

    def today(self) -> date:
        return self._today()
