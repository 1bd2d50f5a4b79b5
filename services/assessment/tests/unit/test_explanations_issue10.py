"""The explanation defects of issue 10 (section 2), asserted on the Czech text and on the points.

Assessments dated 2 Dec 2026 use rule set 2026.3 (single person: SM 5,500, ceiling 8,800).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from kmb_assessment.domain import Assessment, assess, rule_set_for
from kmb_assessment.domain.ethos import also_matches_cs

from .situations import Situation

TODAY = date(2026, 12, 2)
RULES = rule_set_for(TODAY)
SINGLE = ("26-64 applicant",)


def _assess(situation: Situation) -> Assessment:
    return assess(situation.household(), situation.survey())


def _texts(result: Assessment) -> list[str]:
    return [
        *result.reasons,
        *(item.explanation for item in result.priority_contributions),
        *(step.text for step in result.next_steps),
    ]


def _points(result: Assessment) -> dict[str, int]:
    return {item.criterion: item.points for item in result.priority_contributions}


def _step(result: Assessment, code: str) -> str:
    return next(step.text for step in result.next_steps if step.code == code)


CODES = sorted({*RULES.dwelling_kinds, *RULES.legal_titles, *RULES.special_vulnerability} - {"none"})


@pytest.mark.parametrize("kind", sorted(RULES.dwelling_kinds))
def test_no_raw_code_in_any_czech_text(kind: str) -> None:
    result = _assess(
        Situation(
            members=SINGLE,
            kind=kind,
            title="none",
            housing_ends_in_days=20,
            flags=("domestic_violence",),
            on=TODAY,
        )
    )
    for text in _texts(result):
        found = [code for code in CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
        assert not found, (text, found)
        assert ") (" not in text  # no double bracket


def test_living_rough_reads_its_label_once() -> None:
    result = _assess(Situation(members=SINGLE, kind="street", on=TODAY))
    assert "ETHOS 1: přežívání venku (ulice, veřejný prostor)." in result.reasons


def _renting_for_55_percent(*, can_pay: bool) -> Situation:
    """A single person renting a flat for 11,000 of an income of 20,000 (55 %)."""
    return Situation(
        members=SINGLE,
        kind="flat",
        title="lease",
        income=20000,
        rent=11000,
        can_pay_unexpected_expense=can_pay,
        on=TODAY,
    )


def test_a_household_that_can_pay_an_unexpected_expense_gets_no_at_risk_points() -> None:
    # rent 11,000 / 20,000 = 55 % > 50 %, but it can pay: not at risk; > 40 %: excessive 5 points
    result = _assess(_renting_for_55_percent(can_pay=True))
    assert result.need_level == "not_in_need"
    assert _points(result) == {"cost_burden_excessive": 5}
    burden = next(item.explanation for item in result.priority_contributions)
    assert "zvládne nečekaný výdaj" in burden and "ne za ohrožení" in burden
    assert any("nejde tedy o ohrožení" in reason for reason in result.reasons)


def test_can_pay_also_holds_where_an_ethos_category_decides() -> None:
    # asylum house (ETHOS 3, houseless 30); rent 6,000 / 10,000 = 60 %, can pay: excessive 5, not 10
    result = _assess(
        Situation(members=SINGLE, kind="asylum_house", title="lodging_contract", income=10000, rent=6000,
                  can_pay_unexpected_expense=True, on=TODAY)
    )  # fmt: skip
    assert _points(result) == {"need_level": 30, "cost_burden_excessive": 5}


def test_a_household_that_cannot_pay_gets_the_at_risk_points() -> None:
    result = _assess(_renting_for_55_percent(can_pay=False))
    assert _points(result) == {"need_level": 10, "cost_burden_at_risk": 10}


def test_leaving_an_institution_is_not_an_eviction() -> None:
    # prison, leaving 2 Dec 2026 + 20 days = 22 Dec 2026; income 0 < 5,500
    result = _assess(Situation(members=SINGLE, kind="prison", housing_ends_in_days=20, on=TODAY))
    assert result.ethos_candidates == (6,)  # no ETHOS 9
    texts = _texts(result)
    assert not any("vystěhování" in text or "pronajímatel" in text for text in texts)
    assert "ETHOS 6: odchod z výkonu trestu; den odchodu 22. 12. 2026, za 20 dní." in result.reasons
    codes = [step.code for step in result.next_steps]
    assert "eviction_prevention" not in codes and "institution_release_planning" in codes
    assert _points(result) == {
        "need_level": 30,
        "threat_within_horizon": 10,
        "vulnerability:leaving_institution": 5,
        "income_below_subsistence_minimum": 5,
    }
    explanations = {item.criterion: item.explanation for item in result.priority_contributions}
    assert explanations["need_level"] == "Úroveň bytové nouze: bez bytu (ETHOS 6)."
    assert explanations["threat_within_horizon"] == "Odchod z instituce do 56 dní (22. 12. 2026, za 20 dní)."


def test_criteria_that_score_the_stay_in_an_institution_together_are_documented_overlaps() -> None:
    documented = {frozenset(overlap.criteria) for overlap in RULES.overlaps}
    assert frozenset({"need_level", "threat_within_horizon"}) in documented
    assert frozenset({"need_level", "vulnerability:leaving_institution"}) in documented
    assert all(overlap.reason.strip() for overlap in RULES.overlaps)


def test_an_eviction_from_a_lease_still_negotiates_with_the_landlord() -> None:
    result = _assess(Situation(members=SINGLE, kind="flat", title="lease", eviction_in_days=20, on=TODAY))
    assert result.ethos_category == 9
    assert "jednat s pronajímatelem" in _step(result, "eviction_prevention")


@pytest.mark.parametrize(("kind", "title"), [("with_family_friends", "none"), ("house", "ownership")])
def test_no_negotiating_with_a_landlord_where_there_is_none(kind: str, title: str) -> None:
    result = _assess(Situation(members=SINGLE, kind=kind, title=title, housing_ends_in_days=20, on=TODAY))
    text = _step(result, "eviction_prevention")
    assert "pronajímatel" not in text and "právní" in text
    # 2 Dec 2026 + 20 days = 22 Dec 2026; no landlord: no eviction wording either
    assert (
        "ETHOS 9: bydlení končí 22. 12. 2026, za 20 dní, tj. do 56 dní (hrozící ztráta bydlení)."
        in result.reasons
    )
    assert not any("vystěhování" in reason for reason in result.reasons)


def test_assistance_in_the_current_flat_only_where_there_is_a_flat() -> None:
    in_flat = _assess(Situation(members=SINGLE, kind="flat", title="lease", eviction_in_days=20, on=TODAY))
    assert "v dosavadním bytě" in _step(in_flat, "housing_assistance")
    in_hostel = _assess(Situation(members=SINGLE, kind="asylum_house", title="lodging_contract", on=TODAY))
    assert "housing_assistance" not in [step.code for step in in_hostel.next_steps] or (
        "dosavadním" not in _step(in_hostel, "housing_assistance")
    )
    guest = _assess(Situation(members=SINGLE, kind="flat", title="none", on=TODAY))  # ETHOS 8, no title
    assert "dosavadním" not in _step(guest, "housing_assistance")
    disabled = _assess(Situation(members=("26-64 applicant flag=disability",), kind="asylum_house", on=TODAY))
    assert _step(disabled, "housing_assistance") == "Zapsat potřebu asistence v bydlení (§ 22)."


def test_no_womens_shelter_to_arrange_for_someone_in_one() -> None:
    result = _assess(
        Situation(
            members=SINGLE,
            kind="womens_shelter",
            title="lodging_contract",
            flags=("domestic_violence",),
            on=TODAY,
        )
    )
    text = _step(result, "violence_support")
    assert "zajistit bezpečné ubytování" not in text and "navazujícím bydlení" in text
    at_home = _assess(
        Situation(members=SINGLE, kind="flat", title="lease", flags=("domestic_violence",), on=TODAY)
    )
    assert "azylový dům pro oběti domácího násilí" in _step(at_home, "violence_support")


def test_no_night_shelter_to_arrange_for_someone_in_one() -> None:
    result = _assess(Situation(members=SINGLE, kind="night_shelter", on=TODAY))
    assert "noclehárna" not in _step(result, "emergency_accommodation")
    rough = _assess(Situation(members=SINGLE, kind="street", on=TODAY))
    assert "noclehárna" in _step(rough, "emergency_accommodation")


def test_rounded_up_only_when_something_was_rounded() -> None:
    # 1.6 × 5,500 = 8,800 exactly
    today = _assess(Situation(members=SINGLE, kind="street", income=8800, on=TODAY))
    assert (
        "Příjem domácnosti 8 800 Kč nepřesahuje hranici 1,6 × životní minimum 5 500 Kč = 8 800 Kč."
        in today.reasons
    )
    assert not any("zaokrouhleno" in reason for reason in today.reasons)
    # 1.43 × 4,860 = 6,949.8 -> 6,950
    march = _assess(Situation(members=SINGLE, kind="street", income=5000, on=date(2026, 3, 2)))
    assert any(reason.endswith("= 6 950 Kč (zaokrouhleno nahoru).") for reason in march.reasons)


@pytest.mark.parametrize(
    ("income", "ratio", "qualifies"),
    [(8800, 1.0, True), (8801, 1.0001, False), (8799, 0.9999, True), (4400, 0.5, True), (9680, 1.1, False)],
)
def test_income_ratio_never_reads_1_for_a_household_over_or_under_the_ceiling(
    income: int, ratio: float, qualifies: bool
) -> None:
    # 8,801 / 8,800 = 1.0001136 -> 1.0001; 8,799 / 8,800 = 0.99988 -> 0.9999; 9,680 / 8,800 = 1.1
    result = _assess(Situation(members=SINGLE, kind="street", income=income, on=TODAY))
    assert (result.income_ratio, result.qualifies_for_register) == (ratio, qualifies)


@pytest.mark.parametrize(
    ("size_m2", "label", "limit", "criterion", "points"),
    [
        (18.99, "přelidnění", "9,5", "overcrowding", 5),  # 9.495 m²
        (10.0, "přelidnění", "9,5", "overcrowding", 5),  # exactly 5 m²: not extreme
        (9.99, "extrémní přelidnění", "5", "severe_overcrowding", 10),  # 4.995 m²
    ],
)
def test_overcrowding_label_and_reason_agree(
    size_m2: float, label: str, limit: str, criterion: str, points: int
) -> None:
    result = _assess(
        Situation(
            members=("26-64 applicant", "26-64 partner"),
            kind="flat",
            title="lease",
            size_m2=size_m2,
            on=TODAY,
        )
    )
    reason = next(reason for reason in result.reasons if reason.startswith("ETHOS 13:"))
    assert reason.endswith(f"méně než {limit} m² ({label}).")
    item = next(item for item in result.priority_contributions if item.criterion == criterion)
    assert item.points == points
    assert item.explanation.startswith(f"{label.capitalize()}: méně než {limit} m² na osobu")


@pytest.mark.parametrize(
    ("candidates", "chosen", "text"),
    [
        ((2, 13), 2, "Údaje odpovídají i kategorii 13; platí nejzávažnější."),
        ((2, 11, 13), 2, "Údaje odpovídají i kategoriím 11 a 13; platí nejzávažnější."),
        ((3, 8, 11, 13), 3, "Údaje odpovídají i kategoriím 8, 11 a 13; platí nejzávažnější."),
        ((6,), 6, ""),
        ((), None, ""),
    ],
)
def test_czech_grammar_of_the_other_categories(
    candidates: tuple[int, ...], chosen: int | None, text: str
) -> None:
    assert also_matches_cs(candidates, chosen) == text


@pytest.mark.parametrize(
    ("situation", "pair"),
    [
        (Situation(members=SINGLE, kind="prison", housing_ends_in_days=20, on=TODAY), ("need_level", "threat_within_horizon")),
        (Situation(members=SINGLE, kind="flat", title="lease", eviction_in_days=20, on=TODAY), ("need_level", "threat_within_horizon")),
        (Situation(members=SINGLE, kind="flat", title="lease", flags=("domestic_violence",), on=TODAY), ("need_level", "vulnerability:domestic_violence")),
        (Situation(members=("26-64 applicant", "26-64 partner"), kind="flat", title="lease", size_m2=18, on=TODAY), ("need_level", "overcrowding")),
        (Situation(members=("26-64 applicant", "26-64 partner"), kind="flat", title="lease", size_m2=8, on=TODAY), ("need_level", "severe_overcrowding")),
        (Situation(members=SINGLE, kind="flat", title="lease", income=10000, rent=6000, on=TODAY), ("need_level", "cost_burden_at_risk")),
        (Situation(members=("26-64 applicant", "26-64 partner", *("6-14 child",) * 3), kind="street", on=TODAY), ("children", "vulnerability:large_family")),
    ],
)  # fmt: skip
def test_one_fact_scoring_under_two_criteria_is_a_documented_overlap(
    situation: Situation, pair: tuple[str, str]
) -> None:
    """Each pair that reads one fact (the ETHOS category that decides the level and the criterion
    built on the same finding) scores twice only because the rule set says so, with its reason."""
    result = _assess(situation)
    assert set(pair) <= set(_points(result))
    assert frozenset(pair) in {frozenset(overlap.criteria) for overlap in RULES.overlaps}
