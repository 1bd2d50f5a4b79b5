"""What stats' use cases are given: a small typed set of dependencies (instead of a dict locator)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from kmb_shared.clock import prague_today

from .live import ProjectionCache


@dataclass
class StatsDeps:
    """The live projection cache and the clock that says what day it is in the office."""

    projections: ProjectionCache = field(default_factory=ProjectionCache)
    #: today in the office's time zone (Prague)
    today: Callable[[], date] = prague_today
