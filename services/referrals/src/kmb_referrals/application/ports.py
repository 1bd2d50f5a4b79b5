"""What the use cases need from the outside, as protocols: the store of partners, referrals and case
facts; the unit of work (one transaction with its outbox, for integration events and partner messages);
the clock; intake (the household's identity), the catalogue (an entry's title) and the partner topics.

``adapters`` implement them on the database, HTTP and Kafka; the unit tests implement them in memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from pydantic import BaseModel

from kmb_shared.contracts import Actor, IntegrationEvent

from ..adapters.catalogue_client import CatalogueEntry
from ..adapters.notifications import NotificationRow
from ..adapters.repository import ReferralFilter
from ..adapters.tables import CaseFactsRow, PartnerRow, ReferralRow
from ..domain import ClientIdentity

#: a new row of any of the service's tables
Row = PartnerRow | ReferralRow | CaseFactsRow | NotificationRow


class ReferralStore(Protocol):
    """The service's tables within one transaction.

    A referral changed by someone else meanwhile raises ``ConcurrentChange`` (when the change is
    flushed: at ``flush``, before a query, or at the commit)."""

    def add(self, row: Row) -> None: ...

    async def flush(self) -> None:
        """Write the pending changes (``AlreadyStored`` if a new row's key exists)."""
        ...

    # partners
    async def partner(self, slug: str) -> PartnerRow | None: ...

    async def partners(self) -> Sequence[PartnerRow]:
        """Every partner, by slug."""
        ...

    # referrals
    async def referral(self, referral_id: UUID) -> ReferralRow | None: ...

    async def find_referrals(self, where: ReferralFilter, today: date) -> Sequence[ReferralRow]:
        """Newest first; overdue = still ``made`` after its due day."""
        ...

    async def open_referrals_of_case(self, case_id: UUID) -> Sequence[ReferralRow]: ...

    async def overdue_candidates(self, today: date) -> Sequence[ReferralRow]:
        """Referrals still ``made`` after their due day whose overdue was not raised yet."""
        ...

    async def mark_overdue(self, referral_id: UUID) -> bool:
        """Mark the overdue raised if it still is not (and the referral is still ``made``); whether it was
        this call that marked it (a second copy of the service finds nothing to do)."""
        ...

    # intake's case facts
    async def case_facts(self, case_id: UUID) -> CaseFactsRow | None: ...

    # the workers' notifications
    async def notification(self, notification_id: UUID) -> NotificationRow | None: ...

    async def notifications(
        self, user_id: str, organisation: str, *, unread_only: bool = False, limit: int = 100
    ) -> Sequence[NotificationRow]:
        """The user's own, newest first."""
        ...

    async def mark_notifications_read(
        self, user_id: str, organisation: str, notification_id: UUID | None = None
    ) -> int:
        """Mark the user's one (or every) unread notification read; how many were."""
        ...

    async def unmailed_notifications(self, limit: int) -> Sequence[NotificationRow]:
        """Notifications not yet e-mailed (nor passed over), oldest first."""
        ...

    async def mark_mailed(self, notification_id: UUID) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: the store, the events and partner messages staged in it (they leave once it
    commits). ``commit`` raises ``ConcurrentChange`` or ``AlreadyStored`` (and has rolled back)."""

    @property
    def store(self) -> ReferralStore: ...

    def stage(self, event: IntegrationEvent) -> str:
        """Stage ``event`` in the outbox of this transaction; returns its id."""
        ...

    def stage_partner(self, *, topic: str, message_type: str, key: str, payload: BaseModel) -> str:
        """Stage a message in the partner's own shape for its topic; returns its id."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Opens a unit of work (``async with uow() as work: ...``); leaving it without a commit rolls back."""

    def __call__(self) -> AbstractAsyncContextManager[UnitOfWork]: ...


class Clock(Protocol):
    """Today in the Czech Republic (deadlines count Czech working days)."""

    def today(self) -> date: ...


class Identities(Protocol):
    """Intake, the only holder of personal data: the applicant's identity (only when a partner may get it).

    Raises ``IntakeUnavailable`` when it cannot be had."""

    async def for_partner(
        self, case_id: UUID, actor: Actor, credentials: Mapping[str, str], legal_basis: str | None = None
    ) -> tuple[ClientIdentity, str | None] | None:
        """The identity and case number for the partner signed in with ``credentials`` (intake checks
        the consent and logs the view), vouching for ``legal_basis`` if given; None if intake refuses."""
        ...

    async def case_status(self, case_id: UUID, credentials: Mapping[str, str]) -> str | None:
        """The case's status (``open``, ``closed``) as intake tells the worker signed in with
        ``credentials``; None when intake keeps no such case for them."""
        ...

    async def partner_token(self, slug: str, credentials: Mapping[str, str]) -> dict[str, Any]:
        """An API token for the partner (role partner, its slug), issued and recorded by intake as the
        caller (``credentials``); raises ``IntakeUnavailable``, or ``TokenRefused`` with intake's answer."""
        ...


class Catalogue(Protocol):
    """The catalogue: one entry, or None when it cannot be had (best effort)."""

    async def entry(
        self, solution_id: UUID, credentials: Mapping[str, str] | None = None
    ) -> CatalogueEntry | None: ...


class PartnerTopics(Protocol):
    """The partners' own topics on Kafka."""

    def name(self, slug: str) -> str:
        """The partner's topic with this deployment's prefix."""
        ...

    async def ensure(self, slugs: Sequence[str]) -> list[str]:
        """Create the topics that do not exist yet; the names created. ``TopicUnavailable`` when Kafka
        cannot be reached."""
        ...
