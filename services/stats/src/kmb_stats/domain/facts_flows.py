"""Dated facts about referrals and the catalogue of solutions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .facts import Filters, in_district
from .state import State, parse_utc

Record = dict[str, Any]

#: referral steps that are counted, in report order
COUNTED_STEPS = ("made", "accepted", "declined", "completed", "overdue")
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class ReferralStep:
    referral_id: str
    partner: str
    kind: str
    step: str  # made, accepted, declined, completed, cancelled, overdue
    on: date
    reason: str | None  # decline reason


def _referrals(state: State, filters: Filters) -> list[tuple[str, Record]]:
    found = []
    for key in sorted(state["referrals"]):
        referral = state["referrals"][key]
        if in_district(state["cases"].get(referral["case_id"]), filters):
            found.append((key, referral))
    return found


def referral_steps(state: State, filters: Filters) -> list[ReferralStep]:
    """Each step of each referral whose date lies in the range."""
    found = []
    for key, referral in _referrals(state, filters):
        for step in ("made", "accepted", "declined", "completed", "cancelled", "overdue"):
            record = referral[step]
            if record is not None and filters.contains(record["on"]):
                reason = record.get("reason") if step == "declined" else None
                found.append(
                    ReferralStep(
                        key,
                        referral["partner"],
                        referral["kind"],
                        step,
                        date.fromisoformat(record["on"]),
                        reason,
                    )
                )
    return found


@dataclass(frozen=True)
class Response:
    partner: str
    kind: str
    on: date
    days: float


def first_response(referral: Record) -> Record | None:
    """The partner's first answer: acceptance, or a decline that did not follow an acceptance."""
    answers = [referral["accepted"]] if referral["accepted"] else []
    declined = referral["declined"]
    if declined is not None and not declined["after_acceptance"]:
        answers.append(declined)
    return min(answers, key=lambda r: r["v"]) if answers else None


def responses(state: State, filters: Filters) -> list[Response]:
    """Response times (made → first answer, in days) of answers dated in the range."""
    found = []
    for _key, referral in _referrals(state, filters):
        answer = first_response(referral)
        if answer is None or referral["made"] is None or not filters.contains(answer["on"]):
            continue
        seconds = (parse_utc(answer["at"]) - parse_utc(referral["made"]["at"])).total_seconds()
        on = date.fromisoformat(answer["on"])
        found.append(Response(referral["partner"], referral["kind"], on, max(seconds, 0) / SECONDS_PER_DAY))
    return found


@dataclass(frozen=True)
class SolutionCapacity:
    solution_id: str
    kind: str
    provider: str | None
    total: int | None
    free: int | None

    @property
    def known(self) -> bool:
        return self.total is not None and self.free is not None


def _latest_until(entries: dict[str, Record], day: date) -> Record | None:
    keys = [k for k in entries if date.fromisoformat(entries[k]["on"]) <= day]
    if not keys:
        return None
    return entries[max(keys, key=lambda k: (entries[k]["at"], k))]


def catalogue(state: State, day: date) -> list[SolutionCapacity]:
    """Solutions on offer on ``day`` (published and not withdrawn) with their latest capacity.

    A solution seen only through capacity changes counts as on offer from the first change.
    """
    found = []
    for key in sorted(state["solutions"]):
        solution = state["solutions"][key]
        status = _latest_until(solution["status"], day)
        capacity = _latest_until(solution["capacity"], day)
        active = status["active"] if status is not None else capacity is not None
        if not active:
            continue
        info = solution["info"]
        kind = info["kind"] or (capacity["kind"] if capacity else None) or "unknown"
        total = capacity["total"] if capacity else None
        free = capacity["free"] if capacity else None
        found.append(SolutionCapacity(key, kind, info["provider"], total, free))
    return found
