"""The live projection against a real database: applied incrementally by ``seq``, and a row whose lower
``seq`` becomes visible late (another consumer's transaction committed after a later one) still counts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from kmb_shared.contracts import ContactRecorded
from kmb_shared.db import Database
from kmb_shared.messaging.cloudevents import EventMeta as Envelope
from kmb_stats.adapters.events import event_row
from kmb_stats.application.live import ProjectionCache
from kmb_stats.bootstrap import MIGRATIONS
from kmb_stats.domain import summary
from kmb_testkit.fixtures import migrated_database


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with migrated_database(database_url, MIGRATIONS) as database:
        yield database


async def _store_contact(db: Database, seq: int, n: int) -> None:
    """Contact number ``n`` on 2 March 2026, stored with the given sequence number."""
    contact = ContactRecorded(
        contact_id=UUID(int=n), channel="phone", contact_date=date(2026, 3, 2), topics=("debt",),
        duration_minutes=5, occurred_at=datetime(2026, 3, 2, 9, n, tzinfo=UTC),
    )  # fmt: skip
    envelope = Envelope(f"c-{n}", contact.event_type, "/kmb/intake", None, None, "kmb.intake.v1", 0, n)
    row = event_row(contact, envelope)
    row.seq = seq
    async with db.session() as session:
        session.add(row)
        await session.commit()


def _contacts(cache: ProjectionCache) -> int:
    return int(summary(cache.projection.state, date(2026, 3, 31))["contacts"] or 0)


async def test_rows_are_applied_once_and_a_late_lower_seq_is_picked_up(db: Database) -> None:
    now = [0.0]
    cache = ProjectionCache(gap_grace_s=60.0, clock=lambda: now[0])
    await _store_contact(db, seq=1, n=1)
    await _store_contact(db, seq=3, n=3)  # seq 2 is still in another transaction
    async with db.session() as session:
        await cache.current(session)
        assert (_contacts(cache), cache.last_seq) == (2, 3)  # contacts 1 and 3
        await cache.current(session)
        assert _contacts(cache) == 2  # asking again applies nothing twice
    await _store_contact(db, seq=2, n=2)
    now[0] = 30.0  # within the grace period
    async with db.session() as session:
        await cache.current(session)
    assert (_contacts(cache), cache.events) == (3, 3)


async def test_a_gap_is_no_longer_looked_for_after_the_grace_period(db: Database) -> None:
    now = [0.0]
    cache = ProjectionCache(gap_grace_s=60.0, clock=lambda: now[0])
    await _store_contact(db, seq=1, n=1)
    await _store_contact(db, seq=3, n=3)
    async with db.session() as session:
        await cache.current(session)
    now[0] = 61.0  # seq 2 was rolled back: after the grace period it is forgotten
    async with db.session() as session:
        await cache.current(session)
    await _store_contact(db, seq=2, n=2)
    async with db.session() as session:
        await cache.current(session)
    # a row this late is not applied by the live cache (a rebuild would count it)
    assert _contacts(cache) == 2
