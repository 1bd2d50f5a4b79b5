"""HTTP API of contacts (§12 housing advice): record one (workers), list them by day, worker or case
(workers and auditors, within their organisation)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import Runtime, RuntimeDep, SessionDep
from kmb_shared.web.idempotency import IdempotencyKey, answer_once
from kmb_shared.web.params import Offset, limit_query

from ...application import cases as commands
from ...application.queries import list_contacts
from ...domain import ContactIn
from ..deps import CommandDep, StoreDep
from ..schemas import ContactOut
from ..security import ReaderDep, WorkerDep

router = APIRouter(prefix="/api/contacts", tags=["contacts"])


@router.post("", status_code=201, response_model=ContactOut)
async def record_contact(
    body: ContactIn,
    ctx: CommandDep,
    store: StoreDep,
    request: Request,
    principal: WorkerDep,
    idempotency_key: IdempotencyKey = None,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> ContactOut | JSONResponse:
    """Record a contact; anonymous ones count too. A linked case must exist (404 otherwise). Sent again
    with the same Idempotency-Key, it answers as the first time and records no second contact."""

    async def run() -> ContactOut:
        contact = await commands.record_contact(store, body, ctx)
        await runtime.commit(session)
        return ContactOut.of(contact)

    return await answer_once(session, request, principal, idempotency_key, 201, run)


@router.get("", response_model=list[ContactOut])
async def find_contacts(
    on: Annotated[date | None, Query(alias="date", description="Day of the contact")] = None,
    worker: Annotated[str | None, Query(max_length=100, description="Worker id")] = None,
    case_id: UUID | None = None,
    limit: Annotated[int, limit_query(500, "contacts")] = 100,
    offset: Offset = 0,
    *,
    principal: ReaderDep,
    session: AsyncSession = SessionDep,
) -> list[ContactOut]:
    """The organisation's contacts matching every given criterion, the latest first."""
    rows = await list_contacts(
        session,
        on=on,
        worker_id=worker,
        case_id=case_id,
        organisation=principal.organisation,
        limit=limit,
        offset=offset,
    )
    return [ContactOut.of(row) for row in rows]
