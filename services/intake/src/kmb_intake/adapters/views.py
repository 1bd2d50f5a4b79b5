"""The log of views of personal data: who saw which case, when and how (read by auditors)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.db import where_equal

from .tables import CaseRow


class CaseViewRow(SQLModel, table=True):
    """One view of one case's personal data. ``kind``: detail (the whole case), search (a result
    line), list (e.g. "my cases") or partner (a partner's fetch of the identity); ``channel``: api or page."""

    __tablename__ = "case_view_log"
    __table_args__ = (sa.Index("ix_case_view_log_case_at", "case_id", "viewed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: UUID = Field(sa_column=sa.Column(sa.Uuid, nullable=False))
    case_number: str = Field(max_length=20)
    viewed_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False, index=True))
    user_id: str = Field(max_length=100, index=True)
    organisation: str = Field(max_length=100, index=True)
    kind: str = Field(max_length=20)
    channel: str = Field(max_length=10)


def view_rows(
    cases: Iterable[tuple[UUID, str]],
    *,
    user_id: str,
    organisation: str,
    at: datetime,
    kind: str,
    channel: str,
) -> list[CaseViewRow]:
    return [
        CaseViewRow(
            case_id=case_id,
            case_number=number,
            viewed_at=at,
            user_id=user_id,
            organisation=organisation,
            kind=kind,
            channel=channel,
        )
        for case_id, number in cases
    ]


async def find_views(
    session: AsyncSession,
    *,
    organisation: str,
    case_id: UUID | None = None,
    case_number: str | None = None,
    user_id: str | None = None,
    limit: int,
    offset: int = 0,
) -> Sequence[CaseViewRow]:
    """Views by the organisation's users and views of its cases by partners, the latest first."""
    own_cases = select(CaseRow.id).where(col(CaseRow.organisation) == organisation)
    query = select(CaseViewRow).where(
        sa.or_(
            col(CaseViewRow.organisation) == organisation,
            sa.and_(col(CaseViewRow.kind) == "partner", col(CaseViewRow.case_id).in_(own_cases)),
        )
    )
    query = where_equal(
        query,
        (CaseViewRow.case_id, case_id),
        (CaseViewRow.case_number, case_number),
        (CaseViewRow.user_id, user_id),
    )
    query = query.order_by(col(CaseViewRow.viewed_at).desc(), col(CaseViewRow.id).desc())
    return (await session.exec(query.limit(limit).offset(offset))).all()
