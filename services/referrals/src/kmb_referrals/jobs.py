"""Background jobs of the referrals service: the deadline check.

Every ``overdue_interval_s`` seconds, each referral still waiting for the partner's response after its due
day is raised as overdue — once: the row is marked in the same transaction as the ReferralOverdue event,
and the conditional update makes a second copy of the service (or a second pass) find nothing to do.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select

from kmb_shared.contracts import SYSTEM_ACTOR
from kmb_shared.service import Runtime

from .adapters.repository import referral_of
from .adapters.tables import ReferralRow, utcnow
from .application.context import ReferralsContext, context_of
from .application.publishing import stage_step
from .domain import PartnerUpdateKind, ReferralState, is_overdue

log = logging.getLogger(__name__)


async def raise_overdue(ctx: ReferralsContext, today: date) -> int:
    """Raise ReferralOverdue for every referral newly overdue on ``today``; returns how many."""
    raised = 0
    async with ctx.runtime.db.session() as session:
        candidates = (
            await session.exec(
                select(ReferralRow).where(
                    ReferralRow.status == ReferralState.MADE.value,
                    col(ReferralRow.due_on) < today,
                    col(ReferralRow.overdue_raised_at).is_(None),
                )
            )
        ).all()
        for row in candidates:
            referral = referral_of(row)
            if not is_overdue(referral, today):
                continue
            marked = await session.exec(  # type: ignore[call-overload]
                sa.update(ReferralRow)
                .where(
                    col(ReferralRow.id) == row.id,
                    col(ReferralRow.overdue_raised_at).is_(None),
                    col(ReferralRow.status) == ReferralState.MADE.value,
                )
                .values(overdue_raised_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            if marked.rowcount != 1:  # type: ignore[attr-defined]
                continue  # another copy of the service raised it meanwhile
            stage_step(ctx, session, row, referral, PartnerUpdateKind.OVERDUE, today, SYSTEM_ACTOR)
            raised += 1
        if raised:
            await ctx.runtime.commit(session)
    if raised:
        log.info("referrals: %d referral(s) overdue on %s", raised, today)
    return raised


async def overdue_job(runtime: Runtime) -> None:
    """Runs for the service's lifetime (ServiceSpec.background)."""
    ctx = context_of(runtime)
    while True:
        try:
            await raise_overdue(ctx, ctx.today())
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("referrals: deadline check failed; trying again later")
        await asyncio.sleep(ctx.settings.overdue_interval_s)
