"""Reading and writing ``stats_event``: the stored events and what can be asked of them directly."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.clock import as_utc
from kmb_shared.contracts import CaseOpened, ContactRecorded, IntegrationEvent
from kmb_shared.contracts import registry as contracts
from kmb_shared.messaging.cloudevents import EventMeta as Envelope

from ..domain import EventMeta
from .tables import StatsEvent

BATCH = 2000


def _columns(event: IntegrationEvent, meta: Envelope) -> dict[str, Any]:
    case_id = getattr(event, "case_id", None)
    return {
        "event_id": meta.id,
        "event_type": event.event_type,
        "source": meta.source[:200],
        "topic": meta.topic,
        "partition": meta.partition,
        "offset": meta.offset,
        "occurred_at": as_utc(event.occurred_at),
        "case_id": str(case_id) if case_id is not None else None,
        "traceparent": meta.traceparent[:100] if meta.traceparent else None,
        "actor_user": event.actor.user_id[:100],
        "actor_org": event.actor.organisation[:100],
    }


def event_row(event: IntegrationEvent, meta: Envelope) -> StatsEvent:
    """The row that stores one consumed event (its contract data after any upcasting)."""
    return StatsEvent(**_columns(event, meta), payload=event.model_dump(mode="json"))


class _JsonText(sa.types.TypeDecorator[str]):
    """A JSON column written from JSON text the contract serialised itself (pydantic's serialiser, not
    ``json.dumps`` of a dict of it); read back as the JSON column it is."""

    impl = sa.JSON
    cache_ok = True

    def bind_processor(self, dialect: sa.Dialect) -> None:
        return None


#: ``stats_event`` as the bulk insert writes it
_EVENT_TABLE = sa.table(
    "stats_event",
    *(sa.column(name) for name in ("event_id", "event_type", "source", "topic", "partition", "case_id")),
    *(sa.column(name) for name in ("traceparent", "actor_user", "actor_org")),
    sa.column("offset", sa.BigInteger),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("payload", _JsonText()),
)


async def store_events(
    session: AsyncSession, deliveries: Sequence[tuple[IntegrationEvent, Envelope]]
) -> None:
    """Store consumed events (their contract data after any upcasting), one row each, in one statement."""
    rows = [{**_columns(event, meta), "payload": event.model_dump_json()} for event, meta in deliveries]
    if rows:  # on the session's connection: the same transaction, as a plain executemany
        await (await session.connection()).execute(sa.insert(_EVENT_TABLE), rows)


def delivery(row: StatsEvent) -> tuple[IntegrationEvent, EventMeta]:
    """The stored row as the projection takes it: the contract and its delivery metadata."""
    event = contracts.load(row.event_type, dict(row.payload))
    meta = EventMeta(
        row.event_id, row.event_type, as_utc(row.occurred_at), row.topic, row.partition, row.offset
    )
    return event, meta


async def rows_after(
    session: AsyncSession, after_seq: int, *, before: datetime | None = None
) -> AsyncIterator[StatsEvent]:
    """Stored rows with ``seq`` greater than ``after_seq`` (and events before ``before``), in seq order."""
    cursor = after_seq
    while True:
        query = select(StatsEvent).where(col(StatsEvent.seq) > cursor)
        if before is not None:
            query = query.where(col(StatsEvent.occurred_at) < before)
        batch = (await session.exec(query.order_by(col(StatsEvent.seq)).limit(BATCH))).all()
        for row in batch:
            yield row
        if len(batch) < BATCH:
            return
        cursor = batch[-1].seq or cursor


async def rows_with_seq(session: AsyncSession, seqs: Sequence[int]) -> list[StatsEvent]:
    if not seqs:
        return []
    query = select(StatsEvent).where(col(StatsEvent.seq).in_(list(seqs))).order_by(col(StatsEvent.seq))
    return list((await session.exec(query)).all())


async def counts_by_type(
    session: AsyncSession, *, since: datetime | None = None, before: datetime | None = None
) -> dict[str, int]:
    """How many events of each type are stored (event time in [since, before))."""
    kind = col(StatsEvent.event_type)
    query = select(kind, sa.func.count()).group_by(kind)
    if since is not None:
        query = query.where(col(StatsEvent.occurred_at) >= since)
    if before is not None:
        query = query.where(col(StatsEvent.occurred_at) < before)
    rows = (await session.exec(query)).all()
    return {str(kind): int(n) for kind, n in sorted(rows)}


async def case_ids_for_number(session: AsyncSession, number: str) -> list[str]:
    """The case ids behind a KMB number (each organisation numbers its own cases): those of its
    CaseOpened events first, then of any other event naming the number, each once."""
    number_field = col(StatsEvent.payload)["case_number"].as_string()
    query = (
        select(StatsEvent.case_id, StatsEvent.event_type)
        .where(number_field == number, col(StatsEvent.case_id).is_not(None))
        .order_by(col(StatsEvent.seq))
    )
    found = [(case, kind) for case, kind in (await session.exec(query)).all() if case is not None]
    opened = [case for case, kind in found if kind == CaseOpened.event_type]
    return list(dict.fromkeys([*opened, *(case for case, _kind in found)]))


async def case_events(session: AsyncSession, case_id: str) -> list[StatsEvent]:
    """Every stored event about a case, by event time (then by the order of storing): those naming the
    case, and the contact at which it was opened — recorded before the case existed, so without its id;
    its CaseOpened names it (as ``kmb audit case`` shows it)."""
    query = (
        select(StatsEvent)
        .where(col(StatsEvent.case_id) == case_id)
        .order_by(col(StatsEvent.occurred_at), col(StatsEvent.seq))
    )
    rows = list((await session.exec(query)).all())
    contacts = sorted(
        {
            str(row.payload["contact_id"])
            for row in rows
            if row.event_type == CaseOpened.event_type and row.payload.get("contact_id")
        }
    )
    if not contacts:
        return rows
    first_contacts = select(StatsEvent).where(
        col(StatsEvent.event_type) == ContactRecorded.event_type,
        col(StatsEvent.case_id).is_(None),
        sa.type_coerce(col(StatsEvent.payload), sa.JSON)["contact_id"].as_string().in_(contacts),
    )
    rows += list((await session.exec(first_contacts)).all())
    return sorted(rows, key=lambda row: (as_utc(row.occurred_at), row.seq or 0))
