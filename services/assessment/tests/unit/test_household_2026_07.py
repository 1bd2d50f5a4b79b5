"""Subsistence minimum and dependent children under the categories of 1 July 2026 (rule set 2026.3).

Amounts (zákon č. 110/2006 Sb. from 1 July 2026): single 5,500; first person 5,000; each further
person 15+ who is not a dependent child 3,750; dependent child <6: 2,480, 6-15: 3,050, 15-26: 3,490.
"""

from __future__ import annotations

from datetime import date

import pytest

from kmb_assessment.domain import HouseholdType, rule_set_for
from kmb_assessment.domain.household import (
    MissingFactsError,
    count_children,
    household_type,
    is_dependent_child,
    missing_dependent_child_facts,
    subsistence_minimum,
)
from kmb_assessment.domain.rules import SubsistenceMinimumFurtherPerson15

from .situations import Situation, member

NEW = rule_set_for(date(2026, 7, 1)).subsistence_minimum
OLD = rule_set_for(date(2026, 6, 30)).subsistence_minimum


def test_the_july_2026_set_has_the_new_categories() -> None:
    assert isinstance(NEW, SubsistenceMinimumFurtherPerson15)
    assert (NEW.single_person, NEW.first_person, NEW.further_person_15_plus) == (5500, 5000, 3750)
    assert (NEW.child_under_6, NEW.child_6_to_15, NEW.dependent_15_to_26) == (2480, 3050, 3490)


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ((), 0),
        (("26-64 applicant",), 5500),  # single person
        (("15-17 applicant",), 5500),  # one person: the single-person amount, nothing to ask
        (("26-64 applicant", "26-64 partner"), 8750),  # 5000 + 3750
        (("26-64 applicant", "26-64 partner", "65+ parent"), 12500),  # 5000 + 3750 + 3750
        (("26-64 applicant", "26-64 partner", "18-25 child dependent works"), 12500),  # the son
        (("26-64 applicant", "26-64 partner", "18-25 child dependent studies"), 12240),  # 5000 + 3750 + 3490
        (("26-64 applicant", "15-17 child dependent works"), 8750),  # 15+ not studying: 5000 + 3750
        (("26-64 applicant", "15-17 child studies"), 8490),  # 5000 + 3490
        (("26-64 applicant", "0-5 child", "6-14 child"), 10530),  # 5000 + 2480 + 3050
        (("26-64 applicant", "18-25 partner"), 8750),  # not recorded as a child: further person 15+
        (("26-64 applicant", "18-25 partner studies"), 8490),  # the fact said so: 5000 + 3490
        (("26-64 applicant", "26-64 child dependent studies"), 8750),  # 26+ is never a dependent child
    ],
)
def test_subsistence_minimum_from_1_july_2026(members: tuple[str, ...], expected: int) -> None:
    assert subsistence_minimum([member(spec) for spec in members], NEW) == expected


def test_before_1_july_a_minor_is_always_a_dependent_child_and_the_old_amounts_apply() -> None:
    household = [member("26-64 applicant"), member("15-17 child works")]
    # 4470 + 3490 (the old reading: the further-adult amount is for adults)
    assert subsistence_minimum(household, OLD) == 7960
    assert count_children(household, OLD) == 1
    assert missing_dependent_child_facts(household, OLD) == ()


def test_before_1_july_an_established_fact_decides_for_18_to_25() -> None:
    household = [member("26-64 applicant"), member("26-64 partner"), member("18-25 child dependent works")]
    assert subsistence_minimum(household, OLD) == 12550  # 4470 + 4040 + 4040
    unknown = [member("26-64 applicant"), member("26-64 partner"), member("18-25 child dependent")]
    assert subsistence_minimum(unknown, OLD) == 12000  # intake's flag, as before: 4470 + 4040 + 3490


def test_an_unknown_status_from_1_july_is_a_missing_fact_not_a_guess() -> None:
    household = [member("26-64 applicant"), member("15-17 child dependent"), member("18-25 child dependent")]
    missing = missing_dependent_child_facts(household, NEW)
    assert [fact.field for fact in missing] == ["members.1.dependent_child", "members.2.dependent_child"]
    assert "Člen domácnosti č. 2 (věk 15–17 let)" in missing[0].question_cs
    assert "studuje" in missing[0].question_cs and "studying" in missing[0].question_en


@pytest.mark.parametrize(
    "spec", ["26-64 partner", "18-25 partner", "65+ parent", "6-14 child", "0-5 child", "18-25 child works"]
)
def test_members_whose_status_decides_nothing_are_not_asked(spec: str) -> None:
    assert missing_dependent_child_facts([member("26-64 applicant"), member(spec)], NEW) == ()


def test_assess_refuses_and_the_survey_answer_resolves_it() -> None:
    from dataclasses import replace

    from kmb_assessment.domain import assess

    situation = Situation(
        members=("26-64 applicant", "26-64 partner", "18-25 child dependent"),
        kind="street",
        on=date(2026, 12, 2),
    )
    with pytest.raises(MissingFactsError) as error:
        assess(situation.household(), situation.survey())
    assert [fact.member_index for fact in error.value.missing] == [2]
    assert "Chybí údaje" in str(error.value)
    answered = replace(situation.survey(), dependent_children={2: False})
    result = assess(situation.household(), answered)
    # 5000 + 3750 + 3750 = 12500; x1.6 = 20000; no children points
    assert (result.subsistence_minimum, result.income_ceiling, result.children) == (12500, 20000, 0)
    assert "children" not in {item.criterion for item in result.priority_contributions}


def test_household_type_follows_the_new_categories() -> None:
    working = [member("26-64 applicant"), member("15-17 child dependent works")]
    assert household_type(working, NEW) is HouseholdType.OTHER  # two persons 15+, no dependent child
    assert household_type(working, OLD) is HouseholdType.SINGLE_PARENT
    assert is_dependent_child(member("15-17 child studies"), NEW)
    assert not is_dependent_child(member("15-17 child works"), NEW)
