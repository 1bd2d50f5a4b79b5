"""What the API and the pages read, the same calls for both: case search, a case's history, contacts,
accounts and the view log (the reads of the database adapters, within the caller's session)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..adapters.accounts import CredentialRow, UserRow, all_users, tokens_issued, user_names
from ..adapters.cases import CaseFilter, case_history, search_cases
from ..adapters.contacts import list_contacts
from ..adapters.tables import CaseHistoryRow, CaseRow, ContactRow
from ..adapters.views import CaseViewRow, find_views

__all__ = [
    "CaseFilter",
    "CaseHistoryRow",
    "CaseRow",
    "CaseViewRow",
    "ContactRow",
    "CredentialRow",
    "UserRow",
    "all_users",
    "case_history",
    "case_id_by_number",
    "case_numbers",
    "find_views",
    "list_contacts",
    "one_user",
    "search_cases",
    "tokens_issued",
    "user_names",
    "uuids",
]


def uuids(values: Iterable[Any]) -> list[UUID]:
    """The values that are UUIDs (others are skipped)."""
    out = []
    for value in values:
        try:
            out.append(UUID(str(value)))
        except ValueError:
            continue
    return out


async def case_numbers(session: AsyncSession, organisation: str, ids: list[UUID]) -> dict[str, str]:
    """Case numbers of the organisation's cases among ``ids`` (others stay unnamed)."""
    if not ids:
        return {}
    query = select(CaseRow.id, CaseRow.number).where(
        col(CaseRow.id).in_(ids), col(CaseRow.organisation) == organisation
    )
    return {str(case_id): number for case_id, number in (await session.exec(query)).all()}


async def case_id_by_number(session: AsyncSession, number: str, organisation: str) -> UUID | None:
    """The id of the organisation's case numbered ``number`` (``KMB-2026-00012``), if there is one."""
    query = select(CaseRow.id).where(
        col(CaseRow.number) == number.upper(), col(CaseRow.organisation) == organisation
    )
    return (await session.exec(query)).first()


async def one_user(session: AsyncSession, user_id: str) -> UserRow | None:
    """One account (None when there is no such id)."""
    return await session.get(UserRow, user_id)
