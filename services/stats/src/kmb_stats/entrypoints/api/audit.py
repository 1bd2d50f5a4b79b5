"""Audit for auditors (and administrators, and the worker handling a case): every stored event about
one case, in the order it happened."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal
from kmb_shared.errors import NotFoundError
from kmb_shared.service import SessionDep

from ...application.audit import CASE_NUMBER, CaseReferenceInvalid, Timeline, load_timeline, timeline_csv
from ..access import as_audit_reader, audit_readers
from ..common import invalid

router = APIRouter(prefix="/api/audit", tags=["audit"], dependencies=[audit_readers()])

REFERENCE_CS = "Zadejte id případu (UUID) nebo číslo případu ve tvaru KMB-RRRR-NNNNN."
REFERENCE_EN = "Enter a case id (UUID) or a case number like KMB-YYYY-NNNNN."


async def timeline_or_error(session: AsyncSession, reference: str, organisation: str) -> Timeline:
    """The timeline; 422 for a malformed reference, 404 for a case no stored event names or another
    organisation's case."""
    try:
        timeline = await load_timeline(session, reference, organisation)
    except CaseReferenceInvalid:
        invalid("case", "case_reference_invalid", REFERENCE_CS, REFERENCE_EN)
    if timeline is None:
        raise NotFoundError("Případ", "Case")
    return timeline


#: a case id (UUID) or a KMB number, as :func:`timeline_or_error` takes them
CASE_REFERENCE = {
    "anyOf": [{"type": "string", "format": "uuid"}, {"type": "string", "pattern": CASE_NUMBER.pattern}]
}


@router.get(
    "/cases/{case}",
    response_model=None,
    responses={200: {"content": {"application/json": {}, "text/csv": {}}, "description": "JSON or CSV"}},
)
async def case_timeline(
    case: Annotated[str, Path(description=REFERENCE_EN, json_schema_extra=CASE_REFERENCE)],
    format: Literal["json", "csv"] = Query("json", description="json, or csv for a spreadsheet"),
    principal: Principal = Depends(as_audit_reader),
    session: AsyncSession = SessionDep,
) -> dict[str, Any] | Response:
    """Every stored event about the case (by id or KMB number), by event time: who (pseudonymous user
    and organisation), what (a short Czech summary of codes and numbers, never free text), and the
    trace id that links it to the request. Auditors, administrators and workers of the case's
    organisation (404 for anyone else)."""
    timeline = await timeline_or_error(session, case, principal.organisation)
    number = timeline.case_number
    if format == "csv":
        name = number or timeline.case_id
        headers = {"Content-Disposition": f'attachment; filename="audit-{name}.csv"'}
        body = timeline_csv(number, timeline.case_id, timeline.entries)
        return Response(content=body, media_type="text/csv; charset=utf-8", headers=headers)
    return {"case_id": timeline.case_id, "case_number": number, "events": timeline.entries}
