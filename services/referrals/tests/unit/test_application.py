"""The use cases on in-memory fakes: making referrals (deadline, data minimisation, what is staged),
the lifecycle steps (a housing offer closes the other housing searches, a decline after acceptance
raises an alert), the binding opinion, the partner registry, intake's case facts and the deadline job.

Expected days are counted by hand on the Czech calendar: Monday 2 March 2026 plus 3 working days is
Thursday 5 March (social work answers within 3 working days by default)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from kmb_referrals.adapters.repository import new_partner_row
from kmb_referrals.application import jobs, queries
from kmb_referrals.application.details import DetailsUnavailable, referral_details
from kmb_referrals.application.errors import PartnerExists, TopicUnavailable, UnknownPartner, WrongKind
from kmb_referrals.application.handlers import on_case_facts
from kmb_referrals.application.lifecycle import (
    BindingOpinion,
    Step,
    dismiss_alert,
    issue_binding_opinion,
    take_step,
)
from kmb_referrals.application.partners import register_partner, update_partner
from kmb_referrals.application.referrals import MakeReferral, refer
from kmb_referrals.domain import (
    PARTNER_MESSAGE_TYPE,
    PARTNER_STATUS_TYPE,
    ClientIdentity,
    DeclineReason,
    IllegalTransition,
    Partner,
    PartnerDoesNotAccept,
    PartnerKind,
    PartnerUpdateKind,
    ReferralKind,
    ReferralOutcome,
    ReferralState,
)
from kmb_shared.contracts import (
    Actor,
    BindingOpinionIssued,
    CaseOpened,
    HouseholdChanged,
    HouseholdSnapshot,
    MemberSnapshot,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralMade,
    ReferralOverdue,
)
from kmb_shared.errors import NotFoundError

from .fakes import MONDAY, Fakes

WORKER = Actor(user_id="worker-7", organisation="kmb-lipovec")
PARTNER_USER = Actor(user_id="ngo-domov-user-1", organisation="ngo-domov")
K = ReferralKind


def partner(fakes: Fakes, slug: str, *kinds: ReferralKind) -> None:
    fakes.store.add(
        new_partner_row(
            Partner(slug=slug, name=f"Partner {slug}", kind=PartnerKind.NGO, accepted_kinds=frozenset(kinds))
        )
    )


def case_opened(
    case_id: UUID, *, consent: tuple[str, ...] = (), at: datetime | None = None, actor: Actor = WORKER
) -> CaseOpened:
    """Intake's CaseOpened; its actor's organisation (the worker's by default) is the case's."""
    return CaseOpened(
        case_id=case_id,
        case_number="KMB-2026-00001",
        occurred_at=at or datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        actor=actor,
        household=HouseholdSnapshot(
            members=(
                MemberSnapshot(age_band="26-64", relationship="applicant"),
                MemberSnapshot(age_band="6-14", relationship="child", dependent=True),
                MemberSnapshot(age_band="15-17", relationship="child", dependent=True),
            ),
            district="Lipovec-sever",
            consent_partners=consent,
        ),
    )


async def make(fakes: Fakes, case_id: UUID, slug: str, kind: ReferralKind) -> UUID:
    row = await refer(
        fakes.deps, fakes.uow, MakeReferral(case_id=case_id, partner=slug, kind=kind), WORKER, {}
    )
    return row.id


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


async def test_a_referral_gets_its_deadline_and_goes_pseudonymously_without_consent(fakes: Fakes) -> None:
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    case_id = uuid4()
    referral_id = await make(fakes, case_id, "ngo-domov", K.SOCIAL_WORK)

    row = fakes.store.referrals_by_id[referral_id]
    assert (row.status, row.made_on, row.due_on) == ("made", MONDAY, date(2026, 3, 5))
    assert not row.identified and row.disclosure_basis is None
    assert fakes.intake.asked == []  # no consent, no legal basis: intake is not even asked
    assert fakes.uow.commits == 1
    [made] = fakes.uow.committed
    assert isinstance(made, ReferralMade)
    assert (made.referral_id, made.partner, made.kind, made.due_on) == (
        referral_id,
        "ngo-domov",
        "social_work",
        date(2026, 3, 5),
    )
    [message] = fakes.uow.sent
    assert (message.topic, message.message_type) == ("kmb.partner.ngo-domov.v1", PARTNER_MESSAGE_TYPE)
    assert message.key != str(case_id)  # the per-partner pseudonym, never the internal case id
    assert "client" not in message.payload.model_dump()


async def test_with_consent_the_message_carries_no_identity_and_the_partner_fetches_it(
    fakes: Fakes,
) -> None:
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    case_id = uuid4()
    await on_case_facts(case_opened(case_id, consent=("ngo-domov",)), fakes.store)
    fakes.intake.identities[case_id] = ClientIdentity(
        full_name="Jana Nováková", phone="+420 777 000 111", birth_date=date(1980, 1, 2)
    )
    fakes.intake.consents[case_id] = {"ngo-domov"}

    referral_id = await make(fakes, case_id, "ngo-domov", K.SOCIAL_WORK)

    assert fakes.intake.asked == [], "nothing is fetched when the referral is made"
    row = fakes.store.referrals_by_id[referral_id]
    assert row.identified and row.disclosure_basis == "consent"
    [message] = fakes.uow.sent
    payload = message.payload.model_dump()
    assert payload["identified"] is True and "client" not in payload
    assert payload["details"] == f"/api/partner/ngo-domov/referrals/{referral_id}"

    details = await referral_details(fakes.deps, row, PARTNER_USER, {"Authorization": "Bearer p"})

    assert fakes.intake.asked == [(case_id, "ngo-domov", None)], "the consent is intake's to check"
    assert details.client is not None and details.client.full_name == "Jana Nováková"
    assert details.client.birth_date is None, "social work does not need the birth date"
    assert details.case_number == "KMB-2026-00042"


async def test_with_consent_but_intake_away_the_referral_is_made_and_the_details_wait(
    fakes: Fakes,
) -> None:
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    case_id = uuid4()
    await on_case_facts(case_opened(case_id, consent=("ngo-domov",)), fakes.store)
    fakes.intake.down = True

    referral_id = await make(fakes, case_id, "ngo-domov", K.SOCIAL_WORK)

    row = fakes.store.referrals_by_id[referral_id]
    assert row.identified and fakes.uow.commits == 1
    with pytest.raises(DetailsUnavailable):
        await referral_details(fakes.deps, row, PARTNER_USER, {})


async def test_an_unknown_partner_or_a_kind_it_does_not_take_is_refused_and_nothing_staged(
    fakes: Fakes,
) -> None:
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    with pytest.raises(UnknownPartner):
        await make(fakes, uuid4(), "nobody", K.SOCIAL_WORK)
    with pytest.raises(PartnerDoesNotAccept):
        await make(fakes, uuid4(), "ngo-domov", K.LEGAL_AID)
    assert fakes.uow.commits == 0
    assert fakes.uow.staged == [] and fakes.uow.staged_partner == []
    assert fakes.store.referrals_by_id == {}


async def test_accepting_a_housing_offer_cancels_the_other_housing_searches_of_the_household(
    fakes: Fakes,
) -> None:
    partner(fakes, "bytovy-odbor", K.MUNICIPAL_FLAT_APPLICATION)
    partner(fakes, "realitni-expert", K.REAL_ESTATE_SEARCH)
    partner(fakes, "ngo-domov", K.SOCIAL_SERVICE_PLACE, K.HOUSING_ASSISTANCE)
    case_id = uuid4()
    offer = await make(fakes, case_id, "bytovy-odbor", K.MUNICIPAL_FLAT_APPLICATION)
    market = await make(fakes, case_id, "realitni-expert", K.REAL_ESTATE_SEARCH)
    shelter = await make(fakes, case_id, "ngo-domov", K.SOCIAL_SERVICE_PLACE)
    assistance = await make(fakes, case_id, "ngo-domov", K.HOUSING_ASSISTANCE)
    other_case = await make(fakes, uuid4(), "realitni-expert", K.REAL_ESTATE_SEARCH)
    fakes.uow.committed.clear()

    await take_step(fakes.deps, fakes.uow, offer, Step(PartnerUpdateKind.ACCEPTED), WORKER)

    status = {rid: fakes.store.referrals_by_id[rid].status for rid in (offer, market, shelter, assistance)}
    assert status == {offer: "accepted", market: "cancelled", shelter: "cancelled", assistance: "made"}
    assert fakes.store.referrals_by_id[other_case].status == "made"
    accepted, *cancelled = fakes.uow.committed
    assert isinstance(accepted, ReferralAccepted) and accepted.referral_id == offer
    assert sorted(str(e.referral_id) for e in cancelled) == sorted([str(market), str(shelter)])
    assert all(isinstance(e, ReferralCancelled) and e.reason == "housing_offer_accepted" for e in cancelled)
    assert fakes.uow.commits == 6  # five referrals, then the acceptance with its cancellations at once


async def test_a_decline_after_acceptance_raises_an_alert_the_worker_dismisses(fakes: Fakes) -> None:
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    referral_id = await make(fakes, uuid4(), "ngo-domov", K.SOCIAL_WORK)
    deps = fakes.deps
    await take_step(
        deps, fakes.uow, referral_id, Step(PartnerUpdateKind.ACCEPTED), PARTNER_USER, partner="ngo-domov"
    )
    declined = Step(PartnerUpdateKind.DECLINED, reason=DeclineReason.NO_CAPACITY)
    await take_step(deps, fakes.uow, referral_id, declined, PARTNER_USER, partner="ngo-domov")

    event = fakes.uow.committed[-1]
    assert isinstance(event, ReferralDeclined) and event.after_acceptance
    assert [r.id for r in await queries.alerts(fakes.store, MONDAY)] == [referral_id]

    await dismiss_alert(fakes.uow, referral_id)
    assert await queries.alerts(fakes.store, MONDAY) == []
    with pytest.raises(IllegalTransition):
        await take_step(deps, fakes.uow, referral_id, Step(PartnerUpdateKind.ACCEPTED), WORKER)


async def test_a_referral_of_another_partner_is_not_found_for_a_partner(fakes: Fakes) -> None:
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    partner(fakes, "ngo-jiny", K.SOCIAL_WORK)
    referral_id = await make(fakes, uuid4(), "ngo-jiny", K.SOCIAL_WORK)
    with pytest.raises(NotFoundError):
        await take_step(
            fakes.deps,
            fakes.uow,
            referral_id,
            Step(PartnerUpdateKind.ACCEPTED),
            PARTNER_USER,
            partner="ngo-domov",
        )
    assert fakes.store.referrals_by_id[referral_id].status == "made"


async def test_the_binding_opinion_accepts_records_and_completes_the_referral(fakes: Fakes) -> None:
    partner(fakes, "up-lipovec", K.BINDING_OPINION, K.BENEFIT_CLAIM)
    referral_id = await make(fakes, uuid4(), "up-lipovec", K.BINDING_OPINION)
    fakes.uow.committed.clear()
    fakes.uow.sent.clear()
    opinion = BindingOpinion(positive=True, justified_housing_costs=9800, estimated_benefit=4200)

    await issue_binding_opinion(fakes.deps, fakes.uow, referral_id, opinion, WORKER)

    row = fakes.store.referrals_by_id[referral_id]
    assert (row.status, row.outcome) == ("completed", ReferralOutcome.OPINION_ISSUED.value)
    assert (row.opinion_positive, row.opinion_housing_costs, row.opinion_estimated_benefit) == (
        True,
        9800,
        4200,
    )
    accepted, issued, completed = fakes.uow.committed
    assert isinstance(accepted, ReferralAccepted)
    assert isinstance(issued, BindingOpinionIssued) and issued.positive and issued.estimated_benefit == 4200
    assert isinstance(completed, ReferralCompleted) and completed.outcome == "opinion_issued"
    assert [m.message_type for m in fakes.uow.sent] == [PARTNER_STATUS_TYPE, PARTNER_STATUS_TYPE]
    assert [m.payload.model_dump()["update"] for m in fakes.uow.sent] == ["accepted", "binding_opinion"]


async def test_a_binding_opinion_on_another_kind_is_refused(fakes: Fakes) -> None:
    partner(fakes, "up-lipovec", K.BINDING_OPINION, K.BENEFIT_CLAIM)
    referral_id = await make(fakes, uuid4(), "up-lipovec", K.BENEFIT_CLAIM)
    with pytest.raises(WrongKind):
        await issue_binding_opinion(
            fakes.deps, fakes.uow, referral_id, BindingOpinion(positive=False), WORKER
        )
    assert fakes.uow.commits == 1  # only the referral itself
    assert fakes.store.referrals_by_id[referral_id].status == "made"


async def test_the_deadline_job_raises_an_overdue_referral_once(fakes: Fakes) -> None:
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    referral_id = await make(fakes, uuid4(), "ngo-domov", K.SOCIAL_WORK)  # due Thursday 5 March
    fakes.uow.committed.clear()

    assert await jobs.raise_overdue(fakes.deps, date(2026, 3, 5)) == 0  # the due day itself is in time
    assert await jobs.raise_overdue(fakes.deps, date(2026, 3, 6)) == 1
    assert await jobs.raise_overdue(fakes.deps, date(2026, 3, 9)) == 0  # raised once only

    [overdue] = fakes.uow.committed
    assert isinstance(overdue, ReferralOverdue)
    assert (overdue.referral_id, overdue.due_on) == (referral_id, date(2026, 3, 5))
    assert fakes.store.referrals_by_id[referral_id].status == ReferralState.MADE.value


async def test_registering_a_partner_creates_its_topic_and_a_second_time_is_a_conflict(fakes: Fakes) -> None:
    body = Partner(
        slug="ngo-domov", name="Domov", kind=PartnerKind.NGO, accepted_kinds=frozenset({K.SOCIAL_WORK})
    )
    await register_partner(fakes.deps, fakes.uow, body)
    assert fakes.topics.existing == {"kmb.partner.ngo-domov.v1"}
    assert fakes.uow.commits == 1
    with pytest.raises(PartnerExists):
        await register_partner(fakes.deps, fakes.uow, body)
    assert fakes.uow.commits == 1


async def test_without_kafka_a_partner_is_not_registered(fakes: Fakes) -> None:
    fakes.topics.down = True
    body = Partner(
        slug="ngo-domov", name="Domov", kind=PartnerKind.NGO, accepted_kinds=frozenset({K.SOCIAL_WORK})
    )
    with pytest.raises(TopicUnavailable):
        await register_partner(fakes.deps, fakes.uow, body)
    assert fakes.uow.commits == 0


async def test_a_deactivated_partner_takes_no_new_referral(fakes: Fakes) -> None:
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    await update_partner(fakes.uow, "ngo-domov", {"active": False})
    with pytest.raises(PartnerDoesNotAccept):
        await make(fakes, uuid4(), "ngo-domov", K.SOCIAL_WORK)
    assert await queries.partners_taking(fakes.store, K.SOCIAL_WORK) == []


async def test_case_facts_count_children_and_ignore_an_older_event(fakes: Fakes) -> None:
    case_id = uuid4()
    later = case_opened(case_id, consent=("ngo-domov",), at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    await on_case_facts(later, fakes.store)
    older = HouseholdChanged(
        case_id=case_id,
        case_number="KMB-2026-00001",
        occurred_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        household=HouseholdSnapshot(members=(MemberSnapshot(age_band="26-64", relationship="applicant"),)),
    )
    await on_case_facts(older, fakes.store)

    facts = await queries.case_facts(fakes.store, case_id)
    # applicant 26-64, children 6-14 and 15-17: three members, two of them under 18
    assert (facts.household_size, facts.children) == (3, 2)
    assert facts.consent_partners == frozenset({"ngo-domov"})
    assert facts.district == "Lipovec-sever"
