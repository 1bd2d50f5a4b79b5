"""In-memory ports of the application: a store of rows in dictionaries, a unit of work that collects the
events and partner messages it stages and counts its commits, a fixed clock, and stand-ins for intake,
the catalogue and the partner topics."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import BaseModel

from kmb_referrals.adapters.catalogue_client import CatalogueEntry
from kmb_referrals.adapters.intake_client import IntakeUnavailable
from kmb_referrals.adapters.notifications import NotificationRow
from kmb_referrals.adapters.repository import ReferralFilter, owner
from kmb_referrals.adapters.tables import CaseFactsRow, PartnerRow, ReferralRow
from kmb_referrals.application.deps import ReferralsDeps
from kmb_referrals.application.errors import TopicUnavailable
from kmb_referrals.config import ReferralsSettings
from kmb_referrals.domain import OPEN_STATES, ClientIdentity, ReferralState
from kmb_shared.clock import as_utc
from kmb_shared.contracts import Actor, IntegrationEvent

#: 2 March 2026 is a Monday
MONDAY = date(2026, 3, 2)


@dataclass
class FixedClock:
    day: date = MONDAY

    def today(self) -> date:
        return self.day


@dataclass
class FakeStore:
    """The three tables as dictionaries; the queries as the SQL store answers them."""

    partners_by_slug: dict[str, PartnerRow] = field(default_factory=dict)
    referrals_by_id: dict[UUID, ReferralRow] = field(default_factory=dict)
    cases: dict[UUID, CaseFactsRow] = field(default_factory=dict)
    notes: list[NotificationRow] = field(default_factory=list)
    #: the order rows were added in (the SQL store orders by ``made_at``, equal within one test)
    _order: dict[UUID, int] = field(default_factory=dict)

    def add(self, row: PartnerRow | ReferralRow | CaseFactsRow | NotificationRow) -> None:
        if isinstance(row, NotificationRow):
            self.notes.append(row)
        elif isinstance(row, PartnerRow):
            self.partners_by_slug[row.slug] = row
        elif isinstance(row, ReferralRow):
            self._order.setdefault(row.id, len(self._order))
            self.referrals_by_id[row.id] = row
        else:
            self.cases[row.case_id] = row

    async def flush(self) -> None:
        return None

    async def partner(self, slug: str) -> PartnerRow | None:
        return self.partners_by_slug.get(slug)

    async def partners(self) -> Sequence[PartnerRow]:
        return [self.partners_by_slug[slug] for slug in sorted(self.partners_by_slug)]

    async def referral(self, referral_id: UUID) -> ReferralRow | None:
        return self.referrals_by_id.get(referral_id)

    async def find_referrals(self, where: ReferralFilter, today: date) -> Sequence[ReferralRow]:
        def late(row: ReferralRow) -> bool:
            return row.status == ReferralState.MADE.value and row.due_on is not None and row.due_on < today

        rows = list(self.referrals_by_id.values())
        if where.organisation is not None:
            rows = [r for r in rows if owner(r, self.cases.get(r.case_id)) == where.organisation]
        if where.case_id is not None:
            rows = [r for r in rows if r.case_id == where.case_id]
        if where.partner is not None:
            rows = [r for r in rows if r.partner == where.partner]
        if where.status is not None:
            rows = [r for r in rows if r.status == where.status.value]
        if where.overdue is True:
            rows = [r for r in rows if late(r)]
        elif where.overdue is False:
            rows = [r for r in rows if not late(r)]
        if where.alerts_only:
            rows = [r for r in rows if r.declined_after_acceptance and r.alert_dismissed_at is None]
        rows.sort(key=lambda r: (-as_utc(r.made_at).timestamp(), -self._order[r.id]))
        return rows[: where.limit]

    async def open_referrals_of_case(self, case_id: UUID) -> Sequence[ReferralRow]:
        open_states = {s.value for s in OPEN_STATES}
        rows = [r for r in self.referrals_by_id.values() if r.case_id == case_id and r.status in open_states]
        return sorted(rows, key=lambda r: r.id)

    async def overdue_candidates(self, today: date) -> Sequence[ReferralRow]:
        return [
            r
            for r in self.referrals_by_id.values()
            if r.status == ReferralState.MADE.value
            and r.due_on is not None
            and r.due_on < today
            and r.overdue_raised_at is None
        ]

    async def mark_overdue(self, referral_id: UUID) -> bool:
        row = self.referrals_by_id.get(referral_id)
        if row is None or row.overdue_raised_at is not None or row.status != ReferralState.MADE.value:
            return False
        row.overdue_raised_at = datetime.now(UTC)
        return True

    async def case_facts(self, case_id: UUID) -> CaseFactsRow | None:
        return self.cases.get(case_id)


@dataclass(frozen=True)
class PartnerMessageOut:
    topic: str
    message_type: str
    key: str
    payload: BaseModel


@dataclass
class FakeUnitOfWork:
    """Stages events and partner messages in lists; ``committed`` and ``sent`` hold those of every
    commit, in order. (The store's changes are applied at once: a test of a refused command checks the
    commits and the staged lists.)"""

    store: FakeStore = field(default_factory=FakeStore)
    staged: list[IntegrationEvent] = field(default_factory=list)
    staged_partner: list[PartnerMessageOut] = field(default_factory=list)
    committed: list[IntegrationEvent] = field(default_factory=list)
    sent: list[PartnerMessageOut] = field(default_factory=list)
    commits: int = 0

    def stage(self, event: IntegrationEvent) -> str:
        self.staged.append(event)
        return str(uuid4())

    def stage_partner(self, *, topic: str, message_type: str, key: str, payload: BaseModel) -> str:
        self.staged_partner.append(PartnerMessageOut(topic, message_type, key, payload))
        return str(uuid4())

    async def commit(self) -> None:
        self.committed += self.staged
        self.sent += self.staged_partner
        self.staged, self.staged_partner = [], []
        self.commits += 1

    async def rollback(self) -> None:
        self.staged, self.staged_partner = [], []

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[FakeUnitOfWork]:
        """As a factory: every unit of work shares the one store (fresh staging lists each time)."""
        yield self
        self.staged, self.staged_partner = [], []


@dataclass
class FakeIntake:
    """Identities by case, given to a partner the case's ``consents`` name or with a vouched-for legal
    basis (else refused: None); cases' ``statuses``; ``down``: unavailable. Records (case, partner, legal
    basis) asked."""

    identities: dict[UUID, ClientIdentity] = field(default_factory=dict)
    consents: dict[UUID, set[str]] = field(default_factory=dict)
    down: bool = False
    asked: list[tuple[UUID, str, str | None]] = field(default_factory=list)
    #: a case's status as intake tells it (a case not named here: open; ``None``: intake keeps no such case)
    statuses: dict[UUID, str | None] = field(default_factory=dict)
    #: the cases whose status was asked
    status_asked: list[UUID] = field(default_factory=list)

    async def case_status(self, case_id: UUID, credentials: Mapping[str, str]) -> str | None:
        self.status_asked.append(case_id)
        if self.down:
            raise IntakeUnavailable("intake unreachable")
        return self.statuses.get(case_id, "open")

    async def for_partner(
        self, case_id: UUID, actor: Actor, credentials: Mapping[str, str], legal_basis: str | None = None
    ) -> tuple[ClientIdentity, str | None] | None:
        self.asked.append((case_id, actor.organisation, legal_basis))
        if self.down:
            raise IntakeUnavailable("intake unreachable")
        allowed = actor.organisation in self.consents.get(case_id, set()) or legal_basis is not None
        if not allowed or case_id not in self.identities:
            return None
        return self.identities[case_id], "KMB-2026-00042"


@dataclass
class FakeCatalogue:
    entries: dict[UUID, CatalogueEntry] = field(default_factory=dict)

    async def entry(
        self, solution_id: UUID, credentials: Mapping[str, str] | None = None
    ) -> CatalogueEntry | None:
        return self.entries.get(solution_id)


@dataclass
class FakePartnerTopics:
    """Topic names without a prefix; ``ensure`` records what it created (or fails when ``down``)."""

    existing: set[str] = field(default_factory=set)
    down: bool = False

    def name(self, slug: str) -> str:
        return f"kmb.partner.{slug}.v1"

    async def ensure(self, slugs: Sequence[str]) -> list[str]:
        names = [self.name(slug) for slug in slugs]
        if self.down:
            raise TopicUnavailable(f"cannot create {', '.join(names)}")
        created = [n for n in dict.fromkeys(names) if n not in self.existing]
        self.existing.update(created)
        return created


@dataclass
class Fakes:
    """One set of in-memory ports and the dependencies built on them."""

    uow: FakeUnitOfWork = field(default_factory=FakeUnitOfWork)
    clock: FixedClock = field(default_factory=FixedClock)
    intake: FakeIntake = field(default_factory=FakeIntake)
    catalogue: FakeCatalogue = field(default_factory=FakeCatalogue)
    topics: FakePartnerTopics = field(default_factory=FakePartnerTopics)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def store(self) -> FakeStore:
        return self.uow.store

    @property
    def deps(self) -> ReferralsDeps:
        return ReferralsDeps(
            settings=ReferralsSettings(**self.settings),
            uow=self.uow,
            clock=self.clock,
            partner_topics=self.topics,
            intake=self.intake,
            catalogue=self.catalogue,
            pseudonym_key=b"unit-test-pseudonym-key",
        )
