"""A case's audit timeline read from ``stats_event``: find the case by id or KMB number, then every
stored event about it as lines of :func:`kmb_stats.domain.audit.entry`.

Only for a user of the case's organisation (:func:`kmb_stats.domain.audit.case_organisation`): for
anyone else the case is not found, as intake answers for another organisation's case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.clock import as_utc

from ..adapters.audit_csv import timeline_csv
from ..adapters.events import case_events, case_ids_for_number
from ..adapters.tables import StatsEvent
from ..domain.audit import case_organisation, entry
from ..domain.state import DEFAULT_TIMEZONE

CASE_NUMBER = re.compile(r"^KMB-\d{4}-\d{5}$", re.IGNORECASE)


class CaseReferenceInvalid(ValueError):
    """Neither a UUID nor a number like KMB-2026-00001."""


@dataclass(frozen=True)
class Timeline:
    case_id: str
    case_number: str | None
    entries: list[dict[str, Any]]


async def _rows_of(session: AsyncSession, case_id: str, organisation: str) -> list[StatsEvent]:
    """The case's stored events by event time, if the case is ``organisation``'s; else none."""
    rows = await case_events(session, case_id)
    owner = case_organisation((row.event_type, row.actor_org) for row in rows)
    return rows if owner is not None and owner == organisation else []


async def _find(
    session: AsyncSession, reference: str, organisation: str
) -> tuple[str, list[StatsEvent]] | None:
    reference = reference.strip()
    try:
        candidates = [str(UUID(reference))]
    except ValueError:
        if not CASE_NUMBER.match(reference):
            raise CaseReferenceInvalid(reference) from None
        candidates = await case_ids_for_number(session, reference.upper())
    for case_id in candidates:
        rows = await _rows_of(session, case_id, organisation)
        if rows:
            return case_id, rows
    return None


async def find_case(session: AsyncSession, reference: str, organisation: str) -> str | None:
    """The id of ``organisation``'s case behind an id or a KMB number; None when no stored event names
    such a case (another organisation's case is not found)."""
    found = await _find(session, reference, organisation)
    return found[0] if found else None


async def load_timeline(session: AsyncSession, reference: str, organisation: str) -> Timeline | None:
    """Every stored event about ``organisation``'s case, by event time; None when there is none (and for
    another organisation's case)."""
    found = await _find(session, reference, organisation)
    if found is None:
        return None
    case_id, rows = found
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
