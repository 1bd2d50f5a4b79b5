"""HTTP API of the catalogue entries: create, list, read, change, withdraw, and their capacity."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from ...application import solutions as ops
from ...domain import Solution, SolutionCreate, SolutionFilter, SolutionKind, SolutionUpdate
from ..deps import Uow
from .access import Allocator, CaseReader, Editor, EntryReader

router = APIRouter(prefix="/api/solutions", tags=["catalogue"])


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AllocateRequest(_Body):
    case_id: UUID
    version: int | None = Field(default=None, ge=1, description="Version the client read, if it checks")


class ReleaseRequest(_Body):
    case_id: UUID


class CapacityRequest(_Body):
    total: int = Field(ge=0, description="New total of units or places")
    version: int | None = Field(default=None, ge=1, description="Version the client read, if it checks")


class AllocationOut(BaseModel):
    case_id: UUID
    allocated_at: datetime


@router.post("", status_code=201, response_model=Solution)
async def create_solution(
    command: SolutionCreate,
    principal: Editor,
    response: Response,
    uow: Uow,
) -> Solution:
    """A new entry (``SolutionPublished``)."""
    solution = await ops.publish_solution(uow, command, principal.actor)
    response.headers["Location"] = f"/api/solutions/{solution.id}"
    return solution


@router.get("", response_model=list[Solution])
async def list_solutions(
    principal: EntryReader,
    uow: Uow,
    kind: SolutionKind | None = None,
    valid_on: date | None = Query(default=None, description="Only entries in force on this day"),
    include_withdrawn: bool = False,
) -> list[Solution]:
    return await ops.list_solutions(uow, SolutionFilter(kind, valid_on, include_withdrawn))


@router.get("/{solution_id}", response_model=Solution)
async def get_solution(solution_id: UUID, principal: EntryReader, uow: Uow) -> Solution:
    return await ops.require_solution(uow, solution_id)


@router.patch("/{solution_id}", response_model=Solution)
async def change_solution(
    solution_id: UUID,
    change: SolutionUpdate,
    principal: Editor,
    uow: Uow,
) -> Solution:
    """Replace the given fields (``SolutionChanged``); ``version`` must be the one read, else 409."""
    return await ops.change_solution(uow, solution_id, change, principal.actor)


@router.delete("/{solution_id}", response_model=Solution)
async def withdraw_solution(
    solution_id: UUID,
    principal: Editor,
    uow: Uow,
    version: int = Query(ge=1, description="Version the client read"),
    reason: str | None = Query(default=None, max_length=500),
) -> Solution:
    """Take the entry off the catalogue (``SolutionWithdrawn``); it stays readable for the record."""
    return await ops.withdraw(uow, solution_id, version, principal.actor, reason)


@router.post("/{solution_id}/allocate", response_model=Solution)
async def allocate(
    solution_id: UUID,
    body: AllocateRequest,
    principal: Allocator,
    uow: Uow,
) -> Solution:
    """Give one unit or place to a case (``CapacityChanged``); 409 when none is free, 404 for another
    organisation's case."""
    return await ops.allocate(uow, solution_id, body.case_id, principal.actor, body.version)


@router.post("/{solution_id}/release", response_model=Solution)
async def release(
    solution_id: UUID,
    body: ReleaseRequest,
    principal: Allocator,
    uow: Uow,
) -> Solution:
    """The case gives its unit back (``CapacityChanged``); 409 unless the case holds one, 404 for
    another organisation's case."""
    return await ops.release(uow, solution_id, body.case_id, principal.actor)


@router.post("/{solution_id}/capacity", response_model=Solution)
async def resize(
    solution_id: UUID,
    body: CapacityRequest,
    principal: Editor,
    uow: Uow,
) -> Solution:
    """A new total, keeping the taken units (``CapacityChanged``); 409 below the taken count."""
    return await ops.resize(uow, solution_id, body.total, principal.actor, body.version)


@router.get("/{solution_id}/allocations", response_model=list[AllocationOut])
async def allocations(solution_id: UUID, principal: CaseReader, uow: Uow) -> list[AllocationOut]:
    """Which cases of the caller's organisation hold a unit or place of the entry."""
    rows = await ops.allocations(uow, solution_id, principal.organisation)
    return [AllocationOut(case_id=r.case_id, allocated_at=r.allocated_at) for r in rows]
