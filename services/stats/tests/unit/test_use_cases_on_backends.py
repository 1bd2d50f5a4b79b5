"""Stats' projection as one behavioural suite on three backends: the in-memory projection fed each event
at once (fast tier, ``fakes.FakeStats``), and stats as it runs on SQLite and on PostgreSQL (broker
tier): the events are published through an outbox to the real Kafka broker, read back and handled by
the service's consumer (its inbox, its handler storing each event in ``stats_event``), and the figures
come from the live projection cache over the stored rows. The broker is read topic by topic, so there
every assessment arrives before the opening of its case: the figures must not depend on the order.

Expected values by hand, from stats' rules: flows count what is dated within the range, stocks what
holds on its last day; a household is in need on a day while its case is open and its latest
assessment is not ``not_in_need``; a register entry is active from its day to its validity's end
unless an expiry was told; a closure's days count from the case's first opening (2 to 20 March: 18);
an event belongs to its day in Prague (31 March 2026 22:30 UTC is 1 April, 00:30 summer time); an
event delivered again (same id) changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import UUID, uuid4

import pytest

from kmb_shared.contracts import (
    CaseClosed,
    CaseOpened,
    ContactRecorded,
    HouseholdSnapshot,
    IntegrationEvent,
    MemberSnapshot,
    NeedAssessed,
    RegisteredInNeed,
)
from kmb_shared.messaging import EventConsumer
from kmb_stats.application.consume import event_handlers
from kmb_stats.application.live import ProjectionCache
from kmb_stats.application.projection import Projection
from kmb_stats.bootstrap import MIGRATIONS
from kmb_stats.domain.queries import breakdown, summary
from kmb_testkit.backends import RelayedOutbox, relayed_outbox

from .fakes import FakeStats


class Stats(Protocol):
    async def tell(self, events: Sequence[IntegrationEvent]) -> None: ...

    async def redeliver(self) -> None: ...

    async def current(self) -> Projection: ...


async def _refuse(record: Any, exc: BaseException, stage: str, attempts: int) -> None:
    raise AssertionError(f"{record.topic}@{record.offset} would be dead-lettered ({stage}): {exc!r}")


class ConsumedStats:
    """Stats on its database: events told are published to the broker and consumed from it."""

    def __init__(self, relayed: RelayedOutbox) -> None:
        self.relayed = relayed
        self.consumer = EventConsumer(
            name="stats", db=relayed.db, outbox=relayed.outbox, handlers=event_handlers(), dead_letter=_refuse
        )
        self.cache = ProjectionCache()
        self.handled: set[tuple[str, int, int]] = set()

    async def tell(self, events: Sequence[IntegrationEvent]) -> None:
        async with self.relayed.db.session() as session:
            for event in events:
                self.relayed.outbox.stage(session, event)
            await session.commit()
        for record in await self.relayed.records():
            if (place := (record.topic, record.partition, record.offset)) not in self.handled:
                self.handled.add(place)
                await self.consumer.handle(record)

    async def redeliver(self) -> None:
        for record in await self.relayed.records():
            await self.consumer.handle(record)

    async def current(self) -> Projection:
        async with self.relayed.db.session() as session:
            return await self.cache.current(session)


@pytest.fixture
async def stats(backend_parts: tuple[str, str, str] | None) -> AsyncIterator[Stats]:
    if backend_parts is None:
        yield FakeStats()
        return
    async with relayed_outbox("stats", backend_parts, MIGRATIONS) as relayed:
        yield ConsumedStats(relayed)


def at(day: str, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


PARENT_AND_CHILD = HouseholdSnapshot(
    members=(
        MemberSnapshot(age_band="26-64", relationship="applicant"),
        MemberSnapshot(age_band="6-14", relationship="child", dependent=True),
    ),
    district="Praha 7",
    orp_code="1000",
)


def a_case_housed_in_march(case_id: UUID) -> list[IntegrationEvent]:
    """Opened 2 March with a contact that day, assessed roofless 4 March, registered 5 March (valid a
    year), an anonymous phone call 10 March, closed as adequately housed 20 March."""
    assessment_id, number = uuid4(), "KMB-2026-00001"
    # fmt: off
    return [
        CaseOpened(case_id=case_id, case_number=number, household=PARENT_AND_CHILD, occurred_at=at("2026-03-02")),
        contact(date(2026, 3, 2), "in_person", case_id),
        NeedAssessed(
            case_id=case_id, assessment_id=assessment_id, assessed_on=date(2026, 3, 4), rule_set_version="2026.1",
            ethos_category=1, need_level="roofless", household_type="single_parent", household_size=2,
            children=1, district="Praha 7", orp_code="1000", occurred_at=at("2026-03-04", 10),
        ),
        RegisteredInNeed(
            case_id=case_id, assessment_id=assessment_id, registered_on=date(2026, 3, 5),
            valid_until=date(2027, 3, 4), need_level="roofless", occurred_at=at("2026-03-05", 11),
        ),
        contact(date(2026, 3, 10), "phone", None),
        CaseClosed(case_id=case_id, case_number=number, reason="housed_adequately", occurred_at=at("2026-03-20")),
    ]
    # fmt: on


def contact(on: date, channel: str, case_id: UUID | None) -> ContactRecorded:
    return ContactRecorded(
        contact_id=uuid4(), case_id=case_id, channel=channel, contact_date=on, topics=("loss_of_housing",),
        duration_minutes=20, anonymous=case_id is None, occurred_at=at(on.isoformat(), 8),
    )  # fmt: skip


async def test_a_case_is_counted_in_need_while_open_and_as_housed_once_closed(stats: Stats) -> None:
    await stats.tell(a_case_housed_in_march(uuid4()))

    state = (await stats.current()).state
    on_10_march = summary(state, date(2026, 3, 10))
    assert {
        name: on_10_march[name] for name in ("contacts", "cases_opened", "cases_closed", "register_entered")
    } == {
        "contacts": 2,
        "cases_opened": 1,
        "cases_closed": 0,
        "register_entered": 1,
    }
    assert [on_10_march[name] for name in ("cases_open", "households_in_need", "people_in_need")] == [1, 1, 2]
    assert (on_10_march["children_in_need"], on_10_march["register_active"]) == (1, 1)
    assert breakdown(state, "contact_channel") == {"in_person": 1, "phone": 1}
    in_march = summary(state, date(2026, 3, 31))
    assert [in_march[name] for name in ("cases_closed", "housed_adequately", "cases_open")] == [1, 1, 0]
    assert (in_march["households_in_need"], in_march["median_days_to_adequate_housing"]) == (0, 18)


async def test_events_delivered_again_change_no_figure(stats: Stats) -> None:
    await stats.tell(a_case_housed_in_march(uuid4()))
    told = (await stats.current()).digest()

    await stats.redeliver()  # as after a consumer's restart before its offsets were committed

    assert (await stats.current()).digest() == told
    await stats.tell([contact(date(2026, 3, 12), "email", None)])
    await stats.redeliver()
    state = (await stats.current()).state
    assert summary(state, date(2026, 3, 31))["contacts"] == 3
    assert breakdown(state, "contact_channel") == {"email": 1, "in_person": 1, "phone": 1}


async def test_an_event_counts_on_its_day_in_prague(stats: Stats) -> None:
    late = at("2026-03-31", 22, 30)  # 1 April 2026, 00:30 in Prague (summer time, UTC+2)
    await stats.tell(
        [
            CaseOpened(
                case_id=uuid4(), case_number="KMB-2026-00002", household=PARENT_AND_CHILD, occurred_at=late
            )
        ]
    )

    state = (await stats.current()).state
    march = summary(state, date(2026, 3, 31))
    assert (march["cases_opened"], march["cases_open"]) == (0, 0)
    april = summary(state, date(2026, 4, 1), date_from=date(2026, 4, 1))
    assert (april["cases_opened"], april["cases_open"]) == (1, 1)
