"""Czech formatting for people (pages, reports, PDFs, explanations), built on Babel (``cs_CZ``).

Dates "15. 3. 2026", moments "15. 3. 2026 14:05" (in Prague's time), money "12 000 Kč", numbers
"1 234,5", percent "12,5 %", plural forms (CLDR: 1 den, 2 dny, 5 dní), "49. týden 2026", "leden 2026".
Missing values give "".

Spaces: numbers and money keep Babel's no-break spaces (U+00A0: "1 234", "950 Kč"), so a page never
wraps them; ``nbsp=False`` gives plain spaces, for text that is compared or stored as it is typed
(explanations in events and API answers). Dates take plain spaces unless ``nbsp=True``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.dates import get_month_names
from babel.numbers import NumberPattern, parse_pattern

from kmb_shared.clock import to_prague

LOCALE = Locale.parse("cs_CZ")
NBSP = "\u00a0"
Number = int | float | Decimal | Fraction

#: CLDR's medium Czech date, "2. 12. 2026" (day and month without a leading zero)
DATE_FORMAT = "medium"
TIME_FORMAT = "HH:mm"
TIME_SECONDS_FORMAT = "HH:mm:ss"


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> NumberPattern:
    """A number pattern parsed once (Babel parses it on every call otherwise; assessments format
    dozens of amounts each, and an impact preview re-assesses thousands of households)."""
    return parse_pattern(pattern)


def _as_temporal(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return (
                datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
            )
        except ValueError:
            return None
    return value


def _spaces(text: str, nbsp: bool) -> str:
    """Babel's group and currency spaces (U+00A0, U+202F) as no-break or as plain spaces."""
    space = NBSP if nbsp else " "
    return text.replace("\u202f", space).replace(NBSP, space)


def format_date(value: date | datetime | str | None, *, nbsp: bool = False) -> str:
    """``2026-03-15`` -> "15. 3. 2026"; a moment is dated in Prague; ISO text is parsed."""
    value = _as_temporal(value)
    if isinstance(value, datetime):
        value = to_prague(value).date()
    if not isinstance(value, date):
        return ""
    text = _babel_date(value, DATE_FORMAT, locale=LOCALE)
    return text.replace(" ", NBSP) if nbsp else _spaces(text, False)


def format_datetime(value: datetime | str | None, *, seconds: bool = False, nbsp: bool = False) -> str:
    """A moment in Prague's time: "15. 3. 2026 14:05" (with ``seconds``: "14:05:07"); a naive
    moment is taken as UTC; a date alone gives the date."""
    value = _as_temporal(value)
    if not isinstance(value, datetime):
        return format_date(value, nbsp=nbsp)
    local = to_prague(value)
    clock = _babel_time(local.time(), TIME_SECONDS_FORMAT if seconds else TIME_FORMAT, locale=LOCALE)
    return f"{format_date(local.date(), nbsp=nbsp)} {clock}"


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def format_number(
    value: Number | None, max_decimals: int = 1, *, min_decimals: int = 0, nbsp: bool = True
) -> str:
    """ "1 234,5": rounded half up to ``max_decimals``; trailing zeros dropped down to
    ``min_decimals`` (``format_number(75, 1, min_decimals=1)`` -> "75,0")."""
    if value is None:
        return ""
    exact = _decimal(value).quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)
    decimals = "0" * min_decimals + "#" * max(max_decimals - min_decimals, 0)
    pattern = "#,##0" + (f".{decimals}" if decimals else "")
    text = _pattern(pattern).apply(exact, LOCALE, decimal_quantization=False)
    return _spaces(text, nbsp)


