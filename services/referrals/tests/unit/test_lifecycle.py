from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest

from kmb_referrals.domain import (
    DeclineReason,
    IllegalTransition,
    NoteRequired,
    Partner,
    PartnerDoesNotAccept,
    PartnerKind,
    Referral,
    ReferralInvalid,
    ReferralKind,
    ReferralOutcome,
    ReferralState,
    accept,
    can_transition,
    cancel,
    complete,
    decline,
    make_case_conference,
    make_referral,
)

S = ReferralState
DAY = date(2026, 3, 3)
NewReferral = Callable[..., Referral]


def _in_state(referral: Referral, state: ReferralState) -> Referral:
    """Bring a fresh referral into ``state`` along a legal path."""
    if state is S.MADE:
        return referral
    if state is S.ACCEPTED:
        return accept(referral, DAY)
    if state is S.DECLINED:
        return decline(referral, DeclineReason.NO_CAPACITY, DAY)
    if state is S.COMPLETED:
        return complete(accept(referral, DAY), ReferralOutcome.SERVICE_PROVIDED, DAY)
    return cancel(referral, DAY)


def _apply(referral: Referral, target: ReferralState) -> Referral:
    if target is S.ACCEPTED:
        return accept(referral, DAY)
    if target is S.DECLINED:
        return decline(referral, DeclineReason.NOT_ELIGIBLE, DAY)
    if target is S.COMPLETED:
        return complete(referral, ReferralOutcome.SERVICE_PROVIDED, DAY)
    return cancel(referral, DAY)


LEGAL = [
    (S.MADE, S.ACCEPTED),
    (S.MADE, S.DECLINED),
    (S.MADE, S.CANCELLED),
    (S.ACCEPTED, S.COMPLETED),
    (S.ACCEPTED, S.DECLINED),
    (S.ACCEPTED, S.CANCELLED),
]
# the 14 pairs reachable through a function that must fail: 5 states x 4 targets - 6 legal
ILLEGAL = [
    (S.MADE, S.COMPLETED),
    (S.ACCEPTED, S.ACCEPTED),
    (S.DECLINED, S.ACCEPTED),
    (S.DECLINED, S.DECLINED),
    (S.DECLINED, S.COMPLETED),
    (S.DECLINED, S.CANCELLED),
    (S.COMPLETED, S.ACCEPTED),
    (S.COMPLETED, S.DECLINED),
    (S.COMPLETED, S.COMPLETED),
    (S.COMPLETED, S.CANCELLED),
    (S.CANCELLED, S.ACCEPTED),
    (S.CANCELLED, S.DECLINED),
    (S.CANCELLED, S.COMPLETED),
    (S.CANCELLED, S.CANCELLED),
]


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_legal_transition_moves_the_referral(
    new_referral: NewReferral, current: ReferralState, target: ReferralState
) -> None:
    before = _in_state(new_referral(), current)
    after = _apply(before, target)
    assert after.state is target
    assert after.version == before.version + 1
    assert after.history[-1].from_state is current and after.history[-1].to_state is target


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_illegal_transition_raises_and_changes_nothing(
    new_referral: NewReferral, current: ReferralState, target: ReferralState
) -> None:
    before = _in_state(new_referral(), current)
    with pytest.raises(IllegalTransition) as caught:
        _apply(before, target)
    assert caught.value.code == "illegal_transition"
    assert "nelze" in caught.value.message
    assert before.state is current


@pytest.mark.parametrize("current", list(S))
def test_no_state_can_return_to_made(current: ReferralState) -> None:
    assert not can_transition(current, S.MADE)


def test_only_the_six_listed_transitions_are_legal() -> None:
    legal = {(a, b) for a in S for b in S if can_transition(a, b)}
    assert legal == set(LEGAL)


def test_new_referral_starts_made_with_its_deadline(new_referral: NewReferral) -> None:
    # made Mon 2 Mar 2026, 5 working days (conftest config): Tue 3 … Fri 6 (4), Mon 9 (5)
    referral = new_referral(made_on=date(2026, 3, 2))
    assert referral.state is S.MADE
    assert referral.due_on == date(2026, 3, 9)
    assert referral.version == 1
    assert referral.is_open


