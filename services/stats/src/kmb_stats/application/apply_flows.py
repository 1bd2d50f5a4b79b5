"""Handlers of catalogue and referral events."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from kmb_shared.contracts import (
    BindingOpinionIssued,
    CapacityChanged,
    IntegrationEvent,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralMade,
    ReferralOverdue,
    SolutionChanged,
    SolutionPublished,
    SolutionWithdrawn,
)
from kmb_shared.contracts.referrals import ReferralEvent

from ..domain.stamp import Handler, Record, Stamp, newer
from ..domain.state import State


def _solution(state: State, solution_id: UUID) -> Record:
    skeleton = {
        "info": {"v": None, "kind": None, "title": None, "provider": None},
        "status": {},
        "capacity": {},
    }
    solution: Record = state["solutions"].setdefault(str(solution_id), skeleton)
    return solution


def _solution_info(solution: Record, event: SolutionPublished | SolutionChanged, stamp: Stamp) -> None:
    if newer(solution["info"]["v"], stamp):
        solution["info"] = {
            "v": stamp.version,
            "kind": event.kind,
            "title": event.title,
            "provider": event.provider,
        }


def _record_capacity(solution: Record, event: SolutionPublished | CapacityChanged, stamp: Stamp) -> None:
    solution["capacity"][stamp.event_id] = {
        "at": stamp.at,
        "on": stamp.on,
        "kind": event.kind,
        "total": event.capacity_total,
        "free": event.capacity_free,
    }


def solution_published(state: State, event: SolutionPublished, stamp: Stamp) -> None:
    solution = _solution(state, event.solution_id)
    _solution_info(solution, event, stamp)
    solution["status"][stamp.event_id] = {"at": stamp.at, "on": stamp.on, "active": True}
    if event.capacity_total is not None:
        _record_capacity(solution, event, stamp)


def solution_changed(state: State, event: SolutionChanged, stamp: Stamp) -> None:
    _solution_info(_solution(state, event.solution_id), event, stamp)


def solution_withdrawn(state: State, event: SolutionWithdrawn, stamp: Stamp) -> None:
    solution = _solution(state, event.solution_id)
    solution["status"][stamp.event_id] = {"at": stamp.at, "on": stamp.on, "active": False}


def capacity_changed(state: State, event: CapacityChanged, stamp: Stamp) -> None:
    _record_capacity(_solution(state, event.solution_id), event, stamp)


REFERRAL_STEPS = ("made", "accepted", "declined", "completed", "cancelled", "overdue", "opinion")


def _referral(state: State, event: ReferralEvent, authoritative: bool = False) -> Record:
    skeleton: Record = {"case_id": str(event.case_id), "partner": None, "kind": None}
    skeleton.update(dict.fromkeys(REFERRAL_STEPS))
    referral: Record = state["referrals"].setdefault(str(event.referral_id), skeleton)
    # ReferralMade names partner and kind; the other events only fill them while it is missing.
    if authoritative or referral["partner"] is None:
        referral["partner"] = event.partner
    if authoritative or referral["kind"] is None:
        referral["kind"] = event.kind
    return referral


def _step(referral: Record, step: str, stamp: Stamp, keep: str = "earliest", **details: Any) -> None:
    """Record a step of the referral; a repeated step keeps its earliest (or latest) occurrence."""
    stored = referral[step]
    if stored is not None:
        replace = stamp.version < stored["v"] if keep == "earliest" else stamp.version > stored["v"]
        if not replace:
            return
    referral[step] = {"v": stamp.version, "at": stamp.at, "on": stamp.on, **details}


def referral_made(state: State, event: ReferralMade, stamp: Stamp) -> None:
    referral = _referral(state, event, authoritative=True)
    _step(referral, "made", stamp, due_on=event.due_on.isoformat() if event.due_on else None)


def referral_accepted(state: State, event: ReferralAccepted, stamp: Stamp) -> None:
    _step(_referral(state, event), "accepted", stamp)


def referral_declined(state: State, event: ReferralDeclined, stamp: Stamp) -> None:
    referral = _referral(state, event)
    _step(referral, "declined", stamp, reason=event.reason, after_acceptance=event.after_acceptance)


def referral_completed(state: State, event: ReferralCompleted, stamp: Stamp) -> None:
    _step(_referral(state, event), "completed", stamp, outcome=event.outcome)


def referral_cancelled(state: State, event: ReferralCancelled, stamp: Stamp) -> None:
    _step(_referral(state, event), "cancelled", stamp, reason=event.reason)


def referral_overdue(state: State, event: ReferralOverdue, stamp: Stamp) -> None:
    _step(_referral(state, event), "overdue", stamp, due_on=event.due_on.isoformat())


def binding_opinion_issued(state: State, event: BindingOpinionIssued, stamp: Stamp) -> None:
    _step(_referral(state, event), "opinion", stamp, keep="latest", positive=event.positive)


#: The handler of each catalogue and referral event.
HANDLERS: dict[type[IntegrationEvent], Handler] = {
    SolutionPublished: solution_published,
    SolutionChanged: solution_changed,
    SolutionWithdrawn: solution_withdrawn,
    CapacityChanged: capacity_changed,
    ReferralMade: referral_made,
    ReferralAccepted: referral_accepted,
    ReferralDeclined: referral_declined,
    ReferralCompleted: referral_completed,
    ReferralCancelled: referral_cancelled,
    ReferralOverdue: referral_overdue,
    BindingOpinionIssued: binding_opinion_issued,
}
