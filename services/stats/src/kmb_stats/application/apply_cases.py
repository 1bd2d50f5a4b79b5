"""Handlers of intake and assessment events (cases, households, contacts, the register)."""

from __future__ import annotations

from uuid import UUID

from kmb_shared.contracts import (
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ContactRecorded,
    HouseholdChanged,
    HouseholdSnapshot,
    IntegrationEvent,
    NeedAssessed,
    RegisteredInNeed,
    RegistrationExpired,
)

from ..domain.stamp import Handler, Record, Stamp, newer
from ..domain.state import State, new_case

CHILD_AGE_BANDS = frozenset({"0-5", "6-14", "15-17"})


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
    if stored is not None and not newer(stored["v"], stamp):
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
    if stored is not None and not newer(stored["v"], stamp):
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
    if not newer(entry["v"], stamp):
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


#: The handler of each intake and assessment event.
HANDLERS: dict[type[IntegrationEvent], Handler] = {
    CaseOpened: case_opened,
    HouseholdChanged: household_changed,
    CaseClosed: case_closed,
    CaseReopened: case_reopened,
    ContactRecorded: contact_recorded,
    NeedAssessed: need_assessed,
    RegisteredInNeed: registered_in_need,
    RegistrationExpired: registration_expired,
}
