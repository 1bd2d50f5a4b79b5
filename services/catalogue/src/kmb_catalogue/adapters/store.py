"""Reading and writing catalogue entries, allocations and suggestions in the service's database.

Entries go in and come out as domain :class:`Solution` objects. A change is written only if the row
still has the version it was read at, so two concurrent writers cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.clock import as_utc

from ..domain import Allocation, CaseSuggestions, Solution, SolutionFilter, VersionConflict
from ..domain.plausibility import STORED
from .tables import AllocationRow, CaseRow, SolutionRow, SuggestionRow, utcnow


def _indexed(solution: Solution) -> dict[str, Any]:
    """The row's columns for ``solution``: the filtered fields beside the whole entry as JSON."""
    return {
        "kind": solution.kind.value,
        "title": solution.title,
        "valid_from": solution.valid_from,
        "valid_to": solution.valid_to,
        "withdrawn": solution.withdrawn,
        "demo": solution.demo,
        "version": solution.version,
        "data": solution.model_dump(mode="json"),
    }


def to_solution(row: SolutionRow) -> Solution:
    return Solution.model_validate(row.data, context=STORED)  # checked when written


def add_solution(session: AsyncSession, solution: Solution) -> None:
    session.add(SolutionRow(id=solution.id, **_indexed(solution)))


async def get_solution(session: AsyncSession, solution_id: UUID) -> Solution | None:
    row = await session.get(SolutionRow, solution_id)
    return None if row is None else to_solution(row)


async def solutions_by_id(session: AsyncSession, ids: Iterable[UUID]) -> dict[UUID, Solution]:
    """The entries with these ids (withdrawn ones too); unknown ids are left out."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = (await session.exec(select(SolutionRow).where(col(SolutionRow.id).in_(wanted)))).all()
    return {row.id: to_solution(row) for row in rows}


async def existing_ids_and_titles(session: AsyncSession) -> tuple[set[UUID], set[str]]:
    rows = (await session.exec(select(SolutionRow.id, SolutionRow.title))).all()
    return {r[0] for r in rows}, {r[1] for r in rows}


async def list_solutions(session: AsyncSession, where: SolutionFilter) -> list[Solution]:
    """The entries that pass ``where``, ordered by title, then id."""
    query = select(SolutionRow)
    if where.kind is not None:
        query = query.where(SolutionRow.kind == where.kind.value)
    if not where.include_withdrawn:
        query = query.where(col(SolutionRow.withdrawn).is_(False))
    if (valid_on := where.valid_on) is not None:
        query = query.where(SolutionRow.valid_from <= valid_on).where(
            sa.or_(col(SolutionRow.valid_to).is_(None), col(SolutionRow.valid_to) >= valid_on)
        )
    rows = (await session.exec(query.order_by(col(SolutionRow.title), col(SolutionRow.id)))).all()
    return [to_solution(r) for r in rows]


async def replace_solution(session: AsyncSession, solution: Solution, read_version: int) -> None:
    """Write ``solution`` over the row, provided the row is still at ``read_version``."""
    statement = (
        sa.update(SolutionRow)
        .where(col(SolutionRow.id) == solution.id, col(SolutionRow.version) == read_version)
        .values(**_indexed(solution), updated_at=utcnow())
    )
    result = await session.exec(statement)  # type: ignore[call-overload]
    if result.rowcount != 1:
        raise VersionConflict(
            "Záznam mezitím změnil někdo jiný. Načtěte ho znovu a změnu zopakujte.",
            "Someone else changed the entry meanwhile. Reload it and repeat the change.",
        )


async def allocation(session: AsyncSession, solution_id: UUID, case_id: UUID) -> AllocationRow | None:
    return await session.get(AllocationRow, (solution_id, case_id))


def _owner(own: Any) -> Any:
    """The organisation a row about a case belongs to: the case's (as intake said it), or while that is
    not known, the row's own (``own``: the organisation of the worker who made it)."""
    return sa.func.coalesce(col(CaseRow.organisation), own)


async def allocations(session: AsyncSession, solution_id: UUID, organisation: str) -> list[AllocationRow]:
    query = (
        select(AllocationRow)
        .outerjoin(CaseRow, col(CaseRow.case_id) == col(AllocationRow.case_id))
        .where(AllocationRow.solution_id == solution_id)
        .where(_owner(col(AllocationRow.organisation)) == organisation)
        .order_by(col(AllocationRow.allocated_at), col(AllocationRow.case_id))
    )
    return list((await session.exec(query)).all())


