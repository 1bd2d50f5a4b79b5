"""A worker's own notifications: what partners (or the deadline) did with the referrals they made."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ...application.notifications import Notification, mark_read, notifications_for
from ..access import WorkerDep
from ..deps import UowDep

router = APIRouter(prefix="/api/notifications", tags=["notifications"])


class NotificationOut(BaseModel):
    id: UUID
    case_id: UUID
    case_number: str | None
    referral_id: UUID
    update: str = Field(description="accepted, declined, completed, binding_opinion or overdue")
    text_cs: str = Field(description="What happened, in Czech (the case by its number; no client's data)")
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, notification: Notification) -> NotificationOut:
        return cls.model_validate(notification, from_attributes=True)


class MarkedOut(BaseModel):
    marked: int = Field(description="How many unread notifications this call marked read")


@router.get("", response_model=list[NotificationOut])
async def list_notifications(
    principal: WorkerDep, uow: UowDep, unread: bool = False
) -> list[NotificationOut]:
    """The caller's own notifications, newest first (``unread=true``: only those not yet read)."""
    found = await notifications_for(uow.store, principal.user_id, principal.organisation, unread_only=unread)
    return [NotificationOut.of(n) for n in found]


@router.post("/read", response_model=MarkedOut)
async def mark_all_read(principal: WorkerDep, uow: UowDep) -> MarkedOut:
    """Mark every notification of the caller read (nobody else's)."""
    return MarkedOut(marked=await mark_read(uow, principal.user_id, principal.organisation))


@router.post("/{notification_id}/read", response_model=MarkedOut)
async def mark_one_read(notification_id: UUID, principal: WorkerDep, uow: UowDep) -> MarkedOut:
    """Mark one of the caller's notifications read (another user's: 404)."""
    return MarkedOut(marked=await mark_read(uow, principal.user_id, principal.organisation, notification_id))
