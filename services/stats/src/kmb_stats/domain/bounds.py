"""The days statistics can be asked about, and how long a time series may be.

Every day a caller gives (a range's ends, the day stocks are counted on, a report's period, a digest's
moment) lies between :data:`FIRST_DAY` and :data:`LAST_DAY`: KMB's events are all dated in this century,
and a day near ``date.min``/``date.max`` overflowed in the day arithmetic (a 500). A series has a
point per week or month, so its cost grows with its span: a weekly series spans at most
``MAX_SPAN_YEARS["week"]`` years (261 weeks), a monthly one at most ``MAX_SPAN_YEARS["month"]`` (240
months) — enough for the trends a housing office compares, small enough to compute in well under a
second. A problem is (code, Czech, English), for the 422 the entry points answer.
"""

from __future__ import annotations

from datetime import date

from kmb_shared.formatting import format_date

#: the first and the last day statistics answer for (inclusive)
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
#: the longest span of a series per interval, in calendar years
MAX_SPAN_YEARS = {"week": 5, "month": 20}
_INTERVAL_CS = {"week": "po týdnech", "month": "po měsících"}
_INTERVAL_EN = {"week": "weekly", "month": "monthly"}

Problem = tuple[str, str, str]


def day_problem(day: date) -> Problem | None:
    """Why ``day`` is outside the days statistics answer for; None when it is inside."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return (
        "date_out_of_range",
        f"Datum musí být mezi {format_date(FIRST_DAY)} a {format_date(LAST_DAY)}.",
        f"The date must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}.",
    )


def years_later(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 1 March in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def span_end(interval: str, start: date) -> date:
    """The last day a series of ``interval`` starting on ``start`` may reach (inclusive)."""
    return date.fromordinal(years_later(start, MAX_SPAN_YEARS[interval]).toordinal() - 1)


def span_start(interval: str, end: date) -> date:
    """The first day a series of ``interval`` ending on ``end`` may start on (inclusive)."""
    return date.fromordinal(years_later(end, -MAX_SPAN_YEARS[interval]).toordinal() + 1)


def span_problem(interval: str, start: date, end: date) -> Problem | None:
    """Why a series of ``interval`` from ``start`` to ``end`` (both inclusive) is too long; None if not."""
    if end <= span_end(interval, start):
        return None
    years = MAX_SPAN_YEARS[interval]
    return (
        "range_too_long",
        f"Řada {_INTERVAL_CS[interval]} smí zahrnovat nejvýše {years} let; zkraťte období"
        + (", nebo zvolte měsíce." if interval == "week" else "."),
        f"A {_INTERVAL_EN[interval]} series may span at most {years} years; shorten the range"
        + (" or choose months." if interval == "week" else "."),
    )


def series_window(
    interval: str, date_from: date | None, date_to: date | None, known: tuple[date, date] | None
) -> tuple[date, date] | None:
    """The days a series covers: the given ends, and for an end not given the dates known to the state
    (``known``: the first and the last), kept within the bounds and the interval's span (an end not
    given gives way: the latest span up to ``date_to``, the first span from ``date_from``).

    None when there is nothing to cover. Raises ValueError for given ends out of bounds or too far apart
    (the entry points refuse those with a 422 first) and for an unknown interval."""
    if interval not in MAX_SPAN_YEARS:
        raise ValueError(f"interval must be 'week' or 'month', not {interval!r}")
    for given in (date_from, date_to):
        if given is not None and (problem := day_problem(given)) is not None:
            raise ValueError(problem[2])
    if (
        date_from is not None
        and date_to is not None
        and (problem := span_problem(interval, date_from, date_to))
    ):
        raise ValueError(problem[2])
    start = date_from or (known[0] if known else None)
    end = date_to or (known[1] if known else None)
    if start is None or end is None:
        return None
    start, end = max(start, FIRST_DAY), min(end, LAST_DAY)
    if date_from is None:
        start = max(start, span_start(interval, end))
    elif date_to is None:
        end = min(end, span_end(interval, start))
    return (start, end) if start <= end else None
