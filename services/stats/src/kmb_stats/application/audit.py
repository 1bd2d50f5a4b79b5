"""A case's audit timeline read from ``stats_event``: find the case by id or KMB number, then every
stored event about it as lines of :func:`kmb_stats.domain.audit.entry`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.clock import as_utc

from ..adapters.audit_csv import timeline_csv
from ..adapters.events import case_events, case_id_for_number
from ..domain.audit import entry
from ..domain.state import DEFAULT_TIMEZONE

CASE_NUMBER = re.compile(r"^KMB-\d{4}-\d{5}$", re.IGNORECASE)


class CaseReferenceInvalid(ValueError):
    """Neither a UUID nor a number like KMB-2026-00001."""


@dataclass(frozen=True)
class Timeline:
    case_id: str
    case_number: str | None
    entries: list[dict[str, Any]]


async def find_case(session: AsyncSession, reference: str) -> str | None:
    """The case id behind an id or a KMB number; None when no stored event names it."""
    reference = reference.strip()
    try:
        return str(UUID(reference))
    except ValueError:
        pass
    if not CASE_NUMBER.match(reference):
        raise CaseReferenceInvalid(reference)
    return await case_id_for_number(session, reference.upper())


async def load_timeline(session: AsyncSession, reference: str) -> Timeline | None:
    """Every stored event about the case, by event time; None when there is none."""
    case_id = await find_case(session, reference)
    if case_id is None:
        return None
    rows = await case_events(session, case_id)
    if not rows:
        return None
    entries = [
        entry(
            event_id=row.event_id,
            event_type=row.event_type,
            occurred_at=as_utc(row.occurred_at),
            actor=row.actor_user,
            organisation=row.actor_org,
            data=row.payload,
            traceparent=row.traceparent,
            source=row.source,
            position=(row.topic, row.partition, row.offset),
            timezone=DEFAULT_TIMEZONE,
        )
        for row in rows
    ]
    numbers = [row.payload.get("case_number") for row in rows if row.payload.get("case_number")]
    return Timeline(case_id, str(numbers[0]) if numbers else None, entries)


__all__ = ["CASE_NUMBER", "CaseReferenceInvalid", "Timeline", "find_case", "load_timeline", "timeline_csv"]
