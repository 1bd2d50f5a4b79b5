"""The store and the unit of work of the application (``application.ports``) on the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.db import Database
from kmb_shared.messaging import Outbox
from kmb_shared.unit_of_work import SessionUnitOfWork, SessionUnitsOfWork

from ..application.errors import AlreadyStored, ConcurrentChange
from ..domain import ReferralState
from . import notifications, repository
from .notifications import NotificationRow
from .partner_outbox import stage_partner_message
from .repository import ReferralFilter
from .tables import CaseFactsRow, PartnerRow, ReferralRow, utcnow


@contextmanager
def _translated() -> Iterator[None]:
    """The database's refusals as the application's errors: a referral changed meanwhile (its version
    moved) is a concurrent change; a key already taken is already stored."""
    try:
        yield
    except StaleDataError as exc:
        raise ConcurrentChange() from exc
    except IntegrityError as exc:
        raise AlreadyStored(str(exc.orig)) from exc


class SqlReferralStore:
    """The service's tables through one session (its transaction is the caller's)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: PartnerRow | ReferralRow | CaseFactsRow | NotificationRow) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        with _translated():
            await self.session.flush()

    async def partner(self, slug: str) -> PartnerRow | None:
        return await self.session.get(PartnerRow, slug)

    async def partners(self) -> Sequence[PartnerRow]:
        return await repository.all_partners(self.session)

    async def referral(self, referral_id: UUID) -> ReferralRow | None:
        return await self.session.get(ReferralRow, referral_id)

    async def find_referrals(self, where: ReferralFilter, today: date) -> Sequence[ReferralRow]:
        with _translated():
            return await repository.find_referrals(self.session, where, today)

    async def open_referrals_of_case(self, case_id: UUID) -> Sequence[ReferralRow]:
        with _translated():  # the query flushes the pending changes first
            return await repository.open_referrals_of_case(self.session, case_id)

    async def overdue_candidates(self, today: date) -> Sequence[ReferralRow]:
        query = select(ReferralRow).where(
            ReferralRow.status == ReferralState.MADE.value,
            col(ReferralRow.due_on) < today,
            col(ReferralRow.overdue_raised_at).is_(None),
        )
        return (await self.session.exec(query)).all()

    async def mark_overdue(self, referral_id: UUID) -> bool:
        marked = await self.session.exec(  # type: ignore[call-overload]
            sa.update(ReferralRow)
            .where(
                col(ReferralRow.id) == referral_id,
                col(ReferralRow.overdue_raised_at).is_(None),
                col(ReferralRow.status) == ReferralState.MADE.value,
            )
            .values(overdue_raised_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return bool(marked.rowcount == 1)

    async def case_facts(self, case_id: UUID) -> CaseFactsRow | None:
        return await self.session.get(CaseFactsRow, case_id)

    async def notification(self, notification_id: UUID) -> NotificationRow | None:
        return await self.session.get(NotificationRow, notification_id)

    async def notifications(
        self, user_id: str, organisation: str, *, unread_only: bool = False, limit: int = 100
    ) -> Sequence[NotificationRow]:
        return await notifications.notifications_of(
            self.session, user_id, organisation, unread_only=unread_only, limit=limit
        )

    async def mark_notifications_read(
        self, user_id: str, organisation: str, notification_id: UUID | None = None
    ) -> int:
        return await notifications.mark_read(self.session, user_id, organisation, notification_id)

    async def unmailed_notifications(self, limit: int) -> Sequence[NotificationRow]:
        return await notifications.unmailed(self.session, limit)

    async def mark_mailed(self, notification_id: UUID) -> None:
        await notifications.mark_mailed(self.session, notification_id)


class SqlUnitOfWork(SessionUnitOfWork):
    """One session: the store's changes and the staged outbox rows (the context's events and the
    partners' messages) commit together; after the commit ``after_commit`` runs (the relay is woken
    so the events leave at once)."""

    def __init__(self, session: AsyncSession, outbox: Outbox, after_commit: Callable[[], None]) -> None:
        super().__init__(session, outbox, after_commit)
        self.store = SqlReferralStore(session)

    def stage_partner(self, *, topic: str, message_type: str, key: str, payload: BaseModel) -> str:
        return stage_partner_message(
            self.session, self.outbox, topic=topic, message_type=message_type, key=key, payload=payload
        )

    async def commit_session(self) -> None:
        try:
            with _translated():
                await self.session.commit()
        except (ConcurrentChange, AlreadyStored):
            await self.session.rollback()
            raise


class SqlUnitsOfWork(SessionUnitsOfWork[SqlUnitOfWork]):
    """Opens units of work on ``db`` (the factory the application's jobs and routes take)."""

    def __init__(self, db: Database, outbox: Outbox, after_commit: Callable[[], None]) -> None:
        super().__init__(SqlUnitOfWork, db, outbox, after_commit)
