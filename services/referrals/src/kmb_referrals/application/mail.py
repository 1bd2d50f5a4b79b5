"""Notifications by e-mail (optional, off until ``KMB_REFERRALS_SMTP_HOST`` is set): each new
notification goes once to the e-mail address the worker gave on the referral (the worker contact the
partner sees). Only the case's number and what happened — never a client's data, never a free note;
the logs count, they name no one and no address."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from .deps import ReferralsDeps
from .details import worker_of
from .notifications import described

log = logging.getLogger(__name__)


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


async def mail_new_notifications(deps: ReferralsDeps, mailer: Mailer, limit: int = 50) -> int:
    """Send every notification not yet e-mailed whose worker gave an address of their own (not the
    contact point's shared one); each is marked e-mailed (or passed over) once. How many were sent."""
    sent = 0
    async with deps.uow() as uow:
        rows = await uow.store.unmailed_notifications(limit)
        for row, notification in zip(rows, await described(uow.store, rows), strict=True):
            referral = await uow.store.referral(row.referral_id)
            worker = worker_of(referral) if referral else None
            address = worker.email if worker else None
            if address and address != deps.settings.contact_point_email:
                subject = f"KMB: upozornění k případu {notification.case_number or ''}".strip()
                body = f"{notification.text_cs}\n\nVšechna upozornění najdete v KMB na stránce Upozornění.\n"
                await mailer.send(address, subject, body)
                sent += 1
            await uow.store.mark_mailed(row.id)
        if rows:
            await uow.commit()
    if sent:
        log.info("referrals: %d notification e-mail(s) sent", sent)
    return sent


async def mail_job(deps: ReferralsDeps, mailer: Mailer | None) -> None:
    """Runs for the service's lifetime when an SMTP server is configured (ServiceSpec.background)."""
    if mailer is None:
        return
    while True:
        try:
            await mail_new_notifications(deps, mailer)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("referrals: notification e-mail failed; trying again later")
        await asyncio.sleep(deps.settings.mail_interval_s)
