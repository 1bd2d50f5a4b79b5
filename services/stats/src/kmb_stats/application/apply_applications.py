"""Handlers of intake's application events (issue 12): each submission and each answer, by the
application's group and outcome, with the dates that give the time to a decision. Kept under
``state["applications"]`` (created on the first such event, so a projection without applications keeps
its digest)."""

from __future__ import annotations

from datetime import date

from kmb_shared.contracts import ApplicationDecided, ApplicationSubmitted, IntegrationEvent

from ..domain.stamp import Handler, Record, Stamp
from ..domain.state import State


def _application(state: State, event: ApplicationSubmitted | ApplicationDecided) -> Record:
    skeleton: Record = {"case_id": str(event.case_id), "kind": event.kind, "group": event.group}
    skeleton.update(submissions={}, decisions={})
    application: Record = state.setdefault("applications", {}).setdefault(str(event.application_id), skeleton)
    return application


def _record(
    state: State, event: ApplicationSubmitted | ApplicationDecided, stamp: Stamp, part: str, **facts: object
) -> None:
    _application(state, event)[part][stamp.event_id] = {"at": stamp.at, **facts}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def application_submitted(state: State, event: ApplicationSubmitted, stamp: Stamp) -> None:
    due = _day(event.answer_due)
    _record(state, event, stamp, "submissions", on=_day(event.submitted_on), channel=event.channel, due=due)


def application_decided(state: State, event: ApplicationDecided, stamp: Stamp) -> None:
    since = _day(event.submitted_on)
    _record(
        state, event, stamp, "decisions", on=_day(event.decided_on), outcome=event.outcome, submitted_on=since
    )


HANDLERS: dict[type[IntegrationEvent], Handler] = {
    ApplicationSubmitted: application_submitted,
    ApplicationDecided: application_decided,
}
