"""Checking an uploaded rule set (complete, sourced, dated today or later, consistent) and comparing it
with the set in force value by value. Pure: no database, no service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from kmb_assessment.domain import load_rule_sets, rule_set_for
from kmb_assessment.domain.ruleset_check import (
    ENTERS,
    LEAVES,
    NEED_LEVEL,
    PRIORITY,
    Outcome,
    changes,
    check_rule_set,
    compare,
    field_label,
)

TODAY = date(2026, 9, 30)
BASE_FILE = "2026-07-01_act-110-2006-amounts-coefficient-1-6.yaml"


def base_text() -> str:
    return resources.files("kmb_assessment.rules").joinpath(BASE_FILE).read_text(encoding="utf-8")


def proposed(**replace: str) -> str:
    """The packaged 2026.3 set as a new set 2027.1 effective 1 Oct 2026, with text replacements."""
    text = (
        base_text()
        .replace('version: "2026.3"', 'version: "2027.1"')
        .replace("effective_from: 2026-07-01", "effective_from: 2026-10-01")
        .replace('supersedes: ["2026.2"]', "supersedes: []")
    )
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def check(text: str, today: date = TODAY):  # type: ignore[no-untyped-def]
    known = load_rule_sets()
    return check_rule_set(text, today=today, known=known, in_force=rule_set_for(today, known))


def fields(outcome) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {problem.field: problem.code for problem in outcome.problems}


def test_a_complete_sourced_future_set_passes() -> None:
    outcome = check(proposed())
    assert outcome.problems == ()
    assert outcome.rule_set is not None and outcome.rule_set.version == "2027.1"


def test_today_is_allowed_yesterday_is_not() -> None:
    assert check(proposed(), today=date(2026, 10, 1)).problems == ()
    late = check(proposed(), today=date(2026, 10, 2))
    assert fields(late) == {"effective_from": "date_in_past"}
    (problem,) = late.problems
    assert "1. 10. 2026" in problem.message_cs and "v minulosti" in problem.message_cs
    assert "past" in problem.message_en


def test_an_incomplete_set_lists_each_missing_value() -> None:
    text = proposed(
        **{
            "  first_person: 5000 ": "  # first_person removed ",
            "  severe_m2_per_person: 5\n": "",
        }
    )
    outcome = check(text)
    assert outcome.rule_set is None
    assert fields(outcome) == {
        "subsistence_minimum.first_person": "missing",
        "overcrowding.severe_m2_per_person": "missing",
    }
    assert all("chybí" in p.message_cs.lower() and p.message_en for p in outcome.problems)


def test_a_value_left_to_its_default_is_incomplete() -> None:
    # without "categories" the subsistence minimum would silently fall back to the old categories
    text = proposed(
        **{
            "  categories: further_person_15_plus\n": "",
            "  first_person: 5000 ": "  first_adult: 5000 ",
            "  further_person_15_plus: 3750 ": "  further_adult: 3750 ",
        }
    )
    assert fields(check(text)) == {"subsistence_minimum.categories": "missing"}


def test_a_code_of_the_set_in_force_must_stay() -> None:
    text = proposed(
        **{'  garden_shed: {ethos: 11, light: non_conventional, label: "zahradní chatka nebo kůlna"}\n': ""}
    )
    outcome = check(text)
    assert fields(outcome) == {"dwelling_kinds.garden_shed": "missing"}
    assert "zahradní chatka nebo kůlna" in outcome.problems[0].message_cs


def test_every_value_needs_a_source() -> None:
    text = proposed(
        **{
            '  energy_poverty_pct: "Zpráva o vyloučení z bydlení (energie nad 20 % příjmu)"\n': "",
            '  housing_costs.at_risk_pct: "Zpráva': '  housing_costs.at_risk_pct_typo_removed: "Zpráva',
        }
    )
    # the second edit names an unknown field: refused by the model itself, and the value is unsourced
    outcome = check(text)
    codes = fields(outcome)
    assert codes["energy_poverty_pct"] == "unsourced"
    assert codes["housing_costs"] == "unsourced"
    unsourced = [p for p in outcome.problems if p.code == "unsourced"]
    assert all("zdroj" in p.message_cs for p in unsourced)


def test_a_source_covering_only_part_of_a_field_is_not_enough() -> None:
    text = proposed(
        **{
            '  housing_costs.unexpected_expense_czk: "Zpráva o vyloučení z bydlení (nečekaný výdaj 14 100 Kč)"\n': ""
        }
    )
    assert fields(check(text)) == {"housing_costs": "unsourced"}


@pytest.mark.parametrize(
    ("replace", "field"),
    [
        ({"  excessive_pct: 40\n": "  excessive_pct: 55\n"}, "housing_costs"),
        ({"  severe_m2_per_person: 5\n": "  severe_m2_per_person: 9.5\n"}, "overcrowding"),
        ({"  child_under_6: 2480 ": "  child_under_6: 0 "}, "subsistence_minimum.child_under_6"),
        (
            {"income_ceiling_coefficient: 1.6": "income_ceiling_coefficient: 0.16"},
            "income_ceiling_coefficient",
        ),
        ({"  first_person: 5000 ": "  first_person: 6000 "}, "subsistence_minimum"),
        ({"    roofless: 40\n": "    roofless: 5\n"}, "priority.need_level"),
        ({"  severe_overcrowding: 10 ": "  severe_overcrowding: 1 "}, "priority.severe_overcrowding"),
    ],
)
def test_inconsistent_values_are_refused(replace: dict[str, str], field: str) -> None:
    outcome = check(proposed(**replace))
    assert field in fields(outcome), outcome.problems
    problem = next(p for p in outcome.problems if p.field == field)
    assert problem.message_cs and problem.message_en and problem.message_cs != problem.message_en


def test_a_version_in_use_and_a_taken_date_are_refused() -> None:
    text = proposed(**{'version: "2027.1"': 'version: "2026.3"'})
    assert fields(check(text))["version"] == "inconsistent"
    same_day = (
        base_text()
        .replace('version: "2026.3"', 'version: "2027.1"')
        .replace('supersedes: ["2026.2"]', "supersedes: []")
    )
    codes = fields(check(same_day, today=date(2026, 7, 1)))
    assert codes["effective_from"] == "inconsistent"  # 2026.3 takes effect that day


def test_not_yaml_and_not_a_mapping() -> None:
    assert fields(check("version: [unclosed")) == {"(soubor)": "yaml"}
    assert fields(check("- a list\n")) == {"(soubor)": "yaml"}


def test_comparison_marks_exactly_the_changed_values_with_czech_labels() -> None:
    known = load_rule_sets()
    current = rule_set_for(TODAY, known)
    outcome = check(proposed(**{"income_ceiling_coefficient: 1.6": "income_ceiling_coefficient: 1.8"}))
    assert outcome.rule_set is not None
    rows = compare(current, outcome.rule_set)
    changed = {row.path: (row.current, row.proposed) for row in rows if row.changed}
    assert changed == {
        "version": ("2026.3", "2027.1"),
        "effective_from": (date(2026, 7, 1), date(2026, 10, 1)),
        "supersedes": (("2026.2",), ()),
        "income_ceiling_coefficient": (Decimal("1.6"), Decimal("1.8")),
    }
    by_path = {row.path: row for row in rows}
    assert by_path["income_ceiling_coefficient"].label.startswith("Koeficient příjmové hranice")
    assert by_path["income_ceiling_coefficient"].source is not None
    assert by_path["dwelling_kinds.street.ethos"].label == (
        "Druh bydlení „přežívání venku (ulice, veřejný prostor)“: kategorie ETHOS"
    )
    assert all(row.label != "Neznámé pole" and "_" not in row.label for row in rows)


def test_field_labels_name_codes_in_czech() -> None:
    assert field_label("subsistence_minimum.single_person") == "Životní minimum: jednotlivec (Kč)"
    assert field_label("priority.need_level.roofless") == "Body priority: úroveň bytové nouze „bez střechy“"


def test_changes_between_outcomes() -> None:
    inside = Outcome(qualifies=True, need_level="insecure", priority=20)
    assert changes(inside, inside) == ()
    assert changes(Outcome(False, "insecure", 20), inside) == (ENTERS,)
    assert changes(inside, Outcome(False, "insecure", 20)) == (LEAVES,)
    assert changes(inside, Outcome(True, "houseless", 30)) == (NEED_LEVEL, PRIORITY)
