"""The law table (tests/law_table.py) through the domain: assess() and the household functions.

Every expected value in the table was worked out by hand from the amounts of the law; this test
only turns each case into the domain's inputs and compares.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kmb_assessment.domain import SurveyFindings, assess, rule_set_for
from kmb_assessment.domain.household import MissingFactsError, count_children, subsistence_minimum
from kmb_shared.contracts import HouseholdSnapshot


def _load_table() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "law_table.py"
    spec = importlib.util.spec_from_file_location("kmb_assessment_law_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


TABLE = _load_table()
CASES = TABLE.CASES


def _household(case: object) -> HouseholdSnapshot:
    return HouseholdSnapshot.model_validate(case.household())  # type: ignore[attr-defined]


def _survey(case: object) -> SurveyFindings:
    return SurveyFindings(
        assessed_on=case.assessed_on,  # type: ignore[attr-defined]
        housing_ends_on=case.housing_ends_on,  # type: ignore[attr-defined]
        can_pay_unexpected_expense=case.can_pay_unexpected_expense,  # type: ignore[attr-defined]
        dependent_children=dict(case.dependent_children),  # type: ignore[attr-defined]
    )


def test_the_table_has_at_least_30_cases_with_unique_ids_and_arithmetic() -> None:
    assert len(CASES) >= 30
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert all(case.arithmetic.strip() for case in CASES)


def test_the_table_covers_the_edges_of_the_issue() -> None:
    days = {case.assessed_on for case in CASES}
    assert {TABLE.LAST_OLD_DAY, TABLE.FIRST_NEW_DAY, TABLE.TODAY} <= days
    assert any(case.expected.missing_facts for case in CASES)
    assert {False, True} <= {case.expected.within_ceiling for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_law_case_through_the_domain(case: object) -> None:
    household, survey = _household(case), _survey(case)
    expected = case.expected  # type: ignore[attr-defined]
    if expected.missing_facts:
        with pytest.raises(MissingFactsError) as error:
            assess(household, survey)
        assert tuple(fact.field for fact in error.value.missing) == expected.missing_facts
        return
    result = assess(household, survey)
    actual = {
        "rule_set_version": result.rule_set_version,
        "subsistence_minimum": result.subsistence_minimum,
        "income_ceiling": result.income_ceiling,
        "within_ceiling": result.income_ceiling is not None
        and result.income_monthly <= result.income_ceiling,
        "children": result.children,
        "household_type": result.household_type.value,
        "ethos_category": result.ethos_category,
        "need_level": result.need_level.value,
        "qualifies_for_register": result.qualifies_for_register,
        "priority_score": result.priority_score,
        "points": {item.criterion: item.points for item in result.priority_contributions},
    }
    wanted = {name: getattr(expected, name) for name in actual if getattr(expected, name) is not None}
    assert {name: actual[name] for name in wanted} == wanted
    assert result.priority_score == sum(item.points for item in result.priority_contributions)


@pytest.mark.parametrize(
    "case", [case for case in CASES if not case.expected.missing_facts], ids=lambda case: case.id
)
def test_law_case_through_the_household_functions(case: object) -> None:
    """The subsistence minimum and the children straight from the household functions."""
    expected = case.expected  # type: ignore[attr-defined]
    rules = rule_set_for(case.assessed_on)  # type: ignore[attr-defined]
    members = tuple(
        member.model_copy(update={"dependent_child": case.dependent_children[index]})  # type: ignore[attr-defined]
        if index in case.dependent_children  # type: ignore[attr-defined]
        else member
        for index, member in enumerate(_household(case).members)
    )
    assert rules.version == expected.rule_set_version
    assert subsistence_minimum(members, rules.subsistence_minimum) == expected.subsistence_minimum
    assert count_children(members, rules.subsistence_minimum) == expected.children
