from __future__ import annotations

from uuid import UUID

import pytest

from kmb_referrals.adapters.catalogue_client import CatalogueEntry, entry_from_solution
from kmb_referrals.domain import ReferralKind, referral_kind_for_solution

R = ReferralKind


@pytest.mark.parametrize(
    ("solution_kind", "expected"),
    [
        # the correspondences the refer page preselects (each named in the task's map)
        ("housing_assistance", R.HOUSING_ASSISTANCE),
        ("debt_advice", R.DEBT_ADVICE),
        ("legal_aid", R.LEGAL_AID),
        ("field_social_work", R.SOCIAL_WORK),
        ("real_estate_expert", R.REAL_ESTATE_SEARCH),
        ("municipal_flat", R.MUNICIPAL_FLAT_APPLICATION),
        ("supported_municipal_housing", R.MUNICIPAL_FLAT_APPLICATION),
        ("night_shelter", R.SOCIAL_SERVICE_PLACE),
        ("asylum_house", R.SOCIAL_SERVICE_PLACE),
        ("womens_shelter", R.SOCIAL_SERVICE_PLACE),
        ("housing_allowance", R.BENEFIT_CLAIM),
        ("housing_supplement", R.BENEFIT_CLAIM),
        ("emergency_aid", R.BENEFIT_CLAIM),
    ],
)
def test_a_catalogue_kind_with_a_matching_referral_kind_maps_to_it(
    solution_kind: str, expected: ReferralKind
) -> None:
    assert referral_kind_for_solution(solution_kind) is expected


@pytest.mark.parametrize(
    "solution_kind",
    ["ngo_flat", "sublease_housing", "guaranteed_housing", "market_offer", "commercial_hostel", "x"],
)
def test_a_catalogue_kind_without_a_matching_referral_kind_preselects_nothing(solution_kind: str) -> None:
    assert referral_kind_for_solution(solution_kind) is None


def test_the_shown_fields_are_read_from_the_catalogue_entry() -> None:
    data = {
        "id": str(UUID(int=5)),
        "kind": "housing_assistance",
        "title": " Asistence v bydlení ",
        "provider": {"name": "Charita Lipovec"},
        "capacity": {"total": 15, "free": 4},
    }
    assert entry_from_solution(data) == CatalogueEntry(
        id=UUID(int=5), kind="housing_assistance", title="Asistence v bydlení", provider="Charita Lipovec"
    )
    assert entry_from_solution({**data, "provider": {"name": ""}}).provider is None


@pytest.mark.parametrize("data", [[], {"kind": "legal_aid"}, {"id": "x", "kind": "legal_aid", "title": "T"}])
def test_an_entry_without_its_fields_is_refused(data: object) -> None:
    with pytest.raises(ValueError):
        entry_from_solution(data)
