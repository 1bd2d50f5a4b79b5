"""Referrals' use cases as one behavioural suite on three backends: the in-memory fake unit of work (fast
tier), and the SQL unit of work on SQLite and on PostgreSQL whose outbox is relayed to the real Kafka
broker, with the partners' topics created there (broker tier). The events asserted are the ones the
fake committed or the ones that arrived on the broker.

Days by hand: Monday 2 March 2026 + 3 working days (social work) = Thursday 5 March; + 10 working days
(binding opinion) = Monday 16 March."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from kmb_referrals.adapters.partner_topics import KafkaPartnerTopics
from kmb_referrals.adapters.store import SqlUnitsOfWork
from kmb_referrals.adapters.tables import ReferralRow
from kmb_referrals.application import jobs
from kmb_referrals.application.deps import ReferralsDeps
from kmb_referrals.application.errors import UnknownPartner
from kmb_referrals.application.lifecycle import BindingOpinion, Step, issue_binding_opinion, take_step
from kmb_referrals.application.partners import register_partner
from kmb_referrals.application.queries import ReferralFilter
from kmb_referrals.application.referrals import MakeReferral, refer
from kmb_referrals.bootstrap import MIGRATIONS
from kmb_referrals.config import ReferralsSettings
from kmb_referrals.domain import Partner, PartnerKind, PartnerUpdateKind, ReferralKind
from kmb_shared.contracts import Actor, IntegrationEvent
from kmb_testkit.backends import committed, relayed_outbox, type_names

from .fakes import MONDAY, FakeCatalogue, FakeIntake, FakePartnerTopics, FakeUnitOfWork, FixedClock

WORKER = Actor(user_id="worker-7", organisation="kmb-lipovec")
K = ReferralKind


@dataclass
class Backend:
    deps: ReferralsDeps
    events: Callable[[], Awaitable[list[IntegrationEvent]]]

    async def referral(self, referral_id: UUID) -> ReferralRow:
        async with self.deps.uow() as uow:
            row = await uow.store.referral(referral_id)
            assert row is not None
            return row

    async def referrals_count(self) -> int:
        async with self.deps.uow() as uow:
            return len(await uow.store.find_referrals(ReferralFilter(), MONDAY))

    async def partner(self, slug: str, *kinds: ReferralKind) -> None:
        body = Partner(
            slug=slug, name=f"Partner {slug}", kind=PartnerKind.NGO, accepted_kinds=frozenset(kinds)
        )
        async with self.deps.uow() as uow:
            await register_partner(self.deps, uow, body)

    async def refer(self, case_id: UUID, slug: str, kind: ReferralKind) -> UUID:
        async with self.deps.uow() as uow:
            row = await refer(
                self.deps, uow, MakeReferral(case_id=case_id, partner=slug, kind=kind), WORKER, {}
            )
            return row.id


def _deps(uow: Any, partner_topics: Any, settings: ReferralsSettings) -> ReferralsDeps:
    return ReferralsDeps(
        settings=settings,
        uow=uow,
        clock=FixedClock(),
        partner_topics=partner_topics,
        intake=FakeIntake(),
        catalogue=FakeCatalogue(),
        pseudonym_key=b"behaviour-pseudonym-key",
    )


@pytest.fixture
async def backend(backend_parts: tuple[str, str, str] | None) -> AsyncIterator[Backend]:
    if backend_parts is None:
        fake = FakeUnitOfWork()
        yield Backend(_deps(fake, FakePartnerTopics(), ReferralsSettings()), committed(fake.committed))
        return
    url, bootstrap, prefix = backend_parts
    settings = ReferralsSettings(kafka_bootstrap=bootstrap, topic_prefix=prefix, database_url=url)
    async with relayed_outbox("referrals", backend_parts, MIGRATIONS) as relayed:
        uow = SqlUnitsOfWork(relayed.db, relayed.outbox, lambda: None)
        partner_topics = KafkaPartnerTopics(settings, relayed.topics)

        async def referral_events() -> list[IntegrationEvent]:  # partner messages go to partner topics
            return await relayed.events([relayed.topics.context("referrals")])

        yield Backend(_deps(uow, partner_topics, settings), referral_events)


async def test_a_referral_is_made_with_its_deadline_and_a_refused_one_leaves_nothing(
    backend: Backend,
) -> None:
    await backend.partner("ngo-domov", K.SOCIAL_WORK)
    case_id = uuid4()
    with pytest.raises(UnknownPartner):
        await backend.refer(case_id, "nobody", K.SOCIAL_WORK)
    assert await backend.referrals_count() == 0

    referral_id = await backend.refer(case_id, "ngo-domov", K.SOCIAL_WORK)

    row = await backend.referral(referral_id)
    assert (row.status, row.due_on, row.identified) == ("made", date(2026, 3, 5), False)
    [made] = await backend.events()
    assert type(made).__name__ == "ReferralMade"
    assert (made.referral_id, made.due_on) == (referral_id, date(2026, 3, 5))  # type: ignore[attr-defined]


async def test_accepting_a_housing_offer_cancels_the_other_housing_searches(backend: Backend) -> None:
    await backend.partner("bytovy-odbor", K.MUNICIPAL_FLAT_APPLICATION)
    await backend.partner("ngo-domov", K.SOCIAL_SERVICE_PLACE, K.HOUSING_ASSISTANCE)
    case_id = uuid4()
    offer = await backend.refer(case_id, "bytovy-odbor", K.MUNICIPAL_FLAT_APPLICATION)
    shelter = await backend.refer(case_id, "ngo-domov", K.SOCIAL_SERVICE_PLACE)
    assistance = await backend.refer(case_id, "ngo-domov", K.HOUSING_ASSISTANCE)

    async with backend.deps.uow() as uow:
        await take_step(backend.deps, uow, offer, Step(PartnerUpdateKind.ACCEPTED), WORKER)

    statuses = [(await backend.referral(rid)).status for rid in (offer, shelter, assistance)]
    assert statuses == ["accepted", "cancelled", "made"]
    assert type_names(await backend.events()) == [
        "ReferralMade",
        "ReferralMade",
        "ReferralMade",
        "ReferralAccepted",
        "ReferralCancelled",
    ]


async def test_a_binding_opinion_accepts_and_completes_its_referral(backend: Backend) -> None:
    await backend.partner("up-lipovec", K.BINDING_OPINION)
    referral_id = await backend.refer(uuid4(), "up-lipovec", K.BINDING_OPINION)

    async with backend.deps.uow() as uow:
        opinion = BindingOpinion(positive=True, justified_housing_costs=9800)
        await issue_binding_opinion(backend.deps, uow, referral_id, opinion, WORKER)

    row = await backend.referral(referral_id)
    assert (row.status, row.due_on, row.opinion_positive) == ("completed", date(2026, 3, 16), True)
    assert type_names(await backend.events()) == [
        "ReferralMade",
        "ReferralAccepted",
        "BindingOpinionIssued",
        "ReferralCompleted",
    ]


async def test_the_deadline_job_raises_an_overdue_referral_once(backend: Backend) -> None:
    await backend.partner("ngo-domov", K.SOCIAL_WORK)
    referral_id = await backend.refer(uuid4(), "ngo-domov", K.SOCIAL_WORK)  # due Thursday 5 March

    assert await jobs.raise_overdue(backend.deps, date(2026, 3, 5)) == 0
    assert await jobs.raise_overdue(backend.deps, date(2026, 3, 6)) == 1
    assert await jobs.raise_overdue(backend.deps, date(2026, 3, 9)) == 0

    events = await backend.events()
    assert type_names(events) == ["ReferralMade", "ReferralOverdue"]
    assert events[1].referral_id == referral_id  # type: ignore[attr-defined]
    assert (await backend.referral(referral_id)).overdue_raised_at is not None
