"""The one clock of KMB: the office works in Europe/Prague.

Moments are stored and sent in UTC; a *day* (a deadline, "today", a report's period) is a calendar day
in Prague. Application code takes a :class:`Clock` (or just ``today``, a ``Callable[[], date]``) as an
argument: the composition root passes :class:`SystemClock` (``prague_today``), tests and a demo that
fixes the day pass a :class:`FixedClock`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

PRAGUE = ZoneInfo("Europe/Prague")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""
        ...

    def today(self) -> date:
        """Today's date in Prague."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return prague_today()


class FixedClock:
    """A clock that stands still at ``moment`` (naive = UTC); :meth:`set` moves it."""

    def __init__(self, moment: datetime) -> None:
        self.moment = as_utc(moment)

    @classmethod
    def on(cls, day: date) -> FixedClock:
        """Noon in Prague on ``day``."""
        return cls(datetime.combine(day, time(12), PRAGUE))

    def set(self, moment: datetime) -> None:
        self.moment = as_utc(moment)

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return prague_date(self.moment)


def prague_now() -> datetime:
    """The current moment in Prague's time (aware)."""
    return datetime.now(PRAGUE)


def prague_today() -> date:
    """Today's date in Prague."""
    return prague_now().date()


def as_utc(moment: datetime) -> datetime:
    """A moment in UTC; a naive one (SQLite gives them back so) is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_prague(moment: datetime) -> datetime:
    """A moment in Prague's time; a naive moment is taken as UTC (as the databases store it)."""
    return as_utc(moment).astimezone(PRAGUE)


def prague_date(moment: datetime) -> date:
    """The Prague calendar day of a moment (naive = UTC)."""
    return to_prague(moment).date()


def day_start(day: date) -> datetime:
    """The first moment (UTC) of a Prague calendar day."""
    return datetime.combine(day, time(), PRAGUE).astimezone(UTC)


def day_end(day: date) -> datetime:
    """The first moment (UTC) after a Prague calendar day."""
    return day_start(day + timedelta(days=1))
