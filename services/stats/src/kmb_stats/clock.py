"""The office's calendar: days in Europe/Prague and the UTC moments that bound them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .domain.state import DEFAULT_TIMEZONE

TIMEZONE = DEFAULT_TIMEZONE


def office_today() -> date:
    """Today in the office's time zone."""
    return datetime.now(ZoneInfo(TIMEZONE)).date()


def day_start(day: date) -> datetime:
    """The first moment (UTC) of a calendar day in the office's time zone."""
    return datetime.combine(day, time(), ZoneInfo(TIMEZONE)).astimezone(UTC)


def day_end(day: date) -> datetime:
    """The first moment (UTC) after a calendar day: events before it are dated on or before ``day``."""
    return day_start(day + timedelta(days=1))
