"""Case persistence: number allocation, version-checked updates, the member search index, queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from ..domain import MemberIn, format_case_number
from .search import search_key, search_tokens
from .tables import CaseHistoryRow, CaseMemberRow, CaseNumberCounter, CaseRow

KEY_LENGTH = 100


async def allocate_case_number(session: AsyncSession, year: int) -> str:
    """The next ``KMB-<year>-<5 digits>``, in the caller's transaction. The counter row is bumped with
    one atomic ``UPDATE … RETURNING``; concurrent openings queue on its row lock, so numbers are
    sequential and unique, and a rolled-back opening gives its number back with the whole transaction."""
    bump = (
        update(CaseNumberCounter)
        .where(col(CaseNumberCounter.year) == year)
        .values(last=col(CaseNumberCounter.last) + 1)
        .returning(col(CaseNumberCounter.last))
    )
    seq = (await session.exec(bump)).scalar_one_or_none()
    if seq is None:
        # First case of the year: create the row (a concurrent creator wins silently), then bump it.
        await session.exec(_insert_counter_if_missing(session, year))
        seq = (await session.exec(bump)).scalar_one()
    return format_case_number(year, int(seq))


def _insert_counter_if_missing(session: AsyncSession, year: int) -> sa.Insert:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(CaseNumberCounter).values(year=year, last=0).on_conflict_do_nothing(index_elements=["year"])


async def update_case(session: AsyncSession, case: CaseRow, values: dict[str, Any]) -> bool:
    """Apply ``values`` only if nobody changed the case since it was read (same ``version``); bumps the
    version. False when another transaction got there first."""
    result = await session.exec(
        update(CaseRow)
        .where(col(CaseRow.id) == case.id, col(CaseRow.version) == case.version)
        .values(version=case.version + 1, **values)
    )
    return bool(result.rowcount == 1)


def member_rows(case_id: UUID, members: Sequence[MemberIn]) -> list[CaseMemberRow]:
    return [
        CaseMemberRow(
            case_id=case_id,
            position=position,
            first_name_key=search_key(member.first_name)[:KEY_LENGTH],
            last_name_key=search_key(member.last_name)[:KEY_LENGTH],
            date_of_birth=member.date_of_birth,
        )
        for position, member in enumerate(members)
    ]


async def replace_member_index(session: AsyncSession, case_id: UUID, members: Sequence[MemberIn]) -> None:
    await session.exec(delete(CaseMemberRow).where(col(CaseMemberRow.case_id) == case_id))
    session.add_all(member_rows(case_id, members))


async def case_history(session: AsyncSession, case_id: UUID) -> Sequence[CaseHistoryRow]:
    query = (
        select(CaseHistoryRow)
        .where(col(CaseHistoryRow.case_id) == case_id)
        .order_by(col(CaseHistoryRow.version), col(CaseHistoryRow.id))
    )
    return (await session.exec(query)).all()


@dataclass(frozen=True)
class CaseFilter:
    """Search criteria; ``None`` means "any". ``name`` matches when every word of it is part of the
    first or last name of one member, ignoring case and diacritics."""

    number: str | None = None
    name: str | None = None
    birth_date: date | None = None
    district: str | None = None
    status: str | None = None
    worker_id: str | None = None
    organisation: str | None = None


def _member_conditions(name: str | None, birth_date: date | None) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    for token in search_tokens(name or ""):
        conditions.append(
            sa.or_(
                col(CaseMemberRow.first_name_key).contains(token, autoescape=True),
                col(CaseMemberRow.last_name_key).contains(token, autoescape=True),
            )
        )
    if birth_date is not None:
        conditions.append(col(CaseMemberRow.date_of_birth) == birth_date)
    return conditions


def _case_conditions(criteria: CaseFilter) -> Iterable[sa.ColumnElement[bool]]:
    if criteria.number and criteria.number.strip():
        yield col(CaseRow.number).contains(criteria.number.strip().upper(), autoescape=True)
    if criteria.district and search_key(criteria.district):
        yield col(CaseRow.district_key) == search_key(criteria.district)
    if criteria.status is not None:
        yield col(CaseRow.status) == criteria.status
    if criteria.worker_id is not None:
        yield col(CaseRow.worker_id) == criteria.worker_id
    if criteria.organisation is not None:
        yield col(CaseRow.organisation) == criteria.organisation
    member_conditions = _member_conditions(criteria.name, criteria.birth_date)
    if member_conditions:
        yield sa.exists().where(col(CaseMemberRow.case_id) == col(CaseRow.id), *member_conditions)


async def search_cases(
    session: AsyncSession, criteria: CaseFilter, *, limit: int, offset: int = 0
) -> Sequence[CaseRow]:
    """Matching cases, the most recently opened first."""
    query = (
        select(CaseRow)
        .where(*_case_conditions(criteria))
        .order_by(col(CaseRow.opened_at).desc(), col(CaseRow.number).desc())
        .limit(limit)
        .offset(offset)
    )
    return (await session.exec(query)).all()
