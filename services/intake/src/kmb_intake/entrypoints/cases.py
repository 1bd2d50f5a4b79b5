"""HTTP API of cases: open, read, search, change the household, close, reopen."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.actors import current_actor
from kmb_shared.contracts import Actor
from kmb_shared.service import Runtime, RuntimeDep, SessionDep

from .. import handlers
from ..adapters.cases import CaseFilter, case_history, search_cases
from ..domain import CaseIn, CaseStatus, CloseCaseIn, HouseholdChangeIn
from .deps import CommandDep, ExpectedVersionDep
from .schemas import CaseDetail, CaseOut, CaseSummary

router = APIRouter(prefix="/api/cases", tags=["cases"])

Limit = Annotated[int, Query(ge=1, le=200, description="At most this many cases")]
Offset = Annotated[int, Query(ge=0)]


def _etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


@router.post("", status_code=201, response_model=CaseOut)
async def open_case(
    body: CaseIn,
    ctx: CommandDep,
    response: Response,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> CaseOut:
    """Open a case for a household (with its consent or the legal basis of processing)."""
    case = await handlers.open_case(session, runtime.outbox, body, ctx)
    await runtime.commit(session)
    _etag(response, case.version)
    return CaseOut.of(case)


@router.get("", response_model=list[CaseSummary])
async def find_cases(
    number: Annotated[str | None, Query(max_length=20, description="Part of the case number")] = None,
    name: Annotated[
        str | None, Query(max_length=200, description="First or last name of a member, or parts of both")
    ] = None,
    birth_date: Annotated[date | None, Query(description="Date of birth of a member")] = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    status: CaseStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    session: AsyncSession = SessionDep,
) -> list[CaseSummary]:
    """Search cases. Name and district ignore case and diacritics."""
    criteria = CaseFilter(
        number=number,
        name=name,
        birth_date=birth_date,
        district=district,
        status=status.value if status else None,
    )
    rows = await search_cases(session, criteria, limit=limit, offset=offset)
    return [CaseSummary.of(row) for row in rows]


@router.get("/mine", response_model=list[CaseSummary])
async def my_cases(
    actor: Annotated[Actor, Depends(current_actor)],
    status: CaseStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    session: AsyncSession = SessionDep,
) -> list[CaseSummary]:
    """The cases the acting worker opened (``status=open``: "my open cases")."""
    criteria = CaseFilter(
        status=status.value if status else None,
        worker_id=actor.user_id,
        organisation=actor.organisation,
    )
    rows = await search_cases(session, criteria, limit=limit, offset=offset)
    return [CaseSummary.of(row) for row in rows]


@router.get("/{case_id}", response_model=CaseDetail)
async def get_case(case_id: UUID, response: Response, session: AsyncSession = SessionDep) -> CaseDetail:
    """The whole case with its personal data and history."""
    case = await handlers.load_case(session, case_id)
    _etag(response, case.version)
    return CaseDetail.with_history(case, await case_history(session, case_id))


@router.put("/{case_id}/household", response_model=CaseOut)
async def change_household(
    case_id: UUID,
    body: HouseholdChangeIn,
    ctx: CommandDep,
    version: ExpectedVersionDep,
    response: Response,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> CaseOut:
    """Replace the household of an open case with its new complete state."""
    case = await handlers.change_household(
        session, runtime.outbox, case_id, body, ctx, expected_version=version
    )
    await runtime.commit(session)
    _etag(response, case.version)
    return CaseOut.of(case)


@router.post("/{case_id}/close", response_model=CaseOut)
async def close_case(
    case_id: UUID,
    body: CloseCaseIn,
    ctx: CommandDep,
    version: ExpectedVersionDep,
    response: Response,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> CaseOut:
    """Close an open case with a reason; closing a closed case is refused (409)."""
    case = await handlers.close_case(session, runtime.outbox, case_id, body, ctx, expected_version=version)
    await runtime.commit(session)
    _etag(response, case.version)
    return CaseOut.of(case)


@router.post("/{case_id}/reopen", response_model=CaseOut)
async def reopen_case(
    case_id: UUID,
    ctx: CommandDep,
    version: ExpectedVersionDep,
    response: Response,
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> CaseOut:
    """Open a closed case again; reopening an open case is refused (409)."""
    case = await handlers.reopen_case(session, runtime.outbox, case_id, ctx, expected_version=version)
    await runtime.commit(session)
    _etag(response, case.version)
    return CaseOut.of(case)
