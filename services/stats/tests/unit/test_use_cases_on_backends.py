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
event delivered again (same id) changes nothing. A series lists every ISO week or month of its range
(zeros included): flows counted within each, stocks on its last day (2 March 2026 is the Monday of
week 10). A replay from the start (``kmb replay stats`` from offset 0 on the broker backends, another
order of the same events on the fake) gives the live projection's digest."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime
from typing import Protocol
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
from kmb_shared.replay import read_model_digest, rebuild
from kmb_stats.application.consume import event_handlers
from kmb_stats.application.live import ProjectionCache, projection_before
from kmb_stats.application.projection import Projection
from kmb_stats.bootstrap import MIGRATIONS, build_spec
from kmb_stats.config import StatsSettings
from kmb_stats.domain import Filters
from kmb_stats.domain.queries import breakdown, summary, time_series
from kmb_testkit.backends import Consumed, RelayedOutbox, relayed_outbox
from kmb_testkit.fixtures import quick_settings

from .fakes import FakeStats


class Stats(Protocol):
    async def tell(self, events: Sequence[IntegrationEvent]) -> None: ...

    async def redeliver(self) -> None: ...

    async def current(self) -> Projection: ...

    async def replayed(self) -> Projection: ...


class ConsumedStats(Consumed):
    """Stats on its database: events told are published to the broker and consumed from it."""

    def __init__(self, relayed: RelayedOutbox, parts: tuple[str, str, str]) -> None:
        super().__init__(relayed, event_handlers())
        self.cache = ProjectionCache()
        self.settings = quick_settings(StatsSettings, parts[1], parts[2], parts[0])

    async def current(self) -> Projection:
        async with self.relayed.db.session() as session:
            return await self.cache.current(session)

    async def replayed(self) -> Projection:
        """``kmb replay stats``: the topics read from offset 0 into a fresh store, whose events must be
        the live store's (same digest); the projection a fresh start over the stored events builds."""
        spec = build_spec()
        rebuilt = await rebuild(spec, self.settings)
        assert rebuilt.digest == (await read_model_digest(self.relayed.db, spec.read_models))[0]
        async with self.relayed.db.session() as session:
            return await projection_before(session, datetime(2100, 1, 1, tzinfo=UTC))


@pytest.fixture
async def stats(backend_parts: tuple[str, str, str] | None) -> AsyncIterator[Stats]:
    if backend_parts is None:
        yield FakeStats()
        return
    async with relayed_outbox("stats", backend_parts, MIGRATIONS) as relayed:
        yield ConsumedStats(relayed, backend_parts)


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


async def test_series_count_each_week_and_month_as_the_events_imply(stats: Stats) -> None:
    await stats.tell(a_case_housed_in_march(uuid4()))

    state = (await stats.current()).state
    weeks = Filters(date(2026, 3, 2), date(2026, 3, 22))  # weeks 10 to 12: the case's whole story

    def weekly(metric: str) -> list[int]:
        series = time_series(state, metric, "week", weeks)
        assert [label for label, _ in series] == ["2026-W10", "2026-W11", "2026-W12"]
        return [count for _, count in series]

    assert weekly("contacts") == [1, 1, 0]  # 2 March in person, 10 March by phone
    assert (weekly("cases_opened"), weekly("cases_closed"), weekly("register_entered")) == (
        [1, 0, 0],
        [0, 0, 1],
        [1, 0, 0],
    )
    # on 8, 15 and 22 March: open and in need until the closing on 20 March; the entry stays valid
    assert (weekly("cases_open"), weekly("households_in_need"), weekly("people_in_need")) == (
        [1, 1, 0],
        [1, 1, 0],
        [2, 2, 0],
    )
    assert (weekly("children_in_need"), weekly("register_active")) == ([1, 1, 0], [1, 1, 1])
    quarter = Filters(date(2026, 2, 1), date(2026, 4, 30))
    assert time_series(state, "housed_adequately", "month", quarter) == [
        ("2026-02", 0),
        ("2026-03", 1),
        ("2026-04", 0),
    ]
    assert time_series(state, "register_active", "month", quarter) == [
        ("2026-02", 0),
        ("2026-03", 1),
        ("2026-04", 1),
    ]


async def test_a_replay_from_the_start_gives_the_live_digest(stats: Stats) -> None:
    await stats.tell(a_case_housed_in_march(uuid4()))
    await stats.tell([contact(date(2026, 3, 12), "email", None)])
    live = await stats.current()

    replayed = await stats.replayed()

    assert replayed.digest() == live.digest()
    assert summary(replayed.state, date(2026, 3, 31))["contacts"] == 3
