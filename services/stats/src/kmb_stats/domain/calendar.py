"""The office's calendar: days in Europe/Prague and the UTC moments that bound them (no clock here:
what day it is today comes from the clock the application is given)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .state import DEFAULT_TIMEZONE

TIMEZONE = DEFAULT_TIMEZONE


def day_start(day: date) -> datetime:
    """The first moment (UTC) of a calendar day in the office's time zone."""
    return datetime.combine(day, time(), ZoneInfo(TIMEZONE)).astimezone(UTC)


def day_end(day: date) -> datetime:
    """The first moment (UTC) after a calendar day: events before it are dated on or before ``day``."""
    return day_start(day + timedelta(days=1))


def as_utc(moment: datetime) -> datetime:
    """A moment in UTC; naive values (SQLite gives them back so) are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
