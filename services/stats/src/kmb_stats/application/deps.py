"""What stats' use cases are given: a small typed set of dependencies (instead of a dict locator)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..domain.calendar import TIMEZONE
from .live import ProjectionCache


def office_today() -> date:
    """Today in the office's time zone (the clock of a running service)."""
    return datetime.now(ZoneInfo(TIMEZONE)).date()


@dataclass
class StatsDeps:
    """The live projection cache and the clock that says what day it is in the office."""

    projections: ProjectionCache = field(default_factory=ProjectionCache)
    today: Callable[[], date] = office_today
