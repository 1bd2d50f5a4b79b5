from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kmb_catalogue.domain import (
    HouseholdType,
    MatchConfig,
    MatchRequest,
    NeedLevel,
    Solution,
    SolutionKind,
    check_eligibility,
)

K = SolutionKind
# every kind fits every need level, so only the entry's own rules decide
ALL_FIT = MatchConfig(relevance={level: dict.fromkeys(SolutionKind, 1.0) for level in NeedLevel})
MakeSolution = Callable[..., Solution]


def _request(**changes: Any) -> MatchRequest:
    base: dict[str, Any] = {"need_level": NeedLevel.INSECURE, "household_type": HouseholdType.SINGLE}
    return MatchRequest(**{**base, **changes})


def _blockers(solution: Solution, **changes: Any) -> list[str]:
    return check_eligibility(_request(**changes), solution, ALL_FIT).blockers


def test_income_above_the_entry_ceiling_blocks(make_solution: MakeSolution) -> None:
    flat = make_solution(K.NGO_FLAT, eligibility={"income_ceiling": 20000})
    assert _blockers(flat, income_monthly=25000) == ["Příjem 25 000 Kč překračuje limit 20 000 Kč."]
    assert _blockers(flat, income_monthly=20000) == []


def test_register_ceiling_blocks_above_and_asks_to_verify_when_unknown(make_solution: MakeSolution) -> None:
    flat = make_solution(K.MUNICIPAL_FLAT, eligibility={"within_register_ceiling": True})
    assert _blockers(flat, income_monthly=31000, income_ceiling=30000) == [
        "Příjem 31 000 Kč překračuje strop pro evidenci 30 000 Kč."
    ]
    unknown = check_eligibility(_request(income_monthly=31000), flat, ALL_FIT)
    assert unknown.blockers == [] and unknown.checks


def test_household_type_and_size_limits_block(make_solution: MakeSolution) -> None:
    house = make_solution(
        K.ASYLUM_HOUSE, eligibility={"household_types": ["single_parent"], "max_household_size": 4}
    )
    assert _blockers(house) == ["Určeno jen pro domácnosti: rodič samoživitel."]
    assert _blockers(house, household_type=HouseholdType.SINGLE_PARENT, household_size=5) == [
        "Pro nejvýše 4 osoby, domácnost má 5."
    ]
    assert _blockers(house, household_type=HouseholdType.SINGLE_PARENT, household_size=4) == []


def test_flat_too_small_for_the_household_blocks(make_solution: MakeSolution) -> None:
    flat = make_solution(K.MUNICIPAL_FLAT, size_m2=30)
    # 30 / 4 = 7.5 m² per person < 9.5; 30 / 3 = 10 m² >= 9.5
    assert _blockers(flat, household_size=4) == [
        "Byt 30 m² je pro 4 os. malý (7,5 m² na osobu, nejméně 9,5 m²)."
    ]
    assert _blockers(flat, household_size=3) == []


def test_need_level_and_ethos_category_limits(make_solution: MakeSolution) -> None:
    shelter = make_solution(
        K.NIGHT_SHELTER, eligibility={"need_levels": ["roofless"], "ethos_categories": [1, 2]}
    )
    assert _blockers(shelter, ethos_category=9) == [
        "Určeno jen pro situace: bez střechy.",
        "Určeno jen pro kategorie ETHOS 1, 2.",
    ]
    fit = check_eligibility(_request(need_level=NeedLevel.ROOFLESS, ethos_category=1), shelter, ALL_FIT)
    assert fit.blockers == []
    assert "Určeno pro kategorii ETHOS 1 (přežívající venku)." in fit.reasons


def test_required_and_excluded_flags(make_solution: MakeSolution) -> None:
    refuge = make_solution(K.WOMENS_SHELTER, eligibility={"required_flags": ["domestic_violence"]})
    assert _blockers(refuge) == ["Vyžaduje: domácí násilí."]
    assert _blockers(refuge, vulnerability_flags={"domestic_violence", "pregnancy"}) == []
    hostel = make_solution(K.COMMERCIAL_HOSTEL, eligibility={"excluded_flags": ["pregnancy"]})
    assert _blockers(hostel, vulnerability_flags={"pregnancy"}) == ["Není určeno pro: těhotenství."]


def test_children_not_allowed_blocks_families(make_solution: MakeSolution) -> None:
    shelter = make_solution(K.NIGHT_SHELTER, eligibility={"children_allowed": False})
    assert _blockers(shelter, children=1) == ["Nepřijímá domácnosti s dětmi."]
    assert _blockers(shelter, children=0) == []


@pytest.mark.parametrize(("age", "blocked"), [(17, True), (18, False), (26, False), (27, True)])
def test_age_limits_block_outside_the_range(make_solution: MakeSolution, age: int, blocked: bool) -> None:
    flat = make_solution(K.NGO_FLAT, eligibility={"min_age": 18, "max_age": 26})
    assert (_blockers(flat, applicant_age=age) == ["Věkový limit 18–26 let."]) is blocked
    assert (_blockers(flat, applicant_age=age) == []) is not blocked


def test_unknown_age_is_left_to_the_worker_to_verify(make_solution: MakeSolution) -> None:
    flat = make_solution(K.NGO_FLAT, eligibility={"min_age": 18, "max_age": 26})
    check = check_eligibility(_request(), flat, ALL_FIT)
    assert check.blockers == []
    assert check.checks == ["Ověřte věk: věkový limit 18–26 let."]


def test_barrier_free_need(make_solution: MakeSolution) -> None:
    stairs = make_solution(K.MUNICIPAL_FLAT, wheelchair_accessible=False)
    unknown = make_solution(K.MUNICIPAL_FLAT)
    level = make_solution(K.MUNICIPAL_FLAT, wheelchair_accessible=True)
    assert _blockers(stairs, needs_barrier_free=True) == ["Není bezbariérové."]
    assert check_eligibility(_request(needs_barrier_free=True), unknown, ALL_FIT).checks == [
        "Ověřte bezbariérovost."
    ]
    assert _blockers(level, needs_barrier_free=True) == []
    assert _blockers(stairs, needs_barrier_free=False) == []


def test_rent_above_forty_percent_of_income_is_a_warning_not_a_blocker_or_reason(
    make_solution: MakeSolution,
) -> None:
    flat = make_solution(K.MUNICIPAL_FLAT, rent_monthly=13500)
    # 13 500 / 28 000 = 0.482 -> 48 % > 40 %; 13 500 / 40 000 = 0.3375 -> no warning
    check = check_eligibility(_request(income_monthly=28000), flat, ALL_FIT)
    assert check.blockers == []
    assert check.warnings == ["Nájem by tvořil 48 % příjmu domácnosti (nad 40 % je to neúnosné)."]
    assert not any("Nájem by tvořil" in text for text in check.reasons + check.checks)
    assert check_eligibility(_request(income_monthly=40000), flat, ALL_FIT).warnings == []
    # unknown income (0): the share cannot be worked out, so no warning
    assert check_eligibility(_request(income_monthly=0), flat, ALL_FIT).warnings == []


def test_more_space_than_now_is_named_as_a_reason(make_solution: MakeSolution) -> None:
    flat = make_solution(K.MUNICIPAL_FLAT, size_m2=45)
    # 45 / 4 = 11.25 m² per person, rounded half up to 11.3, against 6 m² now
    check = check_eligibility(_request(household_size=4, m2_per_person=6.0), flat, ALL_FIT)
    assert "Víc prostoru: 11,3 m² na osobu místo nynějších 6 m²." in check.reasons
