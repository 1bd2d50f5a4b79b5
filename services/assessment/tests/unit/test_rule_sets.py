"""Rule sets: loading, choice by date, and rejection of malformed files."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from kmb_assessment.domain import RuleSetError, assess, load_rule_sets, parse_rule_set, rule_set_for

from .situations import Situation


def _packaged_text(version_prefix: str) -> str:
    files = [
        item for item in resources.files("kmb_assessment.rules").iterdir() if item.name.endswith(".yaml")
    ]
    (match,) = [item for item in files if item.name.startswith(version_prefix)]
    return match.read_text(encoding="utf-8")


def _act_text() -> str:
    return _packaged_text("2026-01-01")


def test_packaged_rule_sets_load_oldest_first() -> None:
    rule_sets = load_rule_sets()
    assert [rule_set.version for rule_set in rule_sets] == ["2026.1", "2026.2", "2026.3"]
    assert rule_sets[0].effective_from == date(2026, 1, 1)
    assert rule_sets[0].effective_from < rule_sets[1].effective_from


def test_act_rule_set_holds_the_amounts_of_the_brief() -> None:
    act = rule_set_for(date(2026, 1, 1))
    amounts = act.subsistence_minimum
    assert (amounts.single_person, amounts.first_adult, amounts.further_adult) == (4860, 4470, 4040)
    assert (amounts.child_under_6, amounts.child_6_to_15, amounts.dependent_15_to_26) == (2480, 3050, 3490)
    assert act.income_ceiling_coefficient == Decimal("1.43")
    costs = act.housing_costs
    assert (costs.allowance_hint_pct, costs.excessive_pct, costs.at_risk_pct) == (30, 40, 50)
    assert act.energy_poverty_pct == 20
    assert (act.overcrowding.m2_per_person, act.overcrowding.severe_m2_per_person) == (Decimal("9.5"), 5)
    assert act.eviction_horizon_days == 56
    assert act.register_validity.months == 12


def test_day_before_the_decree_uses_1_43_and_the_decree_day_uses_1_6() -> None:
    decree = next(rule_set for rule_set in load_rule_sets() if rule_set.version == "2026.3")
    assert decree.income_ceiling_coefficient == Decimal("1.6")
    assert "income_ceiling_coefficient" in decree.unconfirmed  # the decree's date is not confirmed
    before = rule_set_for(decree.effective_from - timedelta(days=1))
    assert before.income_ceiling_coefficient == Decimal("1.43")
    assert rule_set_for(decree.effective_from).income_ceiling_coefficient == Decimal("1.6")
    assert rule_set_for(date(2030, 1, 1)).income_ceiling_coefficient == Decimal("1.6")


def test_assessment_records_the_version_in_force_on_its_date() -> None:
    situation = Situation(members=("26-64 applicant",), kind="street", on=date(2026, 3, 2))
    assert assess(situation.household(), situation.survey()).rule_set_version == "2026.1"
    later = Situation(members=("26-64 applicant",), kind="street", on=date(2026, 9, 1))
    result = assess(later.household(), later.survey())
    # single person from 1 July 2026 (2026.3 supersedes 2026.2): ceiling 1.6 × 5500 = 8800
    assert (result.rule_set_version, result.income_ceiling) == ("2026.3", 8800)


def test_no_rule_set_is_in_force_before_the_act() -> None:
    with pytest.raises(RuleSetError, match="2025-12-31"):
        rule_set_for(date(2025, 12, 31))


def test_the_decree_set_differs_from_the_act_set_only_in_dated_fields() -> None:
    act, decree, _ = load_rule_sets()
    dated = {"version", "effective_from", "title", "income_ceiling_coefficient", "unconfirmed"}
    assert act.model_dump(exclude=dated) == decree.model_dump(exclude=dated)


def test_a_copy_of_a_packaged_file_loads_from_a_directory(tmp_path: Path) -> None:
    (tmp_path / "act.yaml").write_text(_act_text(), encoding="utf-8")
    (loaded,) = load_rule_sets(tmp_path)
    assert loaded == load_rule_sets()[0]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("income_ceiling_coefficient: 1.43", "income_ceiling_coefficient: -1", "income_ceiling_coefficient"),
        ("  first_adult: 4470", "  first_adult: many", "subsistence_minimum.first_adult"),
        ("  first_adult: 4470", "", "subsistence_minimum.first_adult"),
        ("eviction_horizon_days: 56", "eviction_horizon_day: 56", "eviction_horizon_day"),
        ("  excessive_pct: 40", "  excessive_pct: 60", "housing_costs"),
        ("  severe_m2_per_person: 5", "  severe_m2_per_person: 12", "overcrowding"),
        ("street: {ethos: 1,", "street: {ethos: 14,", "dwelling_kinds.street.ethos"),
        ("light: living_rough", "light: sofa", "dwelling_kinds.street.light"),
        ("    at_risk: 10\n", "", "priority.need_level"),
        ("  senior_alone: {", "  senior_alone_x: {", "special_vulnerability"),
        ("  - priority ", "  - priorities ", "unconfirmed"),
        ("  months: 12", "  months: 0", "register_validity.months"),
    ],
)
def test_a_malformed_rule_file_is_rejected_naming_the_field(old: str, new: str, field: str) -> None:
    text = _act_text()
    assert old in text
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(text.replace(old, new, 1), "broken.yaml")
    message = str(error.value)
    assert "broken.yaml" in message
    assert field in message


def test_a_rule_file_that_is_not_yaml_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("version: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleSetError, match=r"broken\.yaml.*YAML"):
        load_rule_sets(tmp_path)


def test_a_rule_file_that_is_a_list_is_rejected() -> None:
    with pytest.raises(RuleSetError, match="mapování"):
        parse_rule_set("- 1\n- 2\n", "list.yaml")


def test_two_rule_sets_with_the_same_version_are_rejected(tmp_path: Path) -> None:
    text = _act_text()
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("effective_from: 2026-01-01", "effective_from: 2027-01-01"))
    with pytest.raises(RuleSetError, match=r"version.*2026\.1"):
        load_rule_sets(tmp_path)


def test_an_empty_rule_directory_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match="žádná sada"):
        load_rule_sets(tmp_path)
