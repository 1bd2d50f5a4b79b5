"""Pruning: only sent outbox rows and inbox rows older than the configured age go; unsent rows stay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from kmb_shared.db import Database
from kmb_shared.messaging import InboxMessage, OutboxMessage, Topics, prune_messaging
from kmb_shared.messaging.retention import cutoff
from kmb_shared.service import build_service_app
from kmb_testkit.fixtures import migrated_database
from kmb_testkit.probe import MIGRATIONS, probe_settings, probe_spec, wait_until

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def outbox_row(name: str, *, created: datetime, sent: datetime | None, topic: str) -> OutboxMessage:
    return OutboxMessage(
        event_id=name,
        event_type="kmb.intake.case_opened.v1",
        topic=topic,
        key="case",
        source="/kmb/probe",
        payload="{}",
        occurred_at=created,
        created_at=created,
        sent_at=sent,
    )


def inbox_row(name: str, processed: datetime) -> InboxMessage:
    return InboxMessage(
        consumer="probe",
        event_id=name,
        event_type="kmb.intake.case_opened.v1",
        topic="kmb.intake.v1",
        partition=0,
        offset=1,
        processed_at=processed,
    )


async def seed(db: Database, now: datetime, topic: str = "kmb.intake.v1") -> None:
    days = timedelta(days=1)
    async with db.session() as session:
        session.add(
            outbox_row("sent-10-days-ago", created=now - 10 * days, sent=now - 10 * days, topic=topic)
        )
        session.add(outbox_row("sent-8-days-ago", created=now - 9 * days, sent=now - 8 * days, topic=topic))
        # created long ago but sent only 6 days ago: the age counts from sending
        session.add(outbox_row("sent-6-days-ago", created=now - 20 * days, sent=now - 6 * days, topic=topic))
        session.add(outbox_row("unsent-30-days-old", created=now - 30 * days, sent=None, topic=topic))
        session.add(inbox_row("processed-40-days-ago", now - 40 * days))
        session.add(inbox_row("processed-20-days-ago", now - 20 * days))
        await session.commit()


async def remaining(db: Database) -> tuple[list[str], list[str]]:
    async with db.session() as session:
        outbox = (await session.exec(select(OutboxMessage.event_id).order_by(col(OutboxMessage.id)))).all()
        inbox = (await session.exec(select(InboxMessage.event_id).order_by(col(InboxMessage.event_id)))).all()
    return list(outbox), list(inbox)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with migrated_database(database_url, MIGRATIONS) as database:
        yield database


async def test_pruning_removes_only_old_sent_outbox_rows_and_old_inbox_rows(db: Database) -> None:
    await seed(db, NOW)
    pruned = await prune_messaging(db, outbox_before=cutoff(7, NOW), inbox_before=cutoff(30, NOW))
    assert (pruned.outbox, pruned.inbox) == (2, 1)
    assert await remaining(db) == (
        ["sent-6-days-ago", "unsent-30-days-old"],
        ["processed-20-days-ago"],
    )


async def test_a_retention_of_zero_days_keeps_everything(db: Database) -> None:
    await seed(db, NOW)
    assert cutoff(0, NOW) is None
    pruned = await prune_messaging(db, outbox_before=cutoff(0, NOW), inbox_before=cutoff(0, NOW))
    assert (pruned.outbox, pruned.inbox) == (0, 0)
    outbox, inbox = await remaining(db)
    assert len(outbox) == 4 and len(inbox) == 2


def test_by_default_sent_outbox_rows_are_kept_a_week_and_inbox_rows_for_ever() -> None:
    settings = probe_settings(bootstrap="127.0.0.1:9092", prefix="", database_url="sqlite+aiosqlite:///x.db")
    assert settings.outbox_retention_days == 7
    assert settings.inbox_retention_days == 0  # topics keep events for ever (retention.ms=-1)


@pytest.mark.kafka
async def test_every_service_runs_the_pruning_job_in_its_lifespan(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'probe.db'}"
    settings = probe_settings(bootstrap=kafka_bootstrap, prefix=topic_prefix, database_url=url).model_copy(
        update={"outbox_retention_days": 7, "inbox_retention_days": 30}
    )
    app = build_service_app(probe_spec(), settings)
    db: Database = app.state.runtime.db
    await db.migrate(MIGRATIONS)
    now = datetime.now(UTC)
    # the unsent row goes out through the relay meanwhile (sent now: too young to prune)
    await seed(db, now, topic=Topics(topic_prefix).context("intake"))

    async def pruned() -> bool:
        return await remaining(db) == (["sent-6-days-ago", "unsent-30-days-old"], ["processed-20-days-ago"])

    async with app.router.lifespan_context(app):
        await wait_until(pruned)
