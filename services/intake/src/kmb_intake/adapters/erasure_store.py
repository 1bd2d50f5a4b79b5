"""The erasure store of the application (``application.erasure.ErasureStore``) on the database session
and its outbox, and referrals asked for a case's open referrals (count only, over HTTP)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Signer
from kmb_shared.contracts import IntegrationEvent
from kmb_shared.erasure import forget_messages_naming
from kmb_shared.messaging import Outbox

from . import casework  # noqa: F401  (the diary and documents are among the tables of a case)
from .applications import ApplicationRow
from .erasure_tables import ErasureRow, RetentionRunRow
from .peers import HttpPeers
from .tables import CaseHistoryRow, CaseMemberRow, CaseRow, ContactRow

#: the tables that refer to a case and stay after its erasure: its history and contacts (their notes are
#: cleared), the erasures; every other table that refers to the case is part of its personal data (the
#: member index, the diary, the documents, and whatever a later migration adds) and its rows are deleted,
#: with the rows of the tables that refer to those (a document's content)
SKELETON = frozenset({"intake_case_history", "intake_contact", ErasureRow.__tablename__})


def _referring(table: sa.Table) -> list[sa.Table]:
    """The tables of intake's models with a foreign key to ``table``."""
    assert table.metadata is not None
    return [t for t in table.metadata.sorted_tables if any(fk.column.table is table for fk in t.foreign_keys)]


def _column_referring(table: sa.Table, to: sa.Table) -> sa.Column[Any]:
    return next(fk.parent for fk in table.foreign_keys if fk.column.table is to)


async def _delete(session: AsyncSession, table: sa.Table, where: sa.ColumnElement[bool]) -> None:
    """Delete the rows of ``table`` chosen by ``where``, and first the rows that refer to them."""
    (key,) = table.primary_key.columns
    for child in _referring(table):
        fk = _column_referring(child, table)
        await _delete(session, child, fk.in_(sa.select(key).where(where)))
    await session.exec(sa.delete(table).where(where))  # type: ignore[call-overload]


class SqlErasureStore:
    """Intake's tables through one session (its transaction is the caller's) and the outbox."""

    def __init__(self, session: AsyncSession, outbox: Outbox) -> None:
        self.session = session
        self.outbox = outbox

    async def case(self, case_id: UUID) -> CaseRow | None:
        return await self.session.get(CaseRow, case_id)

    async def erase_case_data(self, case: CaseRow, household: str) -> None:
        s, case_id = self.session, case.id
        cases = CaseRow.__table__  # type: ignore[attr-defined]
        for table in _referring(cases):
            if table.name not in SKELETON:
                fk = _column_referring(table, cases)
                await _delete(s, table, fk == case_id)
        for statement in (
            sa.update(CaseHistoryRow).where(col(CaseHistoryRow.case_id) == case_id).values(note=None),
            sa.update(ContactRow).where(col(ContactRow.case_id) == case_id).values(note=None),
        ):
            await s.exec(statement)  # type: ignore[call-overload]
        await forget_messages_naming(s, str(case_id))
        case.household = household
        case.close_note = None
        s.add(case)

    async def erase_member_data(self, case: CaseRow, position: int, household: str) -> None:
        members = CaseMemberRow.__table__  # type: ignore[attr-defined]
        await self.session.exec(  # type: ignore[call-overload]
            sa.delete(members).where(members.c.case_id == case.id, members.c.position == position)
        )
        # an application holds every member's values and its printouts and scans show them; which
        # value is whose cannot be told apart, so the case's applications go (the case is closed)
        applications = ApplicationRow.__table__  # type: ignore[attr-defined]
        await _delete(self.session, applications, applications.c.case_id == case.id)
        await forget_messages_naming(self.session, str(case.id))
        case.household = household
        self.session.add(case)

    def add(self, row: ErasureRow | RetentionRunRow | CaseRow) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    def stage(self, event: IntegrationEvent) -> str:
        return self.outbox.stage(self.session, event)

    async def due_cases(self, closed_before: date) -> Sequence[CaseRow]:
        query = (
            select(CaseRow)
            .where(CaseRow.status == "closed", col(CaseRow.erased_at).is_(None))
            .where(col(CaseRow.closed_on) < closed_before)
            .order_by(col(CaseRow.closed_on), col(CaseRow.number))
        )
        return (await self.session.exec(query)).all()


async def erasures(
    session: AsyncSession, organisation: str, limit: int = 50
) -> Sequence[tuple[ErasureRow, str]]:
    """The latest erasures of ``organisation``'s cases, newest first, with the case's number."""
    query = (
        select(ErasureRow, CaseRow.number)
        .join(CaseRow, col(CaseRow.id) == col(ErasureRow.case_id))
        .where(ErasureRow.organisation == organisation)
        .order_by(col(ErasureRow.erased_at).desc())
        .limit(limit)
    )
    return [(row, number) for row, number in (await session.exec(query)).all()]


async def retention_runs(session: AsyncSession, limit: int = 50) -> Sequence[RetentionRunRow]:
    query = select(RetentionRunRow).order_by(col(RetentionRunRow.started_at).desc()).limit(limit)
    return (await session.exec(query)).all()


#: referrals' count of a case's open referrals (``kmb_referrals.entrypoints.api.erasure``)
OPEN_REFERRALS_PATH = "/api/cases/{case_id}/open-referrals"


class HttpOpenReferrals:
    """Asks referrals how many referrals of a case are open, as ``user_id`` acting for the case's
    organisation with an administrator's rights (a token signed here for a minute: the answer is a
    number, nothing personal)."""

    def __init__(self, peers: HttpPeers, signer: Signer, user_id: str) -> None:
        self.peers, self.signer, self.user_id = peers, signer, user_id

    async def count(self, case_id: UUID, organisation: str) -> int | None:
        token = self.signer.api_token(self.user_id, {"admin"}, organisation, days=1 / 1440)
        data: Any = await self.peers.fetch_json(
            "referrals",
            OPEN_REFERRALS_PATH.format(case_id=case_id),
            credentials={"Authorization": f"Bearer {token}"},
        )
        open_count = data.get("open") if isinstance(data, dict) else None
        return open_count if isinstance(open_count, int) else None


async def find_case(session: AsyncSession, text: str, organisation: str) -> CaseRow | None:
    """A case of ``organisation`` by its number (KMB-2026-00001) or id."""
    text = text.strip()
    try:
        where = col(CaseRow.id) == UUID(text)
    except ValueError:
        where = col(CaseRow.number) == text.upper()
    case = (await session.exec(select(CaseRow).where(where))).first()
    return case if case is not None and case.organisation == organisation else None
