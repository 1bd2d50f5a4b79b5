"""Opening hours and money written the way Czech readers expect them."""

from __future__ import annotations

from datetime import time

from kmb_shared.formatting import format_money

from .model import OpeningHours

WEEKDAYS_CS = ("Po", "Út", "St", "Čt", "Pá", "So", "Ne")


def _time(t: time) -> str:
    return f"{t.hour}:{t.minute:02d}"


def _days(days: tuple[int, ...]) -> str:
    """Runs of consecutive days as ranges: (0, 1, 2, 3, 4, 6) -> 'Po–Pá, Ne'."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAYS_CS[run[0]]}–{WEEKDAYS_CS[run[-1]]}")
        else:
            parts.extend(WEEKDAYS_CS[d] for d in run)
    return ", ".join(parts)


def format_opening_hours(hours: OpeningHours | None) -> str | None:
    """E.g. 'Po–Pá 8:00–16:00; St 8:00–18:00 (po dohodě i jindy)', 'nonstop', or None if unknown."""
    if hours is None:
        return None
    if hours.nonstop:
        text = "nonstop"
    else:
        ordered = sorted(hours.slots, key=lambda s: (s.weekdays, s.opens))
        text = "; ".join(f"{_days(s.weekdays)} {_time(s.opens)}–{_time(s.closes)}" for s in ordered)
    if hours.note:
        text = f"{text} ({hours.note})" if text else hours.note
    return text


def format_czk(amount: int) -> str:
    """12500 -> '12 500 Kč' with plain spaces: the explanations that say it travel in events and API
    answers as typed text (pages use :func:`kmb_shared.formatting.format_money`, no-break spaces)."""
    return format_money(amount, nbsp=False)
