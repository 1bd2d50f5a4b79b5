"""Organisation scoping of case timelines, on SQLite and PostgreSQL (the lookup by number reads the
stored JSON): a case is its CaseOpened's actor organisation's; before that event is stored, its first
intake event's; with no intake event, nobody's. Another organisation's case is not found, by id or by
number, and a number two organisations both use finds each its own case."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from itertools import count
from uuid import UUID, uuid4

import pytest

from kmb_shared.contracts import Actor, CaseEvent, HouseholdChanged, NeedAssessed
from kmb_shared.db import Database
from kmb_shared.messaging.cloudevents import EventMeta as Envelope
from kmb_stats.adapters.events import event_row
from kmb_stats.application.audit import find_case, load_timeline
from kmb_stats.bootstrap import MIGRATIONS
from kmb_testkit.fixtures import migrated_database
from kmb_testkit.probe import case_opened

LIPOVEC, BREZANY = "kmb-lipovec", "kmb-brezany"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_offsets = count()


def by(organisation: str, event: CaseEvent, hours: int = 0) -> CaseEvent:
    """``event`` made by a worker of ``organisation``, ``hours`` after the start."""
    actor = Actor(user_id=f"worker-{organisation}", organisation=organisation)
    return event.model_copy(update={"actor": actor, "occurred_at": START + timedelta(hours=hours)})


async def store(db: Database, *events: CaseEvent) -> None:
    """Store the events as the consumer does (one row each, on their context's topic)."""
    async with db.session() as session:
        for event in events:
            topic = f"kmb.{event.context()}.v1"
            envelope = Envelope(
                str(uuid4()),
                event.event_type,
                f"/kmb/{event.context()}",
                None,
                None,
                topic,
                0,
                next(_offsets),
            )
            session.add(event_row(event, envelope))
        await session.commit()


def assessed(case_id: UUID) -> NeedAssessed:
    return NeedAssessed(
        case_id=case_id,
        assessment_id=uuid4(),
        assessed_on=START.date(),
        rule_set_version="t",
        need_level="at_risk",
    )


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with migrated_database(database_url, MIGRATIONS) as database:
        yield database


async def test_each_organisation_reads_only_its_own_cases_timelines(db: Database) -> None:
    lipovec, brezany = uuid4(), uuid4()
    opened = case_opened(lipovec, number=3)
    await store(
        db, by(LIPOVEC, opened), by(LIPOVEC, assessed(lipovec), 1), by(BREZANY, case_opened(brezany, 3), 2)
    )
    async with db.session() as session:
        own = await load_timeline(session, str(lipovec), LIPOVEC)
        assert own is not None and [e["organisation"] for e in own.entries] == [LIPOVEC, LIPOVEC]
        assert await load_timeline(session, str(lipovec), BREZANY) is None
        assert await find_case(session, str(lipovec), BREZANY) is None
        # the same number in two organisations: each finds its own case
        assert await find_case(session, "KMB-2026-00003", LIPOVEC) == str(lipovec)
        assert await find_case(session, "kmb-2026-00003", BREZANY) == str(brezany)
        assert await find_case(session, "KMB-2026-00003", "kmb-jinde") is None
        theirs = await load_timeline(session, "KMB-2026-00003", BREZANY)
        assert theirs is not None and theirs.case_id == str(brezany) and len(theirs.entries) == 1


async def test_before_case_opened_the_first_intake_event_says_whose_case_it_is(db: Database) -> None:
    case, unheard = uuid4(), uuid4()
    household = case_opened(case, number=9).household
    changed = HouseholdChanged(case_id=case, case_number="KMB-2026-00009", household=household)
    # an assessment by another organisation comes first; intake's first event is Lipovec's
    await store(db, by(BREZANY, assessed(case)), by(LIPOVEC, changed, 1), by(BREZANY, assessed(unheard), 2))
    async with db.session() as session:
        assert await find_case(session, str(case), LIPOVEC) == str(case)
        assert await find_case(session, str(case), BREZANY) is None
        # stats has heard nothing from intake of this case: nobody reads it yet
        assert await load_timeline(session, str(unheard), BREZANY) is None
    await store(db, by(LIPOVEC, case_opened(case, 9), 3))
    async with db.session() as session:
        timeline = await load_timeline(session, "KMB-2026-00009", LIPOVEC)
        assert timeline is not None and len(timeline.entries) == 3