def format_money(amount: Number | None, *, cents: bool | None = None, nbsp: bool = True) -> str:
    """ "12 000 Kč"; with haléře "12 500,50 Kč" (``cents=None``: only when the amount has them)."""
    if amount is None:
        return ""
    exact = _decimal(amount)
    with_cents = cents if cents is not None else exact != exact.to_integral_value()
    exact = exact.quantize(Decimal("0.01") if with_cents else Decimal(1), rounding=ROUND_HALF_UP)
    pattern = "#,##0.00\u00a0¤" if with_cents else "#,##0\u00a0¤"
    text = _pattern(pattern).apply(exact, LOCALE, currency="CZK", currency_digits=False)
    return _spaces(text, nbsp)


def format_money_text(amount: Number | None) -> str:
    """ "12 500 Kč" with plain spaces: money in explanations that travel as typed text in events and
    API answers (assessment's reasons, catalogue's eligibility); pages take :func:`format_money`."""
    return format_money(amount, nbsp=False)


def format_percent(value: Number | None, max_decimals: int = 1, *, min_decimals: int = 0) -> str:
    """A value already in percent: ``12.55`` -> "12,6 %" (no-break space before the sign, as a
    Czech noun "procent")."""
    if value is None:
        return ""
    return f"{format_number(value, max_decimals, min_decimals=min_decimals)}{NBSP}%"


def plural_form(count: Number) -> str:
    """The CLDR plural category of ``count`` in Czech: "one" (1), "few" (2–4), "many" (a fraction),
    "other" (0, 5 and more, also 22)."""
    return str(LOCALE.plural_form(_decimal(count) if isinstance(count, Fraction) else count))


def plural(
    count: Number,
    one: str,
    few: str,
    other: str,
    *,
    many: str | None = None,
    number: bool = True,
    nbsp: bool = True,
) -> str:
    """Czech plural by CLDR rules: 1 den, 2–4 dny, 5 dní; a fraction takes ``many`` (else ``few``).

    ``number=False`` gives the word alone; ``nbsp=False`` groups a large count with a plain space
    ("1 200 dní", for text that travels in events)."""
    word = {"one": one, "few": few, "many": many or few}.get(plural_form(count), other)
    if not number:
        return word
    places = 0 if isinstance(count, int) else 2
    return f"{format_number(count, places, nbsp=nbsp)} {word}"


def week_label(day: date) -> str:
    """The ISO week of ``day``: "49. týden 2026" (the ISO year, which may differ at New Year)."""
    year, week, _ = day.isocalendar()
    return f"{week}. týden {year}"


def month_name(month: int) -> str:
    """ "leden" … "prosinec" (the nominative, as a heading or a period's name)."""
    return str(get_month_names("wide", context="stand-alone", locale=LOCALE)[month])


def month_label(year: int, month: int) -> str:
    """ "leden 2026"."""
    return f"{month_name(month)} {year}"


#: Czech weekday abbreviations, Monday first (the catalogue's opening hours name days by 0-6)
WEEKDAYS_CS: tuple[str, ...] = ("Po", "Út", "St", "Čt", "Pá", "So", "Ne")


def _weekday_runs(days: Sequence[int], names: Sequence[str]) -> str:
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
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ", ".join(parts)


def format_opening_hours(
    slots: Iterable[tuple[Sequence[int], time, time]],
    *,
    nonstop: bool = False,
    note: str | None = None,
    weekdays: Sequence[str] = WEEKDAYS_CS,
    nonstop_text: str = "nonstop",
) -> str:
    """Opening hours from ``(weekdays 0-6, opens, closes)`` slots, e.g. 'Po–Pá 8:00–16:00; St
    8:00–18:00 (po dohodě i jindy)', 'nonstop'; ``weekdays`` and ``nonstop_text`` name the days and
    the non-stop service in another language."""
    if nonstop:
        text = nonstop_text
    else:
        ordered = sorted(slots, key=lambda s: (tuple(s[0]), s[1]))
        text = "; ".join(
            f"{_weekday_runs(days, weekdays)} {opens.hour}:{opens.minute:02d}–{closes.hour}:{closes.minute:02d}"
            for days, opens, closes in ordered
        )
    if note:
        text = f"{text} ({note})" if text else note
    return text
