"""Stats' use cases on fakes: a projection cache that holds the history, a fixed clock, a session that
only collects the statements it is given. No database, no broker."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from kmb_shared.contracts import Actor, ContactRecorded
from kmb_shared.messaging import BatchContext, HandlerContext
from kmb_shared.messaging.cloudevents import EventMeta as Envelope
from kmb_stats.application.consume import event_handlers, store
from kmb_stats.application.deps import StatsDeps
from kmb_stats.application.live import ProjectionCache
from kmb_stats.application.projection import Projection
from kmb_stats.application.reports import draft_report, period_problem
from kmb_stats.domain import Period

from .conftest import History


class FakeCache(ProjectionCache):
    """The live projection, already holding every event: catching up reads nothing."""

    def __init__(self, projection: Projection) -> None:
        super().__init__()
        self.projection = projection

    async def _catch_up(self, session: Any) -> None:
        return None


class CollectingSession:
    def __init__(self) -> None:
        self.executed: list[tuple[Any, Any]] = []

    async def connection(self) -> CollectingSession:
        return self

    async def execute(self, statement: Any, params: Any = None) -> None:
        self.executed.append((statement, params))


def _deps(history: History, today: date) -> StatsDeps:
    projection = Projection()
    for event, meta in history.by_time():
        projection.apply(event, meta)
    return StatsDeps(projections=FakeCache(projection), today=lambda: today)


async def test_a_draft_of_the_running_period_stops_today(history: History) -> None:
    deps = _deps(history, date(2026, 3, 31))
    quarter = Period.parse("2026-Q1")
    report, until = await draft_report(deps, None, quarter, None, suppress=False)  # type: ignore[arg-type]
    assert until == date(2026, 3, 31)
    assert report.period == quarter and not report.suppressed

    past, until = await draft_report(deps, None, Period.parse("2025"), "Praha 7", suppress=True)  # type: ignore[arg-type]
    assert until is None
    assert past.suppressed and past.district == "Praha 7"


def test_a_period_that_has_not_started_is_refused_in_czech_and_english() -> None:
    today = date(2026, 3, 31)
    assert period_problem("2026-Q1", today) is None
    assert period_problem("2026-04", today) == (
        "period_in_future",
        "Období ještě nezačalo.",
        "The period has not started yet.",
    )
    code, cs, en = period_problem("březen", today) or ("", "", "")
    assert code == "period_invalid" and "RRRR" in cs and "YYYY" in en


async def test_the_consumer_handler_stores_each_event_as_it_came() -> None:
    contact = ContactRecorded(
        contact_id="00000000-0000-0000-0000-000000000007", channel="phone", contact_date=date(2026, 3, 2),
        topics=("debt",), duration_minutes=5, actor=Actor(user_id="worker-9", organisation="kmb-praha7"),
    )  # fmt: skip
    envelope = Envelope("c-7", contact.event_type, "/kmb/intake", None, None, "kmb.intake.v1", 2, 41)
    session = CollectingSession()

    # live: one event in the session of its inbox row
    await store(contact, HandlerContext(session=session, meta=envelope, outbox=None))  # type: ignore[arg-type]
    # a replay: a batch in one statement
    other = Envelope("c-8", contact.event_type, "/kmb/intake", None, None, "kmb.intake.v1", 0, 3)
    await store.apply([(contact, envelope), (contact, other)], BatchContext(session=session, outbox=None))  # type: ignore[arg-type]

    (statement, (row,)), (same, rows) = session.executed
    assert statement.table.name == same.table.name == "stats_event"
    assert (row["event_id"], row["topic"], row["partition"], row["offset"]) == ("c-7", "kmb.intake.v1", 2, 41)
    assert (row["actor_user"], row["actor_org"], row["case_id"]) == ("worker-9", "kmb-praha7", None)
    assert json.loads(row["payload"])["channel"] == "phone"
    assert [r["event_id"] for r in rows] == ["c-7", "c-8"]
    assert event_handlers()[ContactRecorded] is store
