"""Read-side queries over the projection state: summary, breakdown and time series.

Flows count what happened within the date range; stocks are counted on its last day
(``as_of`` / ``date_to``). Results are unsuppressed: they stay inside the office. Anything that
leaves it goes through a report (:func:`kmb_stats.domain.report.build_report`), which suppresses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from kmb_shared.formatting import month_label, week_label

from .bounds import series_window
from .facts import Filters, contacts, households_in_need, transitions
from .facts_flows import catalogue, referral_steps, responses
from .measures import (
    FLOW_METRICS,
    HOUSED_ADEQUATELY,
    STOCK_METRICS,
    flow_dates,
    in_need_for_at_least,
    median,
    stock_value,
)
from .state import State

UNKNOWN = "unknown"
Number = int | float | None

CONTACT_DIMENSIONS = ("contact_channel", "contact_topic", "contact_week", "contact_month")
NEED_DIMENSIONS = ("need_level", "ethos_category", "household_type", "district", "orp", "vulnerability")
NEED_MEASURES = ("households", "people", "children")
REFERRAL_DIMENSIONS = ("partner", "referral_kind", "decline_reason")
REFERRAL_MEASURES = ("made", "accepted", "declined", "completed", "overdue")
CATALOGUE_MEASURES = ("solutions", "capacity_total", "capacity_free", "capacity_occupied")
DIMENSIONS = (*CONTACT_DIMENSIONS, "close_reason", *NEED_DIMENSIONS, *REFERRAL_DIMENSIONS, "solution_kind")


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def bucket_label(key: str) -> str:
    """The Czech name of an interval key: "2026-W09" -> "9. týden 2026", "2026-03" -> "březen 2026"."""
    year, _, rest = key.partition("-")
    if rest.startswith("W"):
        return week_label(date.fromisocalendar(int(year), int(rest[1:]), 1))
    return month_label(int(year), int(rest))


def summary(
    state: State, as_of: date, *, date_from: date | None = None, district: str | None = None
) -> dict[str, Number]:
    """Key figures: flows from ``date_from`` (default: the beginning) to ``as_of``, stocks on ``as_of``."""
    filters = Filters(date_from, as_of, district)
    result: dict[str, Number] = {m: len(flow_dates(state, m, filters)) for m in FLOW_METRICS}
    result.update({m: stock_value(state, m, as_of, district) for m in STOCK_METRICS})
    for limit, count in in_need_for_at_least(state, as_of, district).items():
        result[f"in_need_{limit}_plus"] = count
    result["median_referral_response_days"] = median(r.days for r in responses(state, filters))
    housed = [t for t in transitions(state, filters) if t.kind == "closed" and t.reason == HOUSED_ADEQUATELY]
    result["median_days_to_adequate_housing"] = median(
        t.days_since_opened for t in housed if t.days_since_opened is not None
    )
    offer = [s for s in catalogue(state, as_of) if s.known]
    result["solutions_on_offer"] = len(catalogue(state, as_of))
    capacity_total = sum(s.total or 0 for s in offer)
    capacity_free = sum(s.free or 0 for s in offer)
    result["capacity_total"] = capacity_total
    result["capacity_free"] = capacity_free
    result["capacity_occupied"] = capacity_total - capacity_free
    return result


def _counted(keys: Iterable[object]) -> dict[str, int]:
    counts = Counter(UNKNOWN if k is None else str(k) for k in keys)
    return dict(sorted(counts.items()))


def _need_breakdown(state: State, dimension: str, filters: Filters, measure: str) -> dict[str, int]:
    if measure not in NEED_MEASURES:
        raise ValueError(f"measure {measure!r} does not apply to {dimension!r}")
    totals: Counter[str] = Counter()
    for household in households_in_need(state, filters.as_of, filters.district):
        weight = {"households": 1, "people": household.size, "children": household.children}[measure]
        if dimension == "vulnerability":
            keys: list[object] = list(household.flags)
        else:
            attribute = {"ethos_category": "ethos", "orp": "orp"}.get(dimension, dimension)
            keys = [getattr(household, attribute)]
        for key in keys:
            totals[UNKNOWN if key is None else str(key)] += weight
    return dict(sorted(totals.items()))


def _catalogue_breakdown(state: State, filters: Filters, measure: str) -> dict[str, int]:
    if measure not in CATALOGUE_MEASURES:
        raise ValueError(f"measure {measure!r} does not apply to 'solution_kind'")
    totals: Counter[str] = Counter()
    for solution in catalogue(state, filters.as_of):
        if measure == "solutions":
            totals[solution.kind] += 1
        elif solution.known:
            free, total = solution.free or 0, solution.total or 0
            totals[solution.kind] += {"capacity_total": total, "capacity_free": free}.get(
                measure, total - free
            )
    return dict(sorted(totals.items()))


def breakdown(
    state: State, dimension: str, filters: Filters | None = None, measure: str | None = None
) -> dict[str, int]:
    """Counts by one dimension (see ``DIMENSIONS``), keyed by code; missing codes as "unknown".

    - contact_*: contacts dated in the range (a contact counts once per topic for contact_topic);
    - close_reason: case closures in the range;
    - need dimensions: households in need on ``date_to`` (measure households, people or children;
      vulnerability counts a household once per flag);
    - partner, referral_kind: referral steps in the range (measure made, accepted, declined,
      completed or overdue; default made); decline_reason: declines in the range;
    - solution_kind: catalogue on ``date_to`` (measure solutions, capacity_total, capacity_free,
      capacity_occupied); the district filter does not apply to it.
    """
    filters = filters or Filters()
    if dimension in CONTACT_DIMENSIONS:
        found = list(contacts(state, filters))
        if dimension == "contact_channel":
            return _counted(c["channel"] for c in found)
        if dimension == "contact_topic":
            return _counted(topic for c in found for topic in c["topics"])
        to_key = iso_week if dimension == "contact_week" else month_key
        return _counted(to_key(date.fromisoformat(c["on"])) for c in found)
    if dimension == "close_reason":
        return _counted(t.reason for t in transitions(state, filters) if t.kind == "closed")
    if dimension in NEED_DIMENSIONS:
        return _need_breakdown(state, dimension, filters, measure or "households")
    if dimension in REFERRAL_DIMENSIONS:
        step = "declined" if dimension == "decline_reason" else (measure or "made")
        if step not in REFERRAL_MEASURES:
            raise ValueError(f"measure {step!r} does not apply to {dimension!r}")
        steps = [s for s in referral_steps(state, filters) if s.step == step]
        attribute = {"partner": "partner", "referral_kind": "kind", "decline_reason": "reason"}[dimension]
        return _counted(getattr(s, attribute) for s in steps)
    if dimension == "solution_kind":
        return _catalogue_breakdown(state, filters, measure or "solutions")
    raise ValueError(f"unknown dimension {dimension!r}; known: {', '.join(DIMENSIONS)}")


def _buckets(start: date, end: date, interval: str) -> list[tuple[str, date, date]]:
    """Consecutive (label, first day, last day) intervals covering start..end, clipped to it."""
    if interval not in ("week", "month"):
        raise ValueError(f"interval must be 'week' or 'month', not {interval!r}")
    found = []
    cursor = start - timedelta(days=start.weekday()) if interval == "week" else start.replace(day=1)
    while cursor <= end:
        if interval == "week":
            following = cursor + timedelta(days=7)
            label = iso_week(cursor)
        else:
            following = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
            label = month_key(cursor)
        found.append((label, max(cursor, start), min(following - timedelta(days=1), end)))
        cursor = following
    return found


def _state_dates(state: State) -> list[date]:
    days = [date.fromisoformat(c["on"]) for c in state["contacts"].values()]
    for case in state["cases"].values():
        days += [date.fromisoformat(e["on"]) for e in case["intake"]["lifecycle"].values()]
        days += [date.fromisoformat(a["on"]) for a in case["assessments"].values()]
    for referral in state["referrals"].values():
        days += [date.fromisoformat(referral[s]["on"]) for s in REFERRAL_MEASURES if referral[s]]
    return days


def time_series(
    state: State, metric: str, interval: str = "month", filters: Filters | None = None
) -> list[tuple[str, int]]:
    """A metric per ISO week ("2026-W10") or month ("2026-03"), every interval listed, zeros included.

    Flow metrics (``FLOW_METRICS``) count occurrences within each interval; stock metrics
    (``STOCK_METRICS``) are counted on each interval's last day. Intervals are clipped to the
    filter's range; an end not given is the first or last date known to the state, within the bounds
    and the interval's longest span (:func:`kmb_stats.domain.bounds.series_window`, which raises
    ValueError for given ends out of bounds or too far apart).
    """
    filters = filters or Filters()
    if metric not in FLOW_METRICS and metric not in STOCK_METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    known = _state_dates(state)
    window = series_window(
        interval, filters.date_from, filters.date_to, (min(known), max(known)) if known else None
    )
    if window is None:
        return []
    start, end = window
    buckets = _buckets(start, end, interval)
    if metric in STOCK_METRICS:
        return [
            (label, stock_value(state, metric, last, filters.district)) for label, _first, last in buckets
        ]
    days = flow_dates(state, metric, Filters(start, end, filters.district))
    return [(label, sum(1 for d in days if first <= d <= last)) for label, first, last in buckets]
