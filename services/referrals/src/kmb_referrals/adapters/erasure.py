"""Referrals' part of an erasure (``PersonalDataErased``): what it keeps of the case's people goes, the
coded skeleton the audit and statistics need stays.

Gone: every free text of the case's referrals (the worker's note to the partner, the partner's decline
and outcome notes, the cancel reason, the legal basis and disclosure texts, a note in the partner
message kept as sent), the case's legal basis text, and the sent outbox rows (partner messages
included) and stored answers naming the case or one of its referrals. Kept: ids, partner, kind, states
and their dates, codes, counts."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.erasure import forget_messages_naming

from .tables import CaseFactsRow, ReferralRow

#: the free-text columns of a referral
FREE_TEXT = ("note", "decline_note", "outcome_note", "cancel_reason", "legal_basis", "disclosure_basis",
             "disclosure_note")  # fmt: skip


async def erase_case_data(session: AsyncSession, case_id: UUID) -> int:
    """Drop what referrals keeps of the case's people; returns how many referrals were touched."""
    referrals = (await session.exec(select(ReferralRow).where(col(ReferralRow.case_id) == case_id))).all()
    for row in referrals:
        for name in FREE_TEXT:
            setattr(row, name, None)
        if row.partner_view and "note" in row.partner_view:
            row.partner_view = {k: v for k, v in row.partner_view.items() if k != "note"}
        session.add(row)
    await session.exec(  # type: ignore[call-overload]
        sa.update(CaseFactsRow).where(col(CaseFactsRow.case_id) == case_id).values(legal_basis=None)
    )
    await forget_messages_naming(session, str(case_id), *(str(row.id) for row in referrals))
    return len(referrals)
