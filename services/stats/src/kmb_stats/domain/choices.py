"""The choices offered in stats' forms: recent periods and the municipal districts the events name."""

from __future__ import annotations

from datetime import date

from .facts import case_district
from .period import Period
from .state import State

YEARS_BACK = 3
QUARTERS_BACK = 8
MONTHS_BACK = 18

PeriodGroup = tuple[str, list[tuple[str, str]]]


def current_periods(today: date) -> list[Period]:
    """The year, quarter and month ``today`` falls in."""
    return [
        Period(today.year, "year"),
        Period(today.year, "quarter", (today.month - 1) // 3 + 1),
        Period(today.year, "month", today.month),
    ]


def _month_before(year: int, month: int, back: int) -> Period:
    index = year * 12 + (month - 1) - back
    return Period(index // 12, "month", index % 12 + 1)


def period_options(today: date) -> list[PeriodGroup]:
    """(group label, [(code, Czech label)]) of recent periods, the latest first, none in the future."""
    years = [Period(today.year - back, "year") for back in range(YEARS_BACK)]
    quarter = (today.month - 1) // 3 + 1
    quarters = []
    for back in range(QUARTERS_BACK):
        index = today.year * 4 + (quarter - 1) - back
        quarters.append(Period(index // 4, "quarter", index % 4 + 1))
    months = [_month_before(today.year, today.month, back) for back in range(MONTHS_BACK)]
    return [
        ("Roky", [(p.code, p.label) for p in years]),
        ("Čtvrtletí", [(p.code, p.label) for p in quarters]),
        ("Měsíce", [(p.code, p.label) for p in months]),
    ]


def known_districts(state: State, day: date) -> list[str]:
    """Every municipal district a case was in on ``day`` (as assessed, else as intake recorded it)."""
    found = {case_district(case, day) for case in state["cases"].values()}
    return sorted(d for d in found if d)
