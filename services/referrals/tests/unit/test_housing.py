from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest

from kmb_referrals.domain import (
    NotAHousingOffer,
    Referral,
    ReferralKind,
    ReferralState,
    accept,
    cancel,
    close_other_housing_referrals,
)

OTHER_CASE = UUID("00000000-0000-4000-8000-000000000002")
K = ReferralKind
DAY = date(2026, 3, 10)
NewReferral = Callable[..., Referral]


def test_accepting_a_municipal_flat_cancels_the_other_open_housing_searches(
    new_referral: NewReferral,
) -> None:
    offer = accept(new_referral(K.MUNICIPAL_FLAT_APPLICATION), DAY)
    market = new_referral(K.REAL_ESTATE_SEARCH)
    shelter = accept(new_referral(K.SOCIAL_SERVICE_PLACE), DAY)
    closed = close_other_housing_referrals(offer, [offer, market, shelter], DAY)
    assert [r.id for r in closed] == sorted([market.id, shelter.id], key=str)
    assert all(r.state is ReferralState.CANCELLED for r in closed)
    assert all(r.cancel_reason and "nabídku bydlení" in r.cancel_reason for r in closed)


def test_support_other_cases_and_closed_referrals_are_left_alone(new_referral: NewReferral) -> None:
    offer = new_referral(K.REAL_ESTATE_SEARCH)
    untouched = [
        new_referral(K.HOUSING_ASSISTANCE),
        new_referral(K.DEBT_ADVICE),
        new_referral(K.BINDING_OPINION),
        new_referral(K.MUNICIPAL_FLAT_APPLICATION, case_id=OTHER_CASE),
        cancel(new_referral(K.MUNICIPAL_FLAT_APPLICATION), DAY),
    ]
    assert close_other_housing_referrals(offer, [offer, *untouched], DAY) == ()


def test_a_shelter_place_is_not_a_housing_offer(new_referral: NewReferral) -> None:
    shelter = new_referral(K.SOCIAL_SERVICE_PLACE)
    with pytest.raises(NotAHousingOffer):
        close_other_housing_referrals(shelter, [new_referral(K.MUNICIPAL_FLAT_APPLICATION)], DAY)
