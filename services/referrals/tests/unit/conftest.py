from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest

from kmb_referrals.domain import (
    DeadlineConfig,
    Partner,
    PartnerKind,
    Referral,
    ReferralKind,
    make_referral,
)

CASE = UUID("00000000-0000-4000-8000-000000000001")
OTHER_CASE = UUID("00000000-0000-4000-8000-000000000002")
# every kind answers within 5 working days, so tests do not depend on the shipped defaults
FIVE_DAYS = DeadlineConfig(response_days={}, default_days=5)


def _partner(slug: str = "ngo-domov", kinds: frozenset[ReferralKind] | None = None) -> Partner:
    return Partner(
        slug=slug,
        name="Domov pro všechny, z. s.",
        kind=PartnerKind.NGO,
        accepted_kinds=kinds if kinds is not None else frozenset(ReferralKind),
    )


@pytest.fixture
def partner() -> Partner:
    return _partner()


@pytest.fixture
def new_referral() -> Callable[..., Referral]:
    counter = iter(range(1, 1000))

    def build(
        kind: ReferralKind = ReferralKind.SOCIAL_WORK,
        case_id: UUID = CASE,
        made_on: date = date(2026, 3, 2),
        partner_slug: str = "ngo-domov",
    ) -> Referral:
        return make_referral(
            referral_id=UUID(int=next(counter)),
            case_id=case_id,
            partner=_partner(partner_slug),
            kind=kind,
            made_on=made_on,
            config=FIVE_DAYS,
        )

    return build
