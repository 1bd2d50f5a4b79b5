"""What every service does with its own messaging tables when a case's personal data are erased
(``PersonalDataErased``, issue 14): the sent outbox rows and the stored idempotent answers that name the
case (or one of its referrals) are deleted.

A sent outbox row is only kept for diagnosis (its event is on the topic); a stored answer is the
response to a request sent with an ``Idempotency-Key`` (a case opened over the API is answered with its
household). Rows not yet sent are kept: they are the events still to leave, none of them personal.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import PersonalDataErased
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.messaging.tables import OutboxMessage
from kmb_shared.web.idempotency import IdempotencyRecord


async def forget_messages_naming(session: AsyncSession, *ids: str) -> int:
    """Delete the sent outbox rows and stored answers whose text contains one of ``ids`` (a case's id,
    its referrals' ids); returns how many. The caller commits (with the rest of the erasure)."""
    if not ids:
        return 0
    outbox = OutboxMessage.__table__  # type: ignore[attr-defined]
    answers = IdempotencyRecord.__table__  # type: ignore[attr-defined]
    sent = sa.delete(outbox).where(
        outbox.c.sent_at.is_not(None), sa.or_(*(outbox.c.payload.contains(i, autoescape=True) for i in ids))
    )
    stored = sa.delete(answers).where(sa.or_(*(answers.c.body.contains(i, autoescape=True) for i in ids)))
    gone = 0
    for statement in (sent, stored):
        result = await session.exec(statement)  # type: ignore[call-overload]
        gone += result.rowcount or 0
    return gone


#: a service's own part of an erasure: drops what it keeps of the case's people in the consumer's session
EraseCase = Callable[[AsyncSession, UUID], Awaitable[object]]


async def _messages_only(session: AsyncSession, case_id: UUID) -> int:
    return await forget_messages_naming(session, str(case_id))


def erasure_handler(erase: EraseCase = _messages_only) -> Handler:
    """The consumer's handler of ``PersonalDataErased``: ``erase`` (by default only the messaging rows
    naming the case) in the consumer's transaction, whose inbox row then records that this service has
    done its part (``kmb_inbox``: consumer, the event's id, when)."""

    async def on_personal_data_erased(event: PersonalDataErased, ctx: HandlerContext) -> None:
        await erase(ctx.session, event.case_id)

    return on_personal_data_erased
