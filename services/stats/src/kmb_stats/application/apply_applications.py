"""Handlers of intake's application events (issue 12): each submission and each answer, by the
application's group and outcome, with the dates that give the time to a decision. Kept under
``state["applications"]`` (created on the first such event, so a projection without applications keeps
its digest)."""

from __future__ import annotations

from kmb_shared.contracts import ApplicationDecided, ApplicationSubmitted, IntegrationEvent

from ..domain.stamp import Handler, Record, Stamp
from ..domain.state import State


def _application(state: State, event: ApplicationSubmitted | ApplicationDecided) -> Record:
    skeleton: Record = {"case_id": str(event.case_id), "kind": event.kind, "group": event.group}
    skeleton.update(submissions={}, decisions={})
    application: Record = state.setdefault("applications", {}).setdefault(str(event.application_id), skeleton)
    return application


def application_submitted(state: State, event: ApplicationSubmitted, stamp: Stamp) -> None:
    _application(state, event)["submissions"][stamp.event_id] = {
        "at": stamp.at,
        "on": event.submitted_on.isoformat(),
        "channel": event.channel,
        "due": event.answer_due.isoformat() if event.answer_due else None,
    }


def application_decided(state: State, event: ApplicationDecided, stamp: Stamp) -> None:
    _application(state, event)["decisions"][stamp.event_id] = {
        "at": stamp.at,
        "on": event.decided_on.isoformat(),
        "outcome": event.outcome,
        "submitted_on": event.submitted_on.isoformat() if event.submitted_on else None,
    }


HANDLERS: dict[type[IntegrationEvent], Handler] = {
    ApplicationSubmitted: application_submitted,
    ApplicationDecided: application_decided,
}
