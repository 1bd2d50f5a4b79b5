from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from pydantic import ValidationError

from kmb_catalogue.domain import (
    CatalogueInvalid,
    Solution,
    SolutionCreate,
    SolutionKind,
    SolutionUpdate,
    VersionConflict,
    check_version,
    create_solution,
    update_solution,
    withdraw_solution,
)

from .conftest import solution_data

K = SolutionKind
MakeSolution = Callable[..., Solution]


def _create(kind: SolutionKind, /, **overrides: Any) -> SolutionCreate:
    data = solution_data(kind, **overrides)
    data.pop("id")
    return SolutionCreate.model_validate(data)


def test_created_entry_starts_at_version_one_with_the_given_id() -> None:
    created = create_solution(_create(K.NIGHT_SHELTER), UUID(int=42))
    assert created.id == UUID(int=42)
    assert created.version == 1
    assert not created.withdrawn


@pytest.mark.parametrize(
    ("kind", "overrides"),
    [
        (K.MUNICIPAL_FLAT, {"municipal_category": None}),
        (K.NGO_FLAT, {"municipal_category": "A"}),
        (K.NIGHT_SHELTER, {"capacity": None}),
        (K.HOUSING_ALLOWANCE, {"capacity": {"total": 1, "free": 1}}),
        (K.ASYLUM_HOUSE, {"capacity": {"total": 3, "free": 4}}),
        (K.ASYLUM_HOUSE, {"capacity": {"total": 3, "free": -1}}),
        (K.GUARANTEED_HOUSING, {"guarantee_provider": None}),
        (K.MARKET_OFFER, {"guarantee_provider": "Garant"}),
        (K.DEBT_ADVICE, {"valid_from": "2026-05-01", "valid_to": "2026-04-30"}),
        (K.DEBT_ADVICE, {"demo": True, "title": "Poradna bez označení"}),
        (K.DEBT_ADVICE, {"size_m2": 40}),
        (K.DEBT_ADVICE, {"contacts": {"phones": ["zavolejte"]}}),
        (K.DEBT_ADVICE, {"contacts": {"email": "bez-zavinace"}}),
        (K.DEBT_ADVICE, {"address": {"street": "Lipová 1", "city": "Lipovec", "postcode": "1234"}}),
        (K.DEBT_ADVICE, {"eligibility": {"ethos_categories": [14]}}),
        (
            K.DEBT_ADVICE,
            {"eligibility": {"required_flags": ["disability"], "excluded_flags": ["disability"]}},
        ),
        (K.DEBT_ADVICE, {"eligibility": {"min_age": 30, "max_age": 18}}),
        (K.DEBT_ADVICE, {"eligibility": {"min_household_size": 4, "max_household_size": 2}}),
        (K.DEBT_ADVICE, {"eligibility": {"need_levels": ["homeless"]}}),
        (
            K.DEBT_ADVICE,
            {"opening_hours": {"slots": [{"weekdays": [7], "opens": "08:00", "closes": "9:00"}]}},
        ),
        (
            K.DEBT_ADVICE,
            {"opening_hours": {"slots": [{"weekdays": [0], "opens": "08:00", "closes": "08:00"}]}},
        ),
        (K.DEBT_ADVICE, {"opening_hours": {"slots": []}}),
        (K.DEBT_ADVICE, {"kind": "castle"}),
        (K.DEBT_ADVICE, {"unknown_field": 1}),
    ],
)
def test_bad_values_are_rejected(kind: SolutionKind, overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _create(kind, **overrides)


def test_overnight_opening_hours_are_allowed() -> None:
    hours = {"slots": [{"weekdays": [0, 1, 2, 3, 4, 5, 6], "opens": "18:30", "closes": "07:30"}]}
    assert _create(K.NIGHT_SHELTER, opening_hours=hours).opening_hours is not None


def test_update_with_the_current_version_changes_fields_and_raises_the_version(
    make_solution: MakeSolution,
) -> None:
    current = make_solution(K.NIGHT_SHELTER)
    updated = update_solution(current, SolutionUpdate(version=1, title="Noclehárna U Mostu"))
    assert updated.title == "Noclehárna U Mostu"
    assert updated.version == 2
    assert updated.capacity == current.capacity


def test_update_based_on_a_stale_version_is_a_conflict(make_solution: MakeSolution) -> None:
    current = make_solution(K.NIGHT_SHELTER).model_copy(update={"version": 3})
    with pytest.raises(VersionConflict) as caught:
        update_solution(current, SolutionUpdate(version=2, title="Jiný název"))
    assert caught.value.code == "version_conflict"
    with pytest.raises(VersionConflict):
        check_version(current, 4)
    check_version(current, 3)


def test_update_that_breaks_a_kind_rule_is_rejected(make_solution: MakeSolution) -> None:
    with pytest.raises(ValidationError):
        update_solution(make_solution(K.NIGHT_SHELTER), SolutionUpdate(version=1, capacity=None))


def test_update_can_clear_an_end_of_validity(make_solution: MakeSolution) -> None:
    current = make_solution(K.DEBT_ADVICE, valid_to="2026-06-30")
    assert update_solution(current, SolutionUpdate(version=1, valid_to=None)).valid_to is None


def test_update_cannot_change_the_kind(make_solution: MakeSolution) -> None:
    with pytest.raises(ValidationError):
        SolutionUpdate.model_validate({"version": 1, "kind": "legal_aid"})


def test_withdrawn_entry_is_not_updated_again(make_solution: MakeSolution) -> None:
    withdrawn = withdraw_solution(make_solution(K.DEBT_ADVICE), 1)
    assert withdrawn.withdrawn and withdrawn.version == 2
    with pytest.raises(CatalogueInvalid):
        update_solution(withdrawn, SolutionUpdate(version=2, title="Nový název"))
