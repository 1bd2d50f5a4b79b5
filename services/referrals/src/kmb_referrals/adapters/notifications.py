"""The workers' notifications (``referral_notification``): one row per worker told, read or not.

A row holds codes only (what happened, the reason's code, the partner's slug): the Czech sentence is
made when it is shown, with the case's number from intake's events and the partner's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from .tables import ReferralRow, utcnow


class NotificationRow(SQLModel, table=True):
    """What happened to a referral, for the worker who made it (``user_id`` of ``organisation``)."""

    __tablename__ = "referral_notification"
    __table_args__ = (sa.Index("ix_referral_notification_user", "organisation", "user_id", "read_at"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    user_id: str = Field(max_length=100)
    organisation: str = Field(max_length=100)
    case_id: UUID = Field(index=True)
    referral_id: UUID = Field(index=True)
    partner: str = Field(max_length=40)
    referral_kind: str = Field(max_length=40)
    update: str = Field(max_length=20, description="accepted, declined, completed, binding_opinion, overdue")
    reason: str | None = Field(
        default=None, max_length=40, description="decline reason, outcome or verdict code"
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    read_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    emailed_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )


#: a notification's columns copied from its referral's
_FROM_REFERRAL = {"case_id": "case_id", "referral_id": "id", "partner": "partner", "referral_kind": "kind"}


def notification_of(referral: ReferralRow, user_id: str, update: str, reason: str | None) -> NotificationRow:
    """The notification of ``update`` to ``referral`` for the worker ``user_id`` of its organisation."""
    copied = {column: getattr(referral, source) for column, source in _FROM_REFERRAL.items()}
    return NotificationRow(
        user_id=user_id, organisation=referral.made_by_org, update=update, reason=reason, **copied
    )


def _own(user_id: str, organisation: str) -> sa.ColumnElement[bool]:
    return sa.and_(col(NotificationRow.user_id) == user_id, col(NotificationRow.organisation) == organisation)


async def notifications_of(
    session: AsyncSession, user_id: str, organisation: str, *, unread_only: bool = False, limit: int = 100
) -> Sequence[NotificationRow]:
    """The user's own notifications, newest first."""
    query = select(NotificationRow).where(_own(user_id, organisation))
    if unread_only:
        query = query.where(col(NotificationRow.read_at).is_(None))
    query = query.order_by(col(NotificationRow.created_at).desc(), col(NotificationRow.id)).limit(limit)
    return (await session.exec(query)).all()


async def mark_read(
    session: AsyncSession, user_id: str, organisation: str, notification_id: UUID | None = None
) -> int:
    """Mark one (or, without an id, every) unread notification of the user read; how many were."""
    where = [_own(user_id, organisation), col(NotificationRow.read_at).is_(None)]
    if notification_id is not None:
        where.append(col(NotificationRow.id) == notification_id)
    marked = await session.exec(  # type: ignore[call-overload]
        sa.update(NotificationRow)
        .where(*where)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(marked.rowcount or 0)


async def unmailed(session: AsyncSession, limit: int) -> Sequence[NotificationRow]:
    query = select(NotificationRow).where(col(NotificationRow.emailed_at).is_(None))
    query = query.order_by(col(NotificationRow.created_at), col(NotificationRow.id)).limit(limit)
    return (await session.exec(query)).all()


async def mark_mailed(session: AsyncSession, notification_id: UUID) -> None:
    """Mark the notification e-mailed (or passed over: its worker gave no address of their own)."""
    await session.exec(  # type: ignore[call-overload]
        sa.update(NotificationRow)
        .where(col(NotificationRow.id) == notification_id)
        .values(emailed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
