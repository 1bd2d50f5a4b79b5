"""Report periods and filtering of figures by period."""

from __future__ import annotations

from datetime import date

import pytest

from kmb_stats.application.projection import Projection
from kmb_stats.domain import Filters, Period, breakdown, summary, time_series

from .conftest import History


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31), "březen 2026"),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "únor 2026"),  # 2026 is not a leap year
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "únor 2028"),  # 2028 is
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "1. čtvrtletí 2026"),
        ("2026-q4", date(2026, 10, 1), date(2026, 12, 31), "4. čtvrtletí 2026"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "rok 2026"),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "prosinec 2026"),
    ],
)
def test_period_parses_month_quarter_and_year(text: str, start: date, end: date, label: str) -> None:
    period = Period.parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert Period.parse(str(period)) == period


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-Q5", "26-03", "2026-3", "březen", "", "0000", "0000-01", "0000-Q1"]
)
def test_invalid_period_is_refused_with_a_czech_message(text: str) -> None:
    with pytest.raises(ValueError, match="Neplatn"):
        Period.parse(text)


def _state(history: History) -> dict[str, object]:
    projection = Projection()
    for event, meta in history.by_time():
        projection.apply(event, meta)
    return projection.state


def test_march_counts_only_what_happened_in_march(history: History) -> None:
    march = Period.parse("2026-03")
    figures = summary(_state(history), march.end, date_from=march.start)
    # contacts k6 (9th), k7 (10th), k8 (31st); opened H; closed C (2nd) and F (20th); reopened D (5th);
    # made R6 (25th); completed R5 (20th); no acceptance in March (R4 was 23 Feb, R5 19 Feb)
    assert figures["contacts"] == 3
    assert (figures["cases_opened"], figures["cases_closed"], figures["cases_reopened"]) == (1, 2, 1)
    assert (figures["referrals_made"], figures["referrals_completed"], figures["referrals_accepted"]) == (
        1,
        1,
        0,
    )


def test_april_sees_the_new_case_the_late_decline_and_the_freed_shelter_places(history: History) -> None:
    april = Period.parse("2026-04")
    figures = summary(_state(history), april.end, date_from=april.start)
    assert figures["contacts"] == 1  # k9
    assert figures["households_in_need"] == 5  # A, B, D, E plus G (roofless, 8 April)
    assert figures["referrals_declined"] == 1  # R6 on 2 April
    # S1 changed to 20/8 on 10 April: total 20 + 4 = 24, free 8 + 3 = 11, occupied 13
    assert (figures["capacity_total"], figures["capacity_free"], figures["capacity_occupied"]) == (24, 11, 13)


def test_stocks_are_counted_on_the_last_day_of_each_month(history: History) -> None:
    state = _state(history)
    q1 = Filters(date(2026, 1, 1), date(2026, 3, 31))
    # 31 Jan: A, B, C (houseless, closed only 2 March), D (insecure, closed 10 Feb) = 4
    # 28 Feb: A, B, C, E, F (roofless since 17 Feb) = 5; D was closed
    # 31 Mar: A, B, D (reopened), E = 4; C and F closed
    series = time_series(state, "households_in_need", "month", q1)
    assert series == [("2026-01", 4), ("2026-02", 5), ("2026-03", 4)]


def test_flows_are_counted_per_month_and_per_clipped_iso_week(history: History) -> None:
    state = _state(history)
    q1 = Filters(date(2026, 1, 1), date(2026, 3, 31))
    assert time_series(state, "contacts", "month", q1) == [("2026-01", 3), ("2026-02", 2), ("2026-03", 3)]
    march = Filters(date(2026, 3, 1), date(2026, 3, 31))
    weeks = time_series(state, "cases_closed", "week", march)
    # 1 March is a Sunday, in W09; C closed Monday 2 March (W10), F Friday 20 March (W12); W14 ends at 31 March
    assert weeks == [
        ("2026-W09", 0),
        ("2026-W10", 1),
        ("2026-W11", 0),
        ("2026-W12", 1),
        ("2026-W13", 0),
        ("2026-W14", 0),
    ]


def test_unknown_dimension_metric_or_interval_is_refused(history: History) -> None:
    state = _state(history)
    with pytest.raises(ValueError, match="unknown dimension"):
        breakdown(state, "shoe_size")
    with pytest.raises(ValueError, match="unknown metric"):
        time_series(state, "happiness")
    with pytest.raises(ValueError, match="interval"):
        time_series(state, "contacts", "day")
    with pytest.raises(ValueError, match="does not apply"):
        breakdown(state, "need_level", measure="made")


def test_weeks_and_months_are_named_in_czech_in_reports() -> None:
    from kmb_stats.domain.queries import bucket_label

    assert bucket_label("2026-W09") == "9. týden 2026"
    assert bucket_label("2026-W53") == "53. týden 2026"  # ISO year 2026 has 53 weeks (1 Jan 2027 is in it)
    assert bucket_label("2026-03") == "březen 2026"
