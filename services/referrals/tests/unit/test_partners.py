from __future__ import annotations

import pytest
from pydantic import ValidationError

from kmb_referrals.domain import Partner, PartnerContact, PartnerKind, ReferralKind, partner_topic


def _partner(slug: str, kind: PartnerKind = PartnerKind.NGO) -> Partner:
    return Partner(
        slug=slug, name="Naděje Lipovec", kind=kind, accepted_kinds=frozenset({ReferralKind.SOCIAL_WORK})
    )


@pytest.mark.parametrize("slug", ["up", "nadeje-lipovec", "a" * 40, "ngo-7"])
def test_valid_slug_gives_the_partner_topic(slug: str) -> None:
    assert _partner(slug).topic == f"kmb.partner.{slug}.v1"


@pytest.mark.parametrize("slug", ["a", "a" * 41, "Nadeje", "nadeje_lipovec", "naděje", "ab\n", "a b", ""])
def test_invalid_slug_is_rejected(slug: str) -> None:
    with pytest.raises(ValidationError):
        _partner(slug)
    with pytest.raises(ValueError):
        partner_topic(slug)


def test_social_and_housing_departments_are_internal_partners() -> None:
    assert _partner("socialni-odbor", PartnerKind.SOCIAL_DEPARTMENT).internal
    assert _partner("bytovy-odbor", PartnerKind.HOUSING_DEPARTMENT).internal
    assert not _partner("up-lipovec", PartnerKind.LABOUR_OFFICE).internal
    assert not _partner("advokat", PartnerKind.LEGAL_SERVICE).internal


def test_partner_must_accept_at_least_one_kind() -> None:
    with pytest.raises(ValidationError):
        Partner(slug="nic", name="Nikdo", kind=PartnerKind.OTHER, accepted_kinds=frozenset())


def test_unknown_referral_kind_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Partner.model_validate({"slug": "nic", "name": "Nikdo", "kind": "ngo", "accepted_kinds": ["haircut"]})


def test_malformed_contact_is_rejected() -> None:
    with pytest.raises(ValidationError):
        PartnerContact(email="not-an-address")
    with pytest.raises(ValidationError):
        PartnerContact(phone="call me")
    assert PartnerContact(phone="+420 000 111 222", email="info@lipovec.example").phone == "+420 000 111 222"
