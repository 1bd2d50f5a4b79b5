"""The days statistics answer for and the longest series (issue 13, items 1 and 8).

Expected values come from the rule: days 2000-01-01 to 2100-12-31; a weekly series spans at most
5 calendar years, a monthly one 20, both ends inclusive (from 2020-01-01 the last day is 2024-12-31).
"""

from __future__ import annotations

from datetime import date

import pytest

from kmb_stats.domain import Filters, new_state, time_series
from kmb_stats.domain.bounds import (
    FIRST_DAY,
    LAST_DAY,
    day_problem,
    series_window,
    span_end,
    span_problem,
    span_start,
    years_later,
)


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2026, 3, 31), date(2100, 12, 31)])
def test_days_of_this_century_are_answered(day: date) -> None:
    assert day_problem(day) is None


@pytest.mark.parametrize("day", [date.min, date(1999, 12, 31), date(2101, 1, 1), date.max])
def test_days_outside_it_are_refused_in_czech_and_english(day: date) -> None:
    assert day_problem(day) == (
        "date_out_of_range",
        "Datum musí být mezi 1. 1. 2000 a 31. 12. 2100.",
        "The date must be between 2000-01-01 and 2100-12-31.",
    )


def test_years_later_moves_29_february_to_1_march() -> None:
    assert years_later(date(2020, 2, 29), 1) == date(2021, 3, 1)
    assert years_later(date(2020, 2, 29), 4) == date(2024, 2, 29)
    assert years_later(date(2026, 3, 31), -5) == date(2021, 3, 31)


def test_the_longest_spans_per_interval() -> None:
    assert span_end("week", date(2020, 1, 1)) == date(2024, 12, 31)
    assert span_end("month", date(2020, 1, 1)) == date(2039, 12, 31)
    assert span_start("week", date(2024, 12, 31)) == date(2020, 1, 1)
    assert span_start("month", date(2026, 3, 31)) == date(2006, 4, 1)
    assert span_problem("week", date(2020, 1, 1), date(2024, 12, 31)) is None
    assert span_problem("month", date(2000, 1, 1), date(2019, 12, 31)) is None


def test_a_longer_series_is_refused_with_the_interval_named() -> None:
    assert span_problem("week", date(2020, 1, 1), date(2025, 1, 1)) == (
        "range_too_long",
        "Řada po týdnech smí zahrnovat nejvýše 5 let; zkraťte období, nebo zvolte měsíce.",
        "A weekly series may span at most 5 years; shorten the range or choose months.",
    )
    code, cs, en = span_problem("month", date(2000, 1, 1), date(2020, 1, 1)) or ("", "", "")
    assert (code, "20 let" in cs, "20 years" in en) == ("range_too_long", True, True)


def test_an_end_not_given_gives_way_to_the_bounds_and_the_span() -> None:
    known = (date(1990, 5, 1), date(2026, 3, 31))
    # no ends: the latest 5 years up to the last known day
    assert series_window("week", None, None, known) == (date(2021, 4, 1), date(2026, 3, 31))
    # a given start: the first 20 years from it, never past the last known day
    assert series_window("month", date(2001, 1, 1), None, known) == (date(2001, 1, 1), date(2020, 12, 31))
    # a known day before 2000 is cut at the first day answered
    assert series_window("month", None, date(2010, 6, 30), known) == (date(2000, 1, 1), date(2010, 6, 30))
    assert series_window("week", None, None, None) is None
    assert series_window("week", date(2027, 1, 1), None, known) is None  # starts after the last known day


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [(date(1, 1, 1), None), (None, date(9999, 12, 31)), (date(2000, 1, 1), date(2005, 1, 1))],
)
def test_given_ends_out_of_bounds_or_too_far_apart_are_a_value_error(
    date_from: date | None, date_to: date | None
) -> None:
    with pytest.raises(ValueError, match=r"between|at most"):
        series_window("week", date_from, date_to, None)


def test_the_widest_allowed_series_has_a_point_per_week_and_month() -> None:
    state = new_state()  # no events: every interval listed with 0
    # 2020-01-01 (Wednesday, ISO week 2020-W01) to 2024-12-31 (Tuesday, 2025-W01): 2020 has 53 ISO
    # weeks, 2021–2023 52 each, 2024 52, and the week of 2024-12-30 is 2025-W01: 53 + 3*52 + 52 + 1
    weeks = time_series(state, "contacts", "week", Filters(date(2020, 1, 1), date(2024, 12, 31)))
    assert len(weeks) == 53 + 3 * 52 + 52 + 1
    assert (weeks[0][0], weeks[-1][0]) == ("2020-W01", "2025-W01")
    months = time_series(state, "people_in_need", "month", Filters(FIRST_DAY, date(2019, 12, 31)))
    assert len(months) == 240 and (months[0][0], months[-1][0]) == ("2000-01", "2019-12")
    assert {value for _label, value in weeks + months} == {0}
    assert LAST_DAY == date(2100, 12, 31)
