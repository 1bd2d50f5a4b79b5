"""Extreme days and over-long series answer 422 with field and reason, never 500 (issue 13, items 1, 8).

Each request below answered 500 (an OverflowError or "year 10000 is out of range" in the day
arithmetic) or, for the weekly series from year 1, took seconds of the event loop. Expected bodies
come from the rule (days 2000-01-01 to 2100-12-31, weekly series at most 5 years, monthly 20).
"""

from __future__ import annotations

from typing import Any

import pytest

from ..integration.support import ANALYST, signed_in
from .site import Site, store_history

OUT_OF_RANGE = {
    "code": "date_out_of_range",
    "message_cs": "Datum musí být mezi 1. 1. 2000 a 31. 12. 2100.",
    "message_en": "The date must be between 2000-01-01 and 2100-12-31.",
}
WEEKS_TOO_LONG = {
    "code": "range_too_long",
    "message_cs": "Řada po týdnech smí zahrnovat nejvýše 5 let; zkraťte období, nebo zvolte měsíce.",
    "message_en": "A weekly series may span at most 5 years; shorten the range or choose months.",
}
PERIOD_OUT_OF_RANGE = {
    "code": "period_out_of_range",
    "message_cs": "Období musí ležet mezi roky 2000 a 2100.",
    "message_en": "The period must lie between the years 2000 and 2100.",
}

REFUSED: list[tuple[str, dict[str, str], str, dict[str, str]]] = [
    # the three 500s the security test found
    ("/api/stats/summary", {"from": "0001-01-01"}, "from", OUT_OF_RANGE),
    ("/api/stats/summary", {"as_of": "9999-12-31"}, "as_of", OUT_OF_RANGE),
    ("/api/stats/series/people_in_need", {"to": "9999-12-31"}, "to", OUT_OF_RANGE),
    # the series that held the event loop for seconds
    ("/api/stats/series/people_in_need", {"from": "0001-01-01", "interval": "week"}, "from", OUT_OF_RANGE),
    # the same kind of day elsewhere
    ("/api/stats/breakdown/district", {"from": "1999-12-31"}, "from", OUT_OF_RANGE),
    ("/api/stats/breakdown/district", {"to": "2101-01-01"}, "to", OUT_OF_RANGE),
    ("/api/stats/digest", {"until": "9999-12-31T23:59:59.999999Z"}, "until", OUT_OF_RANGE),
    ("/api/stats/reports/live/0001.csv", {}, "period", PERIOD_OUT_OF_RANGE),
    ("/api/stats/reports/live/1999-Q4.xlsx", {}, "period", PERIOD_OUT_OF_RANGE),
    # spans
    (
        "/api/stats/series/contacts",
        {"from": "2020-01-01", "to": "2025-01-01", "interval": "week"},
        "from",
        WEEKS_TOO_LONG,
    ),
]


@pytest.mark.parametrize(("url", "params", "field", "reason"), REFUSED)
async def test_each_former_500_is_a_422_naming_the_field(
    stats: Site, url: str, params: dict[str, str], field: str, reason: dict[str, str]
) -> None:
    await store_history(stats)
    response = await stats.client.get(url, params=params, headers=ANALYST)
    assert response.status_code == 422, (url, params, response.status_code, response.text)
    assert response.json() == {"detail": [{"field": field, **reason}]}


async def test_a_monthly_series_may_be_four_times_as_long_as_a_weekly_one(stats: Site) -> None:
    await store_history(stats)
    params = {"from": "2000-01-01", "to": "2020-01-01", "interval": "month"}
    response = await stats.client.get("/api/stats/series/contacts", params=params, headers=ANALYST)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["field"], error["code"]) == ("from", "range_too_long")
    assert "20 let" in error["message_cs"] and "20 years" in error["message_en"]


async def test_the_widest_series_allowed_and_the_bounds_themselves_are_answered(stats: Site) -> None:
    await store_history(stats)
    weeks = await stats.get(
        "/api/stats/series/contacts", interval="week", **{"from": "2022-01-01", "to": "2026-12-31"}
    )
    # 2021-W52 (Monday 2021-12-27, holding 1 January 2022) to 2026-W53 (2026 has 53 ISO weeks):
    # 1 + 52 * 4 (2022–2025) + 53
    assert len(weeks["points"]) == 1 + 52 * 4 + 53
    # the history's 10 contacts (k0 in 2025, k1–k9 in 2026) all fall inside
    assert sum(p["value"] for p in weeks["points"]) == 10
    summary = await stats.get("/api/stats/summary", as_of="2100-12-31", **{"from": "2000-01-01"})
    assert summary["contacts"] == 10 and summary["events"] == 64


async def test_without_ends_a_series_spans_what_is_known(stats: Site) -> None:
    await store_history(stats)
    weeks = await stats.get("/api/stats/series/contacts", interval="week")
    # the history runs from 2025 to April 2026, well within 5 years: every contact counted
    assert sum(p["value"] for p in weeks["points"]) == 10


async def test_the_dashboard_refuses_a_period_before_2000_in_czech(stats: Site) -> None:
    browser = signed_in("analyst")
    page: Any = await stats.client.get("/dashboard", params={"period": "1999"}, headers=browser.headers)
    assert page.status_code == 422
    assert PERIOD_OUT_OF_RANGE["message_cs"] in page.text
