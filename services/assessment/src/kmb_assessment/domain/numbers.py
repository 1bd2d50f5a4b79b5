"""Exact arithmetic for decisions, rounding for display, and Czech number formatting.

Every comparison with a threshold is made on exact fractions; only the reported values are
rounded (half up), so a reported 40.0 % may still be just over a 40 % threshold.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction


def share(part: int, whole: int) -> Fraction | None:
    """part / whole, or None when whole is zero."""
    if whole == 0:
        return None
    return Fraction(part, whole)


def exceeds_pct(part: int, whole: int, pct: Decimal) -> bool:
    """part > pct % of whole; with a zero whole any positive part exceeds every threshold."""
    if part <= 0:
        return False
    if whole == 0:
        return True
    return Fraction(part) * 100 > Fraction(pct) * whole


def ceil_czk(amount: Decimal) -> int:
    """Round a money amount up to whole CZK (in the applicant's favour for a ceiling)."""
    return int(amount.to_integral_value(rounding=ROUND_CEILING))


def rounded(value: Fraction, places: int) -> float:
    """Round half away from zero to ``places`` decimals, exactly, for any magnitude."""
    scale = 10**places
    units = math.floor(abs(value) * scale + Fraction(1, 2))
    return float(Fraction(units if value >= 0 else -units, scale))


def pct(value: Fraction | None) -> float | None:
    """A share as percent with one decimal place."""
    return None if value is None else rounded(value * 100, 1)


def czk(amount: int) -> str:
    """12870 -> '12 870 Kč' (no-break space as the Czech thousands separator)."""
    return f"{amount:,} Kč".replace(",", "\u00a0")


def cs_number(value: float | Decimal | Fraction, places: int = 1) -> str:
    """A number with a Czech decimal comma: 9.5 -> '9,5'; whole numbers without decimals."""
    number = rounded(Fraction(value), places)
    text = f"{number:.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def cs_date(day: date) -> str:
    """2026-03-01 -> '1. 3. 2026'."""
    return f"{day.day}. {day.month}. {day.year}"


def points_cs(count: int) -> str:
    """Czech plural of 'bod': 1 bod, 2–4 body, 0 and 5+ bodů."""
    if count == 1:
        return "1 bod"
    if 2 <= count <= 4:
        return f"{count} body"
    return f"{count} bodů"


def days_cs(count: int) -> str:
    """Czech 'in N days' count: 1 den, 2–4 dny, 0 and 5+ dní."""
    if count == 1:
        return "1 den"
    if 2 <= count <= 4:
        return f"{count} dny"
    return f"{count} dní"
