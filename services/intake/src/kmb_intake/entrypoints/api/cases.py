"""HTTP API of cases: open, read, search, change the household, close, reopen.

Workers change cases; workers and auditors read them, only within their own organisation. Every
response with personal data is recorded in the view log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import Runtime, RuntimeDep, SessionDep
from kmb_shared.web.idempotency import IdempotencyKey, answer_once
from kmb_shared.web.params import Offset, limit_query

from ...application import cases as commands
from ...application.cases import CommandContext
from ...application.ports import CaseStore
from ...application.queries import CaseFilter, CaseRow, case_history, search_cases
from ...domain import CaseIn, CaseStatus, CloseCaseIn, HouseholdChangeIn
from ..deps import CommandDep, ExpectedVersionDep, StoreDep
from ..schemas import CaseDetail, CaseOut, CaseSummary
from ..security import ReaderDep, WorkerDep, log_views

router = APIRouter(prefix="/api/cases", tags=["cases"])

Limit = Annotated[int, limit_query(200, "cases")]


@dataclass(frozen=True)
class CaseChange:
    """What a changing route works with: who acts (context), the case store in the request's session,
    and the way to finish: commit with the outbox, answer with the new version as the ETag."""

    ctx: CommandContext
    store: CaseStore
    response: Response
    runtime: Runtime
    session: AsyncSession

    async def done(self, case: CaseRow) -> CaseOut:
        await self.runtime.commit(self.session)
        self.response.headers["ETag"] = f'"{case.version}"'
        return CaseOut.of(case)


def case_change(
    ctx: CommandDep,
    store: StoreDep,
    response: Response,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> CaseChange:
    return CaseChange(ctx, store, response, runtime, session)


ChangeDep = Annotated[CaseChange, Depends(case_change)]


@router.post("", status_code=201, response_model=CaseOut)
async def open_case(
    body: CaseIn,
    change: ChangeDep,
    request: Request,
    principal: WorkerDep,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut | JSONResponse:
    """Open a case for a household (with its consent or the legal basis of processing). Sent again with
    the same Idempotency-Key, it answers as the first time and opens no second case."""

    async def run() -> CaseOut:
        return await change.done(await commands.open_case(change.store, body, change.ctx))

    return await answer_once(
        change.session,
        request,
        principal,
        idempotency_key,
        201,
        run,
        lambda out: {"ETag": f'"{out.version}"'},
    )


@router.get("", response_model=list[CaseSummary])
async def find_cases(
    number: Annotated[str | None, Query(max_length=20, description="Part of the case number")] = None,
    name: Annotated[
        str | None,
        Query(
            max_length=200,
            description="First or last name of a member, or parts of both",
        ),
    ] = None,
    birth_date: Annotated[date | None, Query(description="Date of birth of a member")] = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    status: CaseStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    *,
    principal: ReaderDep,
    session: AsyncSession = SessionDep,
) -> list[CaseSummary]:
    """Search the organisation's cases. Name and district ignore case and diacritics."""
    criteria = CaseFilter(
        number=number,
        name=name,
        birth_date=birth_date,
        district=district,
        status=status.value if status else None,
        organisation=principal.organisation,
    )
    rows = await search_cases(session, criteria, limit=limit, offset=offset)
    log_views(session, principal, rows, kind="search", channel="api", at=datetime.now(UTC))
    await session.commit()
    return [CaseSummary.of(row) for row in rows]


@router.get("/mine", response_model=list[CaseSummary])
async def my_cases(
    principal: WorkerDep,
    status: CaseStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    session: AsyncSession = SessionDep,
) -> list[CaseSummary]:
    """The cases the signed-in worker opened (``status=open``: "my open cases")."""
    criteria = CaseFilter(
        status=status.value if status else None,
        worker_id=principal.user_id,
        organisation=principal.organisation,
    )
    rows = await search_cases(session, criteria, limit=limit, offset=offset)
    log_views(session, principal, rows, kind="list", channel="api", at=datetime.now(UTC))
    await session.commit()
    return [CaseSummary.of(row) for row in rows]


@router.get("/{case_id}", response_model=CaseDetail)
async def get_case(
    case_id: UUID,
    response: Response,
    principal: ReaderDep,
    store: StoreDep,
    session: AsyncSession = SessionDep,
) -> CaseDetail:
    """The whole case with its personal data and history (the view is logged)."""
    case = await commands.load_case(store, case_id, principal.organisation)
    detail = CaseDetail.with_history(case, await case_history(session, case_id))
    log_views(session, principal, [case], kind="detail", channel="api", at=datetime.now(UTC))
    await session.commit()
    response.headers["ETag"] = f'"{case.version}"'
    return detail


@router.put("/{case_id}/household", response_model=CaseOut)
async def change_household(
    case_id: UUID, body: HouseholdChangeIn, change: ChangeDep, version: ExpectedVersionDep
) -> CaseOut:
    """Replace the household of an open case with its new complete state."""
    case = await commands.change_household(change.store, case_id, body, change.ctx, expected_version=version)
    return await change.done(case)


@router.post("/{case_id}/close", response_model=CaseOut)
async def close_case(
    case_id: UUID, body: CloseCaseIn, change: ChangeDep, version: ExpectedVersionDep
) -> CaseOut:
    """Close an open case with a reason; closing a closed case is refused (409)."""
    case = await commands.close_case(change.store, case_id, body, change.ctx, expected_version=version)
    return await change.done(case)


@router.post("/{case_id}/reopen", response_model=CaseOut)
async def reopen_case(case_id: UUID, change: ChangeDep, version: ExpectedVersionDep) -> CaseOut:
    """Open a closed case again; reopening an open case is refused (409)."""
    case = await commands.reopen_case(change.store, case_id, change.ctx, expected_version=version)
    return await change.done(case)
