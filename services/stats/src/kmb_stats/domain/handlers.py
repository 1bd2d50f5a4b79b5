"""How each event changes the projection state.

Every handler is an upsert: it creates the record it needs if an earlier event has not, and it
writes only the fields that its own event owns. Nothing is parked and nothing depends on the
order of arrival across topics; where one event replaces what another wrote, the one with the
greater ``[occurred_at, event_id]`` version wins, whatever order they came in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from kmb_shared.contracts import (
    BindingOpinionIssued,
    CapacityChanged,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ContactRecorded,
    HouseholdChanged,
    HouseholdSnapshot,
    IntegrationEvent,
    NeedAssessed,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralMade,
    ReferralOverdue,
    RegisteredInNeed,
    RegistrationExpired,
    SolutionChanged,
    SolutionPublished,
    SolutionWithdrawn,
)
from kmb_shared.contracts.referrals import ReferralEvent

from .state import State, new_case

CHILD_AGE_BANDS = frozenset({"0-5", "6-14", "15-17"})

Record = dict[str, Any]


@dataclass(frozen=True)
class Stamp:
    """When an event happened: UTC text, local date text, and the event id as tie-breaker."""

    event_id: str
    at: str
    on: str

    @property
    def version(self) -> list[str]:
        return [self.at, self.event_id]


def _newer(stored: list[str] | None, stamp: Stamp) -> bool:
    return stored is None or stamp.version > stored


def _case(state: State, case_id: UUID) -> Record:
    case: Record = state["cases"].setdefault(str(case_id), new_case())
    return case


def _record_household(intake: Record, snapshot: HouseholdSnapshot, stamp: Stamp) -> None:
    flags = set(snapshot.vulnerability_flags)
    for member in snapshot.members:
        flags.update(member.flags)
    intake["households"][stamp.event_id] = {
        "at": stamp.at,
        "on": stamp.on,
        "district": snapshot.district,
        "orp": snapshot.orp_code,
        "members": len(snapshot.members),
        "children": sum(1 for m in snapshot.members if m.age_band in CHILD_AGE_BANDS),
        "flags": sorted(flags),
    }


def _intake(state: State, event: CaseOpened | HouseholdChanged | CaseClosed | CaseReopened) -> Record:
    intake: Record = _case(state, event.case_id)["intake"]
    if intake["case_number"] is None:
        intake["case_number"] = event.case_number
    return intake


def _lifecycle(intake: Record, stamp: Stamp, kind: str, reason: str | None = None) -> None:
    intake["lifecycle"][stamp.event_id] = {"at": stamp.at, "on": stamp.on, "kind": kind, "reason": reason}


def case_opened(state: State, event: CaseOpened, stamp: Stamp) -> None:
    intake = _intake(state, event)
    _record_household(intake, event.household, stamp)
    _lifecycle(intake, stamp, "opened")


def household_changed(state: State, event: HouseholdChanged, stamp: Stamp) -> None:
    _record_household(_intake(state, event), event.household, stamp)


def case_closed(state: State, event: CaseClosed, stamp: Stamp) -> None:
    _lifecycle(_intake(state, event), stamp, "closed", event.reason)


def case_reopened(state: State, event: CaseReopened, stamp: Stamp) -> None:
    _lifecycle(_intake(state, event), stamp, "reopened")


def contact_recorded(state: State, event: ContactRecorded, stamp: Stamp) -> None:
    key = str(event.contact_id)
    stored = state["contacts"].get(key)
    if stored is not None and not _newer(stored["v"], stamp):
        return
    state["contacts"][key] = {
        "v": stamp.version,
        "on": event.contact_date.isoformat(),
        "channel": event.channel,
        "topics": list(event.topics),
        "case_id": str(event.case_id) if event.case_id else None,
        "anonymous": event.anonymous,
        "minutes": event.duration_minutes,
    }


def need_assessed(state: State, event: NeedAssessed, stamp: Stamp) -> None:
    assessments: Record = _case(state, event.case_id)["assessments"]
    key = str(event.assessment_id)
    stored = assessments.get(key)
    if stored is not None and not _newer(stored["v"], stamp):
        return
    assessments[key] = {
        "v": stamp.version,
        "on": event.assessed_on.isoformat(),
        "need_level": event.need_level,
        "ethos": event.ethos_category,
        "household_type": event.household_type,
        "size": event.household_size,
        "children": event.children,
        "district": event.district,
        "orp": event.orp_code,
        "flags": sorted(set(event.vulnerability_flags)),
    }


def _registration(state: State, case_id: UUID, assessment_id: UUID) -> Record:
    registrations: Record = _case(state, case_id)["registrations"]
    skeleton = {"v": None, "registered_on": None, "valid_until": None, "need_level": None, "ethos": None}
    entry: Record = registrations.setdefault(str(assessment_id), {**skeleton, "expired_on": None})
    return entry


def registered_in_need(state: State, event: RegisteredInNeed, stamp: Stamp) -> None:
    entry = _registration(state, event.case_id, event.assessment_id)
    if not _newer(entry["v"], stamp):
        return
    entry["v"] = stamp.version
    entry["registered_on"] = event.registered_on.isoformat()
    entry["valid_until"] = event.valid_until.isoformat()
    entry["need_level"] = event.need_level
    entry["ethos"] = event.ethos_category


def registration_expired(state: State, event: RegistrationExpired, stamp: Stamp) -> None:
    entry = _registration(state, event.case_id, event.assessment_id)
    expired_on = event.expired_on.isoformat()
    if entry["expired_on"] is None or expired_on < entry["expired_on"]:
        entry["expired_on"] = expired_on


def _solution(state: State, solution_id: UUID) -> Record:
    skeleton = {
        "info": {"v": None, "kind": None, "title": None, "provider": None},
        "status": {},
        "capacity": {},
    }
    solution: Record = state["solutions"].setdefault(str(solution_id), skeleton)
    return solution


def _solution_info(solution: Record, event: SolutionPublished | SolutionChanged, stamp: Stamp) -> None:
    if _newer(solution["info"]["v"], stamp):
        solution["info"] = {
            "v": stamp.version,
            "kind": event.kind,
            "title": event.title,
            "provider": event.provider,
        }


def solution_published(state: State, event: SolutionPublished, stamp: Stamp) -> None:
    solution = _solution(state, event.solution_id)
    _solution_info(solution, event, stamp)
    solution["status"][stamp.event_id] = {"at": stamp.at, "on": stamp.on, "active": True}
    if event.capacity_total is not None:
        solution["capacity"][stamp.event_id] = {
            "at": stamp.at,
            "on": stamp.on,
            "kind": event.kind,
            "total": event.capacity_total,
            "free": event.capacity_free,
        }


def solution_changed(state: State, event: SolutionChanged, stamp: Stamp) -> None:
    _solution_info(_solution(state, event.solution_id), event, stamp)


def solution_withdrawn(state: State, event: SolutionWithdrawn, stamp: Stamp) -> None:
    solution = _solution(state, event.solution_id)
    solution["status"][stamp.event_id] = {"at": stamp.at, "on": stamp.on, "active": False}


def capacity_changed(state: State, event: CapacityChanged, stamp: Stamp) -> None:
    solution = _solution(state, event.solution_id)
    solution["capacity"][stamp.event_id] = {
        "at": stamp.at,
        "on": stamp.on,
        "kind": event.kind,
        "total": event.capacity_total,
        "free": event.capacity_free,
    }


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


Handler = Callable[[State, Any, Stamp], None]

HANDLERS: dict[type[IntegrationEvent], Handler] = {
    CaseOpened: case_opened,
    HouseholdChanged: household_changed,
    CaseClosed: case_closed,
    CaseReopened: case_reopened,
    ContactRecorded: contact_recorded,
    NeedAssessed: need_assessed,
    RegisteredInNeed: registered_in_need,
    RegistrationExpired: registration_expired,
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
