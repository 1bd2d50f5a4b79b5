"""Today as the contact point sees it (Czech local time)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PRAGUE = ZoneInfo("Europe/Prague")


def prague_today() -> date:
    return datetime.now(PRAGUE).date()
