"""The workers' notifications: written in the transaction of the step they tell of (so a step is never
committed without its notification, nor told twice), read and marked read by their worker only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kmb_shared.contracts import Actor
from kmb_shared.errors import NotFoundError

from ..adapters.notifications import NotificationRow, notification_of
from ..adapters.tables import ReferralRow
from ..domain import PartnerUpdateKind
from ..domain.notifications import notification_text, recipient
from .ports import ReferralStore, UnitOfWork


def notify(
    uow: UnitOfWork, row: ReferralRow, update: PartnerUpdateKind, actor: Actor, reason: str | None = None
) -> None:
    """Stage the notification of ``update`` for the referral's worker (none when there is no one to
    tell, or the worker did it themselves)."""
    user = recipient(update, row.made_by, actor.user_id)
    if user is None:
        return
    if reason is None:
        reason = row.decline_reason if update is PartnerUpdateKind.DECLINED else None
        reason = row.outcome if update is PartnerUpdateKind.COMPLETED else reason
    uow.store.add(notification_of(row, user, update.value, reason))


@dataclass(frozen=True)
class Notification:
    id: UUID
    case_id: UUID
    case_number: str | None
    referral_id: UUID
    update: str
    text_cs: str
    created_at: datetime
    read: bool


async def notifications_for(
    store: ReferralStore, user_id: str, organisation: str, *, unread_only: bool = False, limit: int = 100
) -> list[Notification]:
    """The user's own notifications, newest first, each with its Czech sentence."""
    rows = await store.notifications(user_id, organisation, unread_only=unread_only, limit=limit)
    return await described(store, rows)


async def described(store: ReferralStore, rows: Sequence[NotificationRow]) -> list[Notification]:
    """The notifications of ``rows``, each with its Czech sentence."""
    numbers: dict[UUID, str | None] = {}
    partners: dict[str, str] = {}
    out = []
    for row in rows:
        if row.case_id not in numbers:
            facts = await store.case_facts(row.case_id)
            numbers[row.case_id] = facts.case_number if facts else None
        if row.partner not in partners:
            partner = await store.partner(row.partner)
            partners[row.partner] = partner.name if partner else "Partner"
        text = notification_text(
            row.update,
            case=numbers[row.case_id] or "(číslo neznámé)",
            partner=partners[row.partner],
            referral_kind=row.referral_kind,
            reason=row.reason,
        )
        out.append(
            Notification(
                id=row.id,
                case_id=row.case_id,
                case_number=numbers[row.case_id],
                referral_id=row.referral_id,
                update=row.update,
                text_cs=text,
                created_at=row.created_at,
                read=row.read_at is not None,
            )
        )
    return out


async def mark_read(
    uow: UnitOfWork, user_id: str, organisation: str, notification_id: UUID | None = None
) -> int:
    """Mark the user's notification (or all of them) read; another user's is not found (404)."""
    if notification_id is not None:
        row = await uow.store.notification(notification_id)
        if row is None or (row.user_id, row.organisation) != (user_id, organisation):
            raise NotFoundError("Upozornění", "Notification")
    marked = await uow.store.mark_notifications_read(user_id, organisation, notification_id)
    await uow.commit()
    return marked
