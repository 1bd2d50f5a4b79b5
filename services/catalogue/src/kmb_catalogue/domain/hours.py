"""Opening hours and money written the way Czech readers expect them."""

from __future__ import annotations

from kmb_shared.formatting import WEEKDAYS_CS
from kmb_shared.formatting import format_opening_hours as shared_opening_hours

from .model import OpeningHours

__all__ = ["WEEKDAYS_CS", "format_opening_hours"]


def format_opening_hours(hours: OpeningHours | None) -> str | None:
    """E.g. 'Po–Pá 8:00–16:00; St 8:00–18:00 (po dohodě i jindy)', 'nonstop', or None if unknown."""
    if hours is None:
        return None
    slots = [(s.weekdays, s.opens, s.closes) for s in hours.slots]
    return shared_opening_hours(slots, nonstop=hours.nonstop, note=hours.note)
