"""Exact arithmetic for decisions, rounding for display, and the Czech formats of the explanations.

Every comparison with a threshold is made on exact fractions; only the reported values are
rounded (half up), so a reported 40.0 % may still be just over a 40 % threshold.

The explanations travel in events and API answers as plain strings, so they take the kernel's
formats (:mod:`kmb_shared.formatting`) with plain spaces: "12 870 Kč", "1,43", "do 90 dní".
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from functools import partial

from kmb_shared.formatting import format_date, format_money_text, format_number, plural

#: "12 870 Kč" (whole crowns; haléře only when the amount has them): the kernel's plain-space money
czk = format_money_text
#: "9,5": up to ``max_decimals`` (default 1), trailing zeros dropped
cs_number = partial(format_number, nbsp=False)
#: "1. 3. 2026"
cs_date = partial(format_date, nbsp=False)
#: "1 den", "2 dny", "5 dní"
days_cs = partial(plural, one="den", few="dny", other="dní", nbsp=False)
#: "1 bod", "2 body", "5 bodů"
points_cs = partial(plural, one="bod", few="body", other="bodů", nbsp=False)


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
