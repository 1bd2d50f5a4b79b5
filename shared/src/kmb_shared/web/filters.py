"""The Czech template filters every service's pages get (:class:`kmb_shared.web.Pages` installs them):
thin, forgiving wrappers of :mod:`kmb_shared.formatting` for values as templates hold them (dates,
moments, numbers, or their ISO/decimal text from a stored JSON document).

``{{ d | cz_date }}`` "5. 3. 2026", ``{{ t | cz_datetime }}`` "5. 3. 2026 14:05" (Prague's time,
``cz_datetime(seconds=true)`` "14:05:07"), ``{{ n | cz_number }}`` "1 234,5", ``{{ a | cz_money }}``
"12 500 Kč", ``{{ p | cz_percent }}`` "12,5 %", ``{{ n | cz_plural("den", "dny", "dní") }}`` "5 dní".
``None`` gives ""; text that is not a number or a date is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from kmb_shared.formatting import (
    Number,
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_percent,
    plural,
)


def _number(value: Any) -> Number | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return value
    try:
        return Decimal(str(value).replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None


def _numeric(format_: Callable[..., str]) -> Callable[..., str]:
    def apply(value: Any, *args: Any, **kwargs: Any) -> str:
        if value is None or value == "":
            return ""
        number = _number(value)
        return str(value) if number is None else format_(number, *args, **kwargs)

    apply.__doc__ = format_.__doc__
    return apply


def cz_date(value: Any, nbsp: bool = False) -> str:
    """A date (a moment: its day in Prague); text that is no ISO date as it is."""
    if value is None or value == "":
        return ""
    return format_date(value, nbsp=nbsp) or str(value)


def cz_datetime(value: Any, seconds: bool = False) -> str:
    """A moment in Prague's time; text that is no ISO moment as it is."""
    if value is None or value == "":
        return ""
    return format_datetime(value, seconds=seconds) or str(value)


def cz_plural(count: Any, one: str, few: str, other: str, many: str | None = None) -> str:
    number = _number(count)
    if number is None:
        return f"{count} {other}"
    return plural(number, one, few, other, many=many)


CZECH_FILTERS: dict[str, Callable[..., str]] = {
    "cz_date": cz_date,
    "cz_datetime": cz_datetime,
    "cz_number": _numeric(format_number),
    "cz_money": _numeric(format_money),
    "cz_percent": _numeric(format_percent),
    "cz_plural": cz_plural,
}