def test_decline_after_acceptance_is_flagged_for_the_worker(new_referral: NewReferral) -> None:
    declined = decline(accept(new_referral(), DAY), DeclineReason.CLIENT_UNREACHABLE, DAY)
    assert declined.declined_after_acceptance
    assert declined.needs_worker_alert


def test_decline_before_acceptance_is_not_flagged(new_referral: NewReferral) -> None:
    declined = decline(new_referral(), DeclineReason.DUPLICATE, DAY)
    assert declined.decline_reason is DeclineReason.DUPLICATE
    assert not declined.declined_after_acceptance


def test_decline_for_other_reason_requires_a_note(new_referral: NewReferral) -> None:
    with pytest.raises(NoteRequired):
        decline(new_referral(), DeclineReason.OTHER, DAY)
    with pytest.raises(NoteRequired):
        decline(new_referral(), DeclineReason.OTHER, DAY, note="   ")
    declined = decline(new_referral(), DeclineReason.OTHER, DAY, note=" Klient se odstěhoval ")
    assert declined.decline_note == "Klient se odstěhoval"


def test_decline_reason_outside_the_fixed_list_is_rejected(new_referral: NewReferral) -> None:
    with pytest.raises(ValueError):
        decline(new_referral(), DeclineReason("busy"), DAY)


def test_completion_records_the_outcome_and_other_needs_a_note(new_referral: NewReferral) -> None:
    accepted = accept(new_referral(), DAY)
    assert complete(accepted, ReferralOutcome.HOUSED, DAY).outcome is ReferralOutcome.HOUSED
    with pytest.raises(NoteRequired):
        complete(accepted, ReferralOutcome.OTHER, DAY)


def test_change_dated_before_the_referral_was_made_is_rejected(new_referral: NewReferral) -> None:
    with pytest.raises(ReferralInvalid):
        accept(new_referral(made_on=date(2026, 3, 2)), date(2026, 3, 1))


def test_partner_that_does_not_take_the_kind_cannot_receive_it() -> None:
    labour_office = Partner(
        slug="up-lipovec",
        name="Úřad práce, kontaktní pracoviště Lipovec",
        kind=PartnerKind.LABOUR_OFFICE,
        accepted_kinds=frozenset({ReferralKind.BINDING_OPINION, ReferralKind.BENEFIT_CLAIM}),
    )
    with pytest.raises(PartnerDoesNotAccept):
        make_referral(
            referral_id=UUID(int=1),
            case_id=UUID(int=2),
            partner=labour_office,
            kind=ReferralKind.DEBT_ADVICE,
            made_on=DAY,
        )


def test_inactive_partner_receives_no_referral(partner: Partner) -> None:
    with pytest.raises(PartnerDoesNotAccept):
        make_referral(
            referral_id=UUID(int=1),
            case_id=UUID(int=2),
            partner=partner.model_copy(update={"active": False}),
            kind=ReferralKind.SOCIAL_WORK,
            made_on=DAY,
        )


def _org(slug: str) -> Partner:
    return Partner(
        slug=slug, name=f"Partner {slug}", kind=PartnerKind.OTHER, accepted_kinds=frozenset(ReferralKind)
    )


def test_case_conference_makes_one_referral_per_partner_with_one_conference_id() -> None:
    ids = iter(UUID(int=n) for n in range(10, 20))
    referrals = make_case_conference(
        case_id=UUID(int=2),
        partners=[_org("socialni-odbor"), _org("bytovy-odbor"), _org("up-lipovec")],
        made_on=DAY,
        new_id=lambda: next(ids),
    )
    assert [r.partner for r in referrals] == ["socialni-odbor", "bytovy-odbor", "up-lipovec"]
    assert {r.conference_id for r in referrals} == {UUID(int=10)}
    assert {r.kind for r in referrals} == {ReferralKind.CASE_CONFERENCE}
    assert [r.id for r in referrals] == [UUID(int=11), UUID(int=12), UUID(int=13)]


def test_case_conference_needs_two_distinct_partners() -> None:
    with pytest.raises(ReferralInvalid):
        make_case_conference(case_id=UUID(int=2), partners=[_org("a1")], made_on=DAY)
    with pytest.raises(ReferralInvalid):
        make_case_conference(case_id=UUID(int=2), partners=[_org("a1"), _org("a1")], made_on=DAY)
