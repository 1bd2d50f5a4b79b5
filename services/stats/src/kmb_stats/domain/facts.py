"""Dated facts derived from the state: what was true on a day, what happened in a date range.

Rules (all dates are calendar dates in the office's time zone):
- A case is open on day D when its last opened/closed/reopened event on or before D is an
  opening; a case with no such event by D but with an assessment by D (its intake events not
  seen yet) counts as open from its first assessment on.
- A household is in need on D when its case is open on D and its latest assessment on or before
  D (greatest assessed_on, then occurred_at) has a need level other than ``not_in_need``.
- Its need started at the first assessment of the unbroken run of in-need assessments that ends
  with that latest one, but not before the case was last opened or reopened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from .state import State

NOT_IN_NEED = "not_in_need"

Record = dict[str, Any]


@dataclass(frozen=True)
class Filters:
    """A date range (both ends inclusive, open when None) and an optional municipal district."""

    date_from: date | None = None
    date_to: date | None = None
    district: str | None = None

    def contains(self, day: date | str | None) -> bool:
        if day is None:
            return False
        if isinstance(day, str):
            day = date.fromisoformat(day)
        if self.date_from is not None and day < self.date_from:
            return False
        return self.date_to is None or day <= self.date_to

    @property
    def as_of(self) -> date:
        """The day on which stocks (open cases, people in need, register) are counted."""
        return self.date_to if self.date_to is not None else date.max


def _day(text: str) -> date:
    return date.fromisoformat(text)


def lifecycle(case: Record) -> list[Record]:
    """The case's opened/closed/reopened events in time order."""
    events = case["intake"]["lifecycle"]
    return [events[key] for key in sorted(events, key=lambda k: (events[k]["at"], k))]


def assessments_until(case: Record, day: date) -> list[Record]:
    """Assessments dated on or before ``day``, oldest first."""
    items = [a for a in case["assessments"].values() if _day(a["on"]) <= day]
    return sorted(items, key=lambda a: (a["on"], a["v"]))


def spell_start(case: Record, day: date) -> date | None:
    """The day the case was last opened or reopened on or before ``day``, if open on ``day``."""
    past = [e for e in lifecycle(case) if _day(e["on"]) <= day]
    if past:
        last = past[-1]
        return _day(last["on"]) if last["kind"] != "closed" else None
    earlier = assessments_until(case, day)
    return _day(earlier[0]["on"]) if earlier else None


def is_open(case: Record, day: date) -> bool:
    return spell_start(case, day) is not None


def first_opened(case: Record) -> date | None:
    opened = [_day(e["on"]) for e in lifecycle(case) if e["kind"] == "opened"]
    return min(opened) if opened else None


def household_on(case: Record, day: date) -> Record:
    """The latest intake household record dated on or before ``day`` (empty if none)."""
    records = case["intake"]["households"]
    keys = [k for k in records if _day(records[k]["on"]) <= day]
    if not keys:
        return {}
    latest: Record = records[max(keys, key=lambda k: (records[k]["at"], k))]
    return latest


def case_district(case: Record, day: date) -> str | None:
    """District of the latest assessment by ``day``, else of the intake household record."""
    for assessment in reversed(assessments_until(case, day)):
        if assessment["district"]:
            return str(assessment["district"])
    district = household_on(case, day).get("district")
    return str(district) if district else None


def in_district(case: Record | None, filters: Filters) -> bool:
    if filters.district is None:
        return True
    return case is not None and case_district(case, filters.as_of) == filters.district


@dataclass(frozen=True)
class NeedHousehold:
    case_id: str
    need_level: str
    ethos: int | None
    household_type: str
    district: str | None
    orp: str | None
    size: int
    children: int
    flags: tuple[str, ...]
    since: date


def _need_household(case_id: str, case: Record, day: date) -> NeedHousehold | None:
    start = spell_start(case, day)
    history = assessments_until(case, day)
    if start is None or not history or history[-1]["need_level"] == NOT_IN_NEED:
        return None
    run_start = history[-1]
    for assessment in reversed(history):
        if assessment["need_level"] == NOT_IN_NEED:
            break
        run_start = assessment
    latest = history[-1]
    household = household_on(case, day)
    return NeedHousehold(
        case_id=case_id,
        need_level=latest["need_level"],
        ethos=latest["ethos"],
        household_type=latest["household_type"],
        district=latest["district"] or household.get("district"),
        orp=latest["orp"] or household.get("orp"),
        size=latest["size"],
        children=latest["children"],
        flags=tuple(latest["flags"]),
        since=max(_day(run_start["on"]), start),
    )


def households_in_need(state: State, day: date, district: str | None = None) -> list[NeedHousehold]:
    """Households in need on ``day``, one per case, from each case's latest assessment."""
    found = []
    for case_id in sorted(state["cases"]):
        household = _need_household(case_id, state["cases"][case_id], day)
        if household is not None and (district is None or household.district == district):
            found.append(household)
    return found


def contacts(state: State, filters: Filters) -> Iterator[Record]:
    """Contacts dated in the range; with a district filter, only those linked to a case there."""
    for key in sorted(state["contacts"]):
        contact = state["contacts"][key]
        if not filters.contains(contact["on"]):
            continue
        case = state["cases"].get(contact["case_id"]) if contact["case_id"] else None
        if in_district(case, filters):
            yield contact


@dataclass(frozen=True)
class Transition:
    case_id: str
    kind: str  # opened, closed, reopened
    on: date
    reason: str | None
    days_since_opened: int | None  # closures only: days from the first opening


def transitions(state: State, filters: Filters) -> list[Transition]:
    """Case openings, closures and reopenings dated in the range."""
    found = []
    for case_id in sorted(state["cases"]):
        case = state["cases"][case_id]
        if not in_district(case, filters):
            continue
        opened = first_opened(case)
        for item in lifecycle(case):
            if not filters.contains(item["on"]):
                continue
            on = _day(item["on"])
            days = (on - opened).days if item["kind"] == "closed" and opened is not None else None
            found.append(Transition(case_id, item["kind"], on, item["reason"], days))
    return found


def open_cases(state: State, day: date, district: str | None = None) -> int:
    filters = Filters(date_to=day, district=district)
    return sum(1 for c in state["cases"].values() if is_open(c, day) and in_district(c, filters))


def registrations(state: State, district: str | None = None, day: date = date.max) -> Iterator[Record]:
    filters = Filters(date_to=day, district=district)
    for case_id in sorted(state["cases"]):
        case = state["cases"][case_id]
        if in_district(case, filters):
            for key in sorted(case["registrations"]):
                yield case["registrations"][key]


def registration_active(entry: Record, day: date) -> bool:
    """Entered on or before ``day``, still valid on it, and not ended by an expiry event."""
    if entry["registered_on"] is None or _day(entry["registered_on"]) > day:
        return False
    if entry["expired_on"] is not None and _day(entry["expired_on"]) <= day:
        return False
    return entry["valid_until"] is None or day <= _day(entry["valid_until"])
