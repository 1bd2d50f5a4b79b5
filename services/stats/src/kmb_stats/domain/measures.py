"""Named measures: flows (things that happened on a date) and stocks (what held on a day)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date

from .facts import (
    Filters,
    contacts,
    households_in_need,
    open_cases,
    registration_active,
    registrations,
    transitions,
)
from .facts_flows import referral_steps
from .state import State

HOUSED_ADEQUATELY = "housed_adequately"
NEED_DURATION_THRESHOLDS = (180, 270, 365)

#: flow metric -> what is counted on its date
FLOW_METRICS = (
    "contacts",
    "cases_opened",
    "cases_closed",
    "cases_reopened",
    "housed_adequately",
    "register_entered",
    "register_expired",
    "referrals_made",
    "referrals_accepted",
    "referrals_declined",
    "referrals_completed",
    "referrals_overdue",
)
#: stock metric -> counted on the last day of each interval
STOCK_METRICS = ("cases_open", "households_in_need", "people_in_need", "children_in_need", "register_active")

_REFERRAL_STEPS = ("made", "accepted", "declined", "completed", "overdue")
_TRANSITION_KINDS = {"cases_opened": "opened", "cases_closed": "closed", "cases_reopened": "reopened"}


def flow_dates(state: State, metric: str, filters: Filters) -> list[date]:
    """The date of every occurrence of a flow metric within the filters."""
    if metric == "contacts":
        return [date.fromisoformat(c["on"]) for c in contacts(state, filters)]
    if metric in _TRANSITION_KINDS:
        kind = _TRANSITION_KINDS[metric]
        return [t.on for t in transitions(state, filters) if t.kind == kind]
    if metric == HOUSED_ADEQUATELY:
        return [
            t.on for t in transitions(state, filters) if t.kind == "closed" and t.reason == HOUSED_ADEQUATELY
        ]
    if metric in ("register_entered", "register_expired"):
        field = "registered_on" if metric == "register_entered" else "expired_on"
        entries = registrations(state, filters.district, filters.as_of)
        return [date.fromisoformat(e[field]) for e in entries if e[field] and filters.contains(e[field])]
    if metric.startswith("referrals_") and metric.removeprefix("referrals_") in _REFERRAL_STEPS:
        step = metric.removeprefix("referrals_")
        return [s.on for s in referral_steps(state, filters) if s.step == step]
    raise ValueError(f"unknown flow metric {metric!r}")


def stock_value(state: State, metric: str, day: date, district: str | None = None) -> int:
    """The value of a stock metric on ``day``."""
    if metric == "cases_open":
        return open_cases(state, day, district)
    if metric in ("households_in_need", "people_in_need", "children_in_need"):
        households = households_in_need(state, day, district)
        if metric == "households_in_need":
            return len(households)
        if metric == "people_in_need":
            return sum(h.size for h in households)
        return sum(h.children for h in households)
    if metric == "register_active":
        return sum(1 for e in registrations(state, district, day) if registration_active(e, day))
    raise ValueError(f"unknown stock metric {metric!r}")


def in_need_for_at_least(state: State, day: date, district: str | None = None) -> dict[int, int]:
    """Households in need on ``day`` for at least 180, 270 and 365 days (cumulative counts)."""
    durations = [(day - h.since).days for h in households_in_need(state, day, district)]
    return {limit: sum(1 for d in durations if d >= limit) for limit in NEED_DURATION_THRESHOLDS}


def median(values: Iterable[float]) -> float | None:
    """The median rounded to one decimal, or None for no values."""
    items = list(values)
    return round(float(statistics.median(items)), 1) if items else None
