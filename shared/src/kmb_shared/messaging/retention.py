"""Pruning the outbox and the inbox: a job every service runs (``KMB_OUTBOX_RETENTION_DAYS``,
``KMB_INBOX_RETENTION_DAYS``, ``KMB_RETENTION_INTERVAL_S``).

**Outbox.** A sent row is kept only for diagnosis: the event itself is on its topic, kept for ever.
Unsent rows are never pruned, however old. Default 7 days.

**Inbox.** An inbox row is what makes a redelivered event a no-op, so it must outlive every way the
broker can hand the same event to the same consumer group again: the uncommitted tail after a crash or
a rebalance (seconds), a relay's re-send after a lost ack (minutes), and — the long one — a group whose
committed offsets are gone (``offsets.retention.minutes``, 7 days after the group empties, or an
operator's reset) re-reading its topics from the start (``auto_offset_reset="earliest"``). That last
case reaches back as far as the topics do, and KMB's topics keep events for ever (``retention.ms=-1``).
So the default is 0, keep for ever; a deployment whose topics have a finite ``retention.ms`` may set the
inbox retention to at least that, plus a margin. The rows are small (ids, topic, offset): about
200 bytes per handled event.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from kmb_shared.db import Database

from .tables import InboxMessage, OutboxMessage

log = logging.getLogger(__name__)

#: rows deleted per statement, so a first run on a large table does not hold one long transaction
CHUNK = 5000


@dataclass(frozen=True)
class Pruned:
    outbox: int
    inbox: int


async def prune_messaging(
    db: Database,
    *,
    outbox_before: datetime | None,
    inbox_before: datetime | None,
) -> Pruned:
    """Delete outbox rows sent before ``outbox_before`` and inbox rows processed before ``inbox_before``
    (``None``: keep them all). Unsent outbox rows are never deleted."""
    outbox = inbox = 0
    if outbox_before is not None:
        while True:
            ids = (
                select(OutboxMessage.id)  # type: ignore[call-overload]
                .where(OutboxMessage.sent_at.is_not(None))  # type: ignore[union-attr]
                .where(OutboxMessage.sent_at < outbox_before)  # type: ignore[operator]
                .limit(CHUNK)
                .scalar_subquery()
            )
            async with db.session() as session:
                result = await session.exec(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))  # type: ignore[call-overload, union-attr]
                await session.commit()
            outbox += result.rowcount or 0
            if (result.rowcount or 0) < CHUNK:
                break
    if inbox_before is not None:
        async with db.session() as session:
            result = await session.exec(  # type: ignore[call-overload]
                delete(InboxMessage).where(InboxMessage.processed_at < inbox_before)  # type: ignore[arg-type]
            )
            await session.commit()
        inbox = result.rowcount or 0
    return Pruned(outbox=outbox, inbox=inbox)


def cutoff(days: float, now: datetime | None = None) -> datetime | None:
    """The moment ``days`` before ``now``; ``None`` for 0 (keep for ever)."""
    if days <= 0:
        return None
    return (now or datetime.now(UTC)) - timedelta(days=days)


async def run_retention(
    db: Database, *, outbox_days: float, inbox_days: float, interval_s: float, service: str = ""
) -> None:
    """Prune now and then every ``interval_s`` until cancelled; a failed run is logged and retried."""
    if outbox_days <= 0 and inbox_days <= 0:
        return
    while True:
        try:
            pruned = await prune_messaging(
                db, outbox_before=cutoff(outbox_days), inbox_before=cutoff(inbox_days)
            )
            if pruned.outbox or pruned.inbox:
                log.info(
                    "%s: pruned %d sent outbox rows and %d inbox rows", service, pruned.outbox, pruned.inbox
                )
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s: pruning the outbox and inbox failed; next try in %.0f s", service, interval_s)
        await asyncio.sleep(interval_s)
