"""The referrals' codes are the shared vocabulary's, and their Czech labels read as before."""

from __future__ import annotations

import pytest

from kmb_referrals.application.publishing import CANCELLED_BY_WORKER, HOUSING_OFFER_ACCEPTED
from kmb_referrals.domain import (
    DeclineReason,
    ReferralKind,
    ReferralOutcome,
    ReferralState,
    decline_reason_label,
    kind_label,
    outcome_label,
    state_label,
)
from kmb_shared.contracts.vocabulary import (
    CANCEL_REASONS,
    DECLINE_REASONS,
    REFERRAL_KINDS,
    REFERRAL_OUTCOMES,
    REFERRAL_STATES,
    Vocabulary,
)


@pytest.mark.parametrize(
    ("codes", "vocabulary"),
    [
        (ReferralKind, REFERRAL_KINDS),
        (DeclineReason, DECLINE_REASONS),
        (ReferralOutcome, REFERRAL_OUTCOMES),
        (ReferralState, REFERRAL_STATES),
    ],
)
def test_every_code_of_the_domain_is_offered_by_the_vocabulary_in_the_same_order(
    codes: type, vocabulary: Vocabulary
) -> None:
    assert [c.value for c in codes] == list(vocabulary.codes)


def test_cancel_reason_codes_are_in_the_vocabulary() -> None:
    assert CANCELLED_BY_WORKER in CANCEL_REASONS
    assert HOUSING_OFFER_ACCEPTED in CANCEL_REASONS


def test_labels_are_capitalised_for_kinds_reasons_and_outcomes_and_lower_case_for_states() -> None:
    assert kind_label(ReferralKind.HOUSING_ASSISTANCE) == "Asistence v bydlení (§ 22)"
    assert kind_label("binding_opinion") == "Závazné stanovisko Úřadu práce (§ 18)"
    assert decline_reason_label(DeclineReason.CLIENT_UNREACHABLE) == "Klient je nedostupný"
    assert outcome_label(ReferralOutcome.CLIENT_DID_NOT_ATTEND) == "Klient se nedostavil"
    assert state_label(ReferralState.MADE) == "předáno"
    assert state_label(ReferralState.CANCELLED) == "zrušeno"


def test_an_unknown_code_never_shows_raw() -> None:
    assert kind_label("no_such_kind") == "Nezařazeno"
    assert state_label("") == "neuvedeno"
