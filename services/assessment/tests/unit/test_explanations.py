"""Reasons, precedence and priority contributions are stated in Czech, with nothing hidden."""

from __future__ import annotations

from kmb_assessment.domain import NEXT_STEP_TEXTS, Assessment, assess

from .situations import Situation


def _assess(situation: Situation) -> Assessment:
    return assess(situation.household(), situation.survey())


def test_reasons_name_the_rule_set_used() -> None:
    result = _assess(Situation(members=("26-64 applicant",), kind="street"))
    assert result.reasons[0] == "Sada pravidel 2026.1 účinná od 1. 1. 2026."


def test_reasons_explain_which_category_wins_when_several_apply() -> None:
    # a single person in a 4 m² night-shelter room: ETHOS 2 (night shelter) and 13 (4 m² < 9.5)
    result = _assess(Situation(members=("26-64 applicant",), kind="night_shelter", size_m2=4))
    assert result.ethos_candidates == (2, 13)
    assert result.ethos_category == 2
    assert (
        "Použitelné kategorie ETHOS: 2, 13; rozhoduje nejzávažnější (nejnižší číslo), tedy ETHOS 2."
        in result.reasons
    )
    assert "Úroveň bytové nouze: bez střechy (skupina kategorie ETHOS 2)." in result.reasons


def test_ethos_light_comes_from_the_most_severe_finding_that_has_one() -> None:
    # garden shed (11, Light non_conventional) and violence (10, no Light): category 10, Light kept
    result = _assess(
        Situation(members=("26-64 applicant",), kind="non_conventional", flags=("domestic_violence",))
    )
    assert (result.ethos_category, result.ethos_light) == (10, "non_conventional")


def test_eviction_beyond_the_horizon_is_explained_with_its_day_count() -> None:
    # 2 March 2026 + 70 days = 11 May 2026
    result = _assess(Situation(members=("26-64 applicant",), kind="flat", title="lease", eviction_in_days=70))
    assert (
        "Bydlení končí 11. 5. 2026, za 70 dní, tedy později než za 56 dní: ohrožení ztrátou bydlení."
        in result.reasons
    )


def test_zero_income_with_costs_is_explained_instead_of_a_percentage() -> None:
    result = _assess(Situation(members=("26-64 applicant",), kind="flat", title="lease", rent=6000))
    assert result.housing_cost_burden_pct is None
    assert (
        "Domácnost nemá žádný příjem a náklady na bydlení činí 6 000 Kč: ohrožení ztrátou bydlení."
        in result.reasons
    )


def test_ability_to_pay_an_unexpected_expense_is_stated_when_it_rules_out_risk() -> None:
    result = _assess(
        Situation(members=("26-64 applicant",), kind="flat", title="lease", income=10000, rent=6000,
                  can_pay_unexpected_expense=True)
    )  # fmt: skip
    assert result.need_level == "not_in_need"
    assert any("zvládne nečekaný výdaj 14 100 Kč" in reason for reason in result.reasons)


def test_an_unknown_dwelling_kind_is_reported_not_guessed() -> None:
    result = _assess(Situation(members=("26-64 applicant",), kind="houseboat", title="lease"))
    assert (
        "Zjištěný druh bydlení sada pravidel 2026.1 nezná; kategorie ETHOS z něj neplyne." in result.reasons
    )
    assert not any("houseboat" in reason for reason in result.reasons)  # no raw code in Czech text


def test_income_reason_shows_the_ceiling_arithmetic() -> None:
    # single person: 1.43 × 4860 = 6949.8 -> 6950
    result = _assess(Situation(members=("26-64 applicant",), kind="street", income=5000))
    assert (
        "Příjem domácnosti 5 000 Kč nepřesahuje hranici 1,43 × životní minimum 4 860 Kč"
        " = 6 950 Kč (zaokrouhleno nahoru)." in result.reasons
    )


def test_children_contribution_states_points_per_child_and_the_cap() -> None:
    # 5 children × 3 = 15, capped at 12
    members = ("26-64 applicant", *("6-14 child",) * 5)
    result = _assess(Situation(members=members, kind="street"))
    children = next(item for item in result.priority_contributions if item.criterion == "children")
    assert (children.points, children.explanation) == (12, "Nezaopatřené děti: 5 × 3 body, nejvýše 12 bodů.")


def test_every_contribution_names_a_rule_set_criterion() -> None:
    result = _assess(
        Situation(members=("26-64 applicant", "0-5 child"), kind="flat", title="lease", size_m2=8, income=3000,
                  rent=2000, energy=1000, debts=1, flags=("disability",), eviction_in_days=10)
    )  # fmt: skip
    criteria = [item.criterion for item in result.priority_contributions]
    # insecure 20 (ETHOS 9 wins over 13), threat 10, child 3, disability 5, single_parent 5,
    # burden 3000/3000 = 100 % -> 10, 8/2 = 4 m² -> severe 10, energy 1000/3000 = 33 % -> 5,
    # income 3000 < SM 4470 + 2480 = 6950 -> 5, debts 3
    assert criteria == [
        "need_level", "threat_within_horizon", "children", "vulnerability:disability",
        "vulnerability:single_parent", "cost_burden_at_risk", "severe_overcrowding", "energy_poverty",
        "income_below_subsistence_minimum", "debts",
    ]  # fmt: skip
    assert result.priority_score == 20 + 10 + 3 + 5 + 5 + 10 + 10 + 5 + 5 + 3


def test_next_step_texts_are_czech_sentences_and_the_allowance_one_states_the_threshold() -> None:
    assert all(text.endswith(".") and len(text) > 20 for text in NEXT_STEP_TEXTS.values())
    result = _assess(Situation(members=("26-64 applicant",), kind="flat", income=10000, rent=4000))
    allowance = next(step for step in result.next_steps if step.code == "housing_allowance")
    assert allowance.text == "Požádat Úřad práce o příspěvek na bydlení (náklady přesahují 30 % příjmu)."


def test_an_eviction_date_already_past_still_counts_as_threat_and_says_so() -> None:
    # 2 March 2026 - 3 days = 27 February 2026
    result = _assess(Situation(members=("26-64 applicant",), kind="flat", title="lease", eviction_in_days=-3))
    assert result.ethos_category == 9
    assert (
        "ETHOS 9: bydlení končí 27. 2. 2026, tedy již před 3 dny, tj. do 56 dní (hrozící vystěhování)."
        in result.reasons
    )
