"""Audit for auditors: every stored event about one case, in the order it happened."""

from __future__ import annotations

import re
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.errors import NotFoundError
from kmb_shared.service import SessionDep

from ..adapters.events import as_utc, case_events, case_id_for_number
from ..audit import entry, timeline_csv
from ..clock import TIMEZONE
from .common import invalid

router = APIRouter(prefix="/api/audit", tags=["audit"])

CASE_NUMBER = re.compile(r"^KMB-\d{4}-\d{5}$", re.IGNORECASE)


async def _case_id(session: AsyncSession, reference: str) -> str:
    try:
        return str(UUID(reference))
    except ValueError:
        pass
    if not CASE_NUMBER.match(reference):
        invalid(
            "case",
            "case_reference_invalid",
            "Zadejte id případu (UUID) nebo číslo případu ve tvaru KMB-RRRR-NNNNN.",
            "Enter a case id (UUID) or a case number like KMB-YYYY-NNNNN.",
        )
    case_id = await case_id_for_number(session, reference.upper())
    if case_id is None:
        raise NotFoundError("Případ", "Case")
    return case_id


@router.get("/cases/{case}", response_model=None)
async def case_timeline(
    case: str,
    format: Literal["json", "csv"] = Query("json", description="json, or csv for a spreadsheet"),
    session: AsyncSession = SessionDep,
) -> dict[str, Any] | Response:
    """Every stored event about the case (by id or KMB number), by event time: who (pseudonymous user
    and organisation), what (a short Czech summary), and the trace id that links it to the request."""
    case_id = await _case_id(session, case)
    rows = await case_events(session, case_id)
    if not rows:
        raise NotFoundError("Případ", "Case")
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
            timezone=TIMEZONE,
        )
        for row in rows
    ]
    numbers = [row.payload.get("case_number") for row in rows if row.payload.get("case_number")]
    number = str(numbers[0]) if numbers else None
    if format == "csv":
        headers = {"Content-Disposition": f'attachment; filename="audit-{number or case_id}.csv"'}
        body = timeline_csv(number, case_id, entries)
        return Response(content=body, media_type="text/csv; charset=utf-8", headers=headers)
    return {"case_id": case_id, "case_number": number, "events": entries}