async def allocation_count(session: AsyncSession, solution_id: UUID) -> int:
    query = select(sa.func.count()).select_from(AllocationRow).where(AllocationRow.solution_id == solution_id)
    return int((await session.exec(query)).one())


def add_allocation(session: AsyncSession, solution_id: UUID, case_id: UUID, organisation: str) -> None:
    session.add(AllocationRow(solution_id=solution_id, case_id=case_id, organisation=organisation))


async def remove_allocation(session: AsyncSession, row: AllocationRow) -> None:
    await session.delete(row)


def add_suggestion(session: AsyncSession, row: SuggestionRow) -> None:
    session.add(row)


async def suggestion_exists(session: AsyncSession, suggestion_id: UUID) -> bool:
    return await session.get(SuggestionRow, suggestion_id) is not None


async def latest_suggestion(session: AsyncSession, case_id: UUID, organisation: str) -> SuggestionRow | None:
    query = (
        select(SuggestionRow)
        .outerjoin(CaseRow, col(CaseRow.case_id) == col(SuggestionRow.case_id))
        .where(SuggestionRow.case_id == case_id)
        .where(_owner(col(SuggestionRow.organisation)) == organisation)
        .order_by(col(SuggestionRow.created_at).desc(), col(SuggestionRow.assessed_on).desc())
    )
    return (await session.exec(query)).first()


async def case_organisation(session: AsyncSession, case_id: UUID) -> str | None:
    row = await session.get(CaseRow, case_id)
    return None if row is None else row.organisation


async def set_case_organisation(session: AsyncSession, case_id: UUID, organisation: str) -> None:
    row = await session.get(CaseRow, case_id)
    if row is None:
        session.add(CaseRow(case_id=case_id, organisation=organisation))
    elif row.organisation != organisation:
        row.organisation = organisation
        session.add(row)


#: SQLite hands datetimes back without a zone; every time is stored in UTC (the tests' name for it)
aware = as_utc


def to_allocation(row: AllocationRow) -> Allocation:
    return Allocation(row.solution_id, row.case_id, as_utc(row.allocated_at), row.organisation)


def suggestion_row(suggestion_id: UUID, found: CaseSuggestions, organisation: str) -> SuggestionRow:
    data = found.model_dump(mode="json")
    return SuggestionRow(
        id=suggestion_id,
        case_id=found.case_id,
        assessment_id=found.assessment_id,
        assessed_on=found.assessed_on,
        need_level=found.need_level,
        organisation=organisation,
        municipal_stock_exhausted=found.municipal_stock_exhausted,
        suggestions=data["suggestions"],
        rejected=data["rejected"],
        created_at=found.suggested_at,
        request=found.request.model_dump(mode="json") if found.request else None,
        recomputation=_recomputation(data),
    )


#: what CaseSuggestions says of its last recomputation, kept in one column
_RECOMPUTATION = ("recomputed_at", "recompute_cause", "recompute_cause_label", "new_solution_ids", "removed")


def _recomputation(data: dict[str, Any]) -> dict[str, Any] | None:
    return {key: data[key] for key in _RECOMPUTATION} if data.get("recomputed_at") else None


def write_suggestions(row: SuggestionRow, found: CaseSuggestions) -> None:
    """The recomputed suggestions into the row they replace (its id, case, assessment and time stay)."""
    data = found.model_dump(mode="json")
    row.municipal_stock_exhausted = found.municipal_stock_exhausted
    row.suggestions, row.rejected = data["suggestions"], data["rejected"]
    row.recomputation = _recomputation(data)


async def latest_suggestions(session: AsyncSession, case_id: UUID | None = None) -> list[SuggestionRow]:
    """The latest suggestions of each case (of one case, if given) that can be recomputed."""
    query = select(SuggestionRow)
    if case_id is not None:
        query = query.where(SuggestionRow.case_id == case_id)
    query = query.order_by(col(SuggestionRow.created_at).desc(), col(SuggestionRow.assessed_on).desc())
    latest: dict[UUID, SuggestionRow] = {}
    for row in (await session.exec(query)).all():
        latest.setdefault(row.case_id, row)
    return [row for row in latest.values() if row.request]  # made before requests were kept: not


def to_case_suggestions(row: SuggestionRow) -> CaseSuggestions:
    return CaseSuggestions.model_validate(
        {
            "case_id": row.case_id,
            "assessment_id": row.assessment_id,
            "assessed_on": row.assessed_on,
            "need_level": row.need_level,
            "suggested_at": as_utc(row.created_at),
            "municipal_stock_exhausted": row.municipal_stock_exhausted,
            "suggestions": row.suggestions,
            "rejected": row.rejected,
            "request": row.request,
            **(row.recomputation or {}),
        }
    )
