"""A consumer whose database is away waits for it instead of dead-lettering good events (issue 16: a
20 s PostgreSQL outage sent 25 events of stats to the DLQ); a handler that is wrong still goes to the
DLQ after its retries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg.exceptions as pg
import pytest
from aiokafka.structs import ConsumerRecord
from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError
from sqlmodel import select

from kmb_shared.contracts import CaseOpened
from kmb_shared.db import Database
from kmb_shared.messaging import HandlerContext, Outbox, Topics
from kmb_shared.messaging import consumer as consumer_module
from kmb_shared.messaging.consumer import EventConsumer, database_unavailable
from kmb_shared.messaging.tables import InboxMessage
from kmb_testkit.probe import MIGRATIONS, case_opened, ce_headers, record_effect


def test_what_counts_as_the_database_being_away() -> None:
    refused = ConnectionRefusedError(111, "Connect call failed")
    assert database_unavailable(refused)
    assert database_unavailable(InterfaceError("SELECT 1", {}, refused))  # as SQLAlchemy wraps it
    assert database_unavailable(pg.CannotConnectNowError("the database system is shutting down"))
    assert database_unavailable(pg.ConnectionDoesNotExistError("connection was closed in the middle"))
    assert database_unavailable(OperationalError("INSERT", {}, Exception("database is locked")))
    wrapped = RuntimeError("handler failed")
    wrapped.__cause__ = pg.AdminShutdownError("terminating connection due to administrator command")
    assert database_unavailable(wrapped)
    # the event's or the code's fault: not the database being away
    assert not database_unavailable(ValueError("bad data"))
    assert not database_unavailable(OperationalError("SELECT", {}, Exception("no such table: x")))
    assert not database_unavailable(ProgrammingError("SELECT", {}, Exception("syntax error")))


def _record(event: CaseOpened) -> ConsumerRecord[Any, Any]:
    value = event.model_dump_json().encode()
    return ConsumerRecord("kmb.intake.v1", 0, 7, 0, 0, b"k", value, None, 1, len(value), ce_headers(event))


def _consumer(
    db: Database, handler: Callable[[CaseOpened, HandlerContext], Awaitable[None]], *, retries: int
) -> tuple[EventConsumer, list[Any]]:
    """A consumer of CaseOpened with ``handler`` and the list its dead letters go to."""
    dead: list[Any] = []

    async def dead_letter(*args: Any) -> None:
        dead.append(args)

    consumer = EventConsumer(
        name="probe", db=db, outbox=Outbox("probe", Topics("")), handlers={CaseOpened: handler},
        dead_letter=dead_letter, retries=retries, backoff=0.001,
    )  # fmt: skip
    return consumer, dead


@pytest.fixture
async def db(tmp_path: Path) -> Any:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    await database.migrate(MIGRATIONS)
    yield database
    await database.dispose()


async def test_an_outage_longer_than_the_retries_is_waited_out_and_the_event_applied_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consumer_module, "OUTAGE_WAIT_S", 0.001)
    failures = {"left": 8}  # more than retries + 1

    async def database_away_then_back(event: CaseOpened, ctx: HandlerContext) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise InterfaceError("INSERT", {}, ConnectionRefusedError(111, "Connect call failed"))
        await record_effect(event, ctx)

    consumer, dead = _consumer(db, database_away_then_back, retries=3)
    await consumer.handle(_record(case_opened()))
    assert (consumer.applied, consumer.dead_lettered, consumer.outages, dead) == (1, 0, 8, [])


async def test_a_wrong_handler_still_goes_to_the_dead_letter_topic_after_its_retries(db: Database) -> None:
    async def wrong(event: CaseOpened, ctx: HandlerContext) -> None:
        raise ValueError("a bug")

    consumer, dead = _consumer(db, wrong, retries=2)
    await consumer.handle(_record(case_opened()))
    assert (consumer.applied, consumer.outages) == (0, 0) and len(dead) == 1


async def test_a_batch_is_applied_in_one_transaction_with_its_inbox_rows(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """The inbox rows of a batch are inserted with the time they were processed (the column is NOT
    NULL): without it every batch failed and was applied again event by event, one transaction each."""
    consumer, dead = _consumer(db, record_effect, retries=0)
    events = [case_opened(number=n) for n in (1, 2, 3)]
    with caplog.at_level("WARNING", logger=consumer_module.log.name):
        await consumer.handle_batch([_record(event) for event in events])
    assert not [r for r in caplog.records if "one by one" in r.getMessage()], caplog.text
    assert dead == [] and consumer.applied == 3
    async with db.session() as session:
        rows = (await session.exec(select(InboxMessage).where(InboxMessage.consumer == "probe"))).all()
    assert len({row.event_id for row in rows}) == 3
    assert all(row.processed_at is not None for row in rows)
