"""Background jobs of the referrals service: the deadline check.

Every ``overdue_interval_s`` seconds, each referral still waiting for the partner's response after its due
day is raised as overdue — once: the row is marked in the same transaction as the ReferralOverdue event,
and the conditional update makes a second copy of the service (or a second pass) find nothing to do.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from kmb_shared.contracts import SYSTEM_ACTOR

from ..adapters.repository import referral_of
from ..domain import PartnerUpdateKind, is_overdue
from .deps import ReferralsDeps
from .publishing import stage_step

log = logging.getLogger(__name__)


async def raise_overdue(deps: ReferralsDeps, today: date) -> int:
    """Raise ReferralOverdue for every referral newly overdue on ``today``; returns how many."""
    raised = 0
    async with deps.uow() as uow:
        for row in await uow.store.overdue_candidates(today):
            referral = referral_of(row)
            if not is_overdue(referral, today):
                continue
            if not await uow.store.mark_overdue(row.id):
                continue  # another copy of the service raised it meanwhile
            stage_step(deps, uow, row, referral, PartnerUpdateKind.OVERDUE, today, SYSTEM_ACTOR)
            raised += 1
        if raised:
            await uow.commit()
    if raised:
        log.info("referrals: %d referral(s) overdue on %s", raised, today)
    return raised


async def overdue_job(deps: ReferralsDeps) -> None:
    """Runs for the service's lifetime (ServiceSpec.background)."""
    while True:
        try:
            await raise_overdue(deps, deps.today())
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("referrals: deadline check failed; trying again later")
        await asyncio.sleep(deps.settings.overdue_interval_s)
