"""Subsistence minimum and household type (zákon č. 110/2006 Sb. amounts of rule set 2026.1)."""

from __future__ import annotations

from datetime import date

import pytest

from kmb_assessment.domain import HouseholdType, rule_set_for
from kmb_assessment.domain.household import count_children, household_type, subsistence_minimum

from .situations import member

AMOUNTS = rule_set_for(date(2026, 3, 2)).subsistence_minimum


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ((), 0),
        (("26-64 applicant",), 4860),  # single person
        (("6-14 applicant",), 4860),  # one person is a single person whatever the age
        (("26-64 applicant", "26-64 partner"), 8510),  # 4470 + 4040
        (("26-64 applicant", "26-64 partner", "65+ parent"), 12550),  # 4470 + 4040 + 4040
        (("26-64 applicant", "0-5 child", "6-14 child", "15-17 child"), 13490),  # 4470 + 2480 + 3050 + 3490
        (("26-64 applicant", "18-25 child dependent"), 7960),  # 4470 + 3490
        (("26-64 applicant", "18-25 child"), 8510),  # not dependent: 4470 + 4040
        (("26-64 applicant", "26-64 child dependent"), 8510),  # 26+ is never a dependent child
        (("6-14 child", "15-17 child"), 6540),  # children only: 3050 + 3490
        (("unknown applicant", "0-5 child"), 6950),  # unknown band counts as adult: 4470 + 2480
    ],
)
def test_subsistence_minimum_of_the_household(members: tuple[str, ...], expected: int) -> None:
    assert subsistence_minimum([member(spec) for spec in members], AMOUNTS) == expected


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ((), HouseholdType.OTHER),
        (("26-64 applicant",), HouseholdType.SINGLE),
        (("65+ applicant",), HouseholdType.SENIOR),
        (("65+ applicant", "65+ partner"), HouseholdType.SENIOR),
        (("26-64 applicant", "26-64 partner"), HouseholdType.COUPLE),
        (("26-64 applicant", "65+ spouse"), HouseholdType.COUPLE),
        (("26-64 applicant", "26-64 sibling"), HouseholdType.OTHER),
        (("26-64 applicant", "0-5 child"), HouseholdType.SINGLE_PARENT),
        (("65+ applicant", "6-14 other_relative"), HouseholdType.SINGLE_PARENT),  # grandparent caring alone
        (("26-64 applicant", "26-64 partner", "0-5 child"), HouseholdType.FAMILY_WITH_CHILDREN),
        (("26-64 applicant", "65+ parent", "6-14 child"), HouseholdType.FAMILY_WITH_CHILDREN),
        (("15-17 applicant", "6-14 sibling"), HouseholdType.OTHER),  # children only
        (("26-64 applicant", "26-64 partner", "26-64 other"), HouseholdType.OTHER),
    ],
)
def test_household_type(members: tuple[str, ...], expected: HouseholdType) -> None:
    assert household_type([member(spec) for spec in members]) is expected


def test_children_are_minors_and_dependent_young_adults() -> None:
    members = [
        member(spec) for spec in ("26-64 applicant", "15-17 child", "18-25 child dependent", "18-25 child")
    ]
    assert count_children(members) == 2
