"""Rule set 2026.3 (from 1 July 2026): the amounts of the issue, every value sourced, the
superseded 2026.2 still loadable for the assessments that cite it, old dates keep their set."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from kmb_assessment.domain import RuleSetError, assess, load_rule_sets, parse_rule_set
from kmb_assessment.domain.rules import META_FIELDS, RuleSet, source_for, unsourced_fields

from .situations import Situation


def _text(prefix: str) -> str:
    (item,) = [
        item for item in resources.files("kmb_assessment.rules").iterdir() if item.name.startswith(prefix)
    ]
    return item.read_text(encoding="utf-8")


def _by_version(version: str) -> RuleSet:
    return next(rule_set for rule_set in load_rule_sets() if rule_set.version == version)


JULY = _by_version("2026.3")


def test_the_july_set_holds_the_amounts_of_the_issue() -> None:
    amounts = JULY.subsistence_minimum
    assert JULY.effective_from == date(2026, 7, 1)
    assert amounts.categories == "further_person_15_plus"
    assert (amounts.single_person, amounts.first, amounts.further) == (5500, 5000, 3750)
    assert (amounts.child_under_6, amounts.child_6_to_15, amounts.dependent_15_to_26) == (2480, 3050, 3490)
    assert JULY.income_ceiling_coefficient == Decimal("1.6")
    assert JULY.supersedes == ("2026.2",)


def test_the_coefficient_is_dated_data_with_its_unconfirmed_date() -> None:
    assert "income_ceiling_coefficient" in JULY.unconfirmed
    source = source_for(JULY, "income_ceiling_coefficient")
    assert source is not None and "20. 8. 2025" in source and "nepotvrzeno" in source


def test_every_value_of_the_july_set_has_a_source() -> None:
    assert unsourced_fields(JULY) == ()
    for name in RuleSet.model_fields:
        if name not in META_FIELDS:
            assert source_for(JULY, name) is not None or all(
                source_for(JULY, f"{name}.{key}") for key in getattr(JULY, name).model_dump()
            ), name


def test_an_unsourced_value_is_reported() -> None:
    text = _text("2026-07-01_act-110").replace("  energy_poverty_pct: ", "  # removed: ", 1)
    assert unsourced_fields(parse_rule_set(text)) == ("energy_poverty_pct",)
    assert "energy_poverty_pct" in unsourced_fields(_by_version("2026.1"))  # written before sources


@pytest.mark.parametrize(
    ("day", "version", "ceiling"),
    [
        (date(2026, 1, 1), "2026.1", 6950),  # 1.43 × 4,860 = 6,949.8 -> 6,950
        (date(2026, 6, 30), "2026.1", 6950),
        (date(2026, 7, 1), "2026.3", 8800),  # 1.6 × 5,500
        (date(2026, 12, 2), "2026.3", 8800),
    ],
)
def test_the_set_in_force_by_date(day: date, version: str, ceiling: int) -> None:
    result = assess(
        Situation(members=("26-64 applicant",), kind="street", on=day).household(),
        Situation(members=("26-64 applicant",), kind="street", on=day).survey(),
    )
    assert (result.rule_set_version, result.income_ceiling) == (version, ceiling)


def test_the_superseded_set_still_gives_its_own_results_for_who_cites_it() -> None:
    superseded = _by_version("2026.2")
    assert superseded.subsistence_minimum.categories == "further_adult"
    situation = Situation(members=("26-64 applicant",), kind="street", on=date(2026, 9, 1))
    replayed = assess(situation.household(), situation.survey(), superseded)
    # 1.6 × 4,860 = 7,776 (the amounts it was published with)
    assert (replayed.rule_set_version, replayed.subsistence_minimum, replayed.income_ceiling) == (
        "2026.2",
        4860,
        7776,
    )


def test_two_sets_of_one_date_need_supersedes(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    (tmp_path / "a.yaml").write_text(_text("2026-07-01_decree"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(_text("2026-07-01_act-110").replace('supersedes: ["2026.2"]\n', ""))
    with pytest.raises(RuleSetError, match=r"effective_from.*2026-07-01"):
        load_rule_sets(tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("  further_person_15_plus: 3750", "", "subsistence_minimum.further_person_15_plus"),
        ("  first_person: 5000", "  first_person: lots", "subsistence_minimum.first_person"),
        ("  categories: further_person_15_plus", "  categories: everyone", "subsistence_minimum"),
        ("  - criteria: [need_level, threat_within_horizon]", "  - criteria: [need_level, luck]", "overlaps"),
        ("  energy_poverty_pct: ", "  energy_poverty: ", "sources"),
    ],
)
def test_a_malformed_july_file_is_rejected_naming_the_field(old: str, new: str, field: str) -> None:
    text = _text("2026-07-01_act-110")
    assert old in text
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(text.replace(old, new, 1), "broken.yaml")
    assert "broken.yaml" in str(error.value) and field in str(error.value)
