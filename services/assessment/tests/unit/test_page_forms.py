"""The survey form's fields turned into the survey and back, its error messages, and the Czech number
and date formats of the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from kmb_assessment.application.results import IncomeOut
from kmb_assessment.application.survey import Survey
from kmb_assessment.entrypoints.pages.format import criterion_cs, income_vs_ceiling
from kmb_assessment.entrypoints.pages.survey_form import (
    error_summary,
    errors_by_field,
    survey_from_form,
    values_of_household,
    values_of_survey,
)
from kmb_shared.contracts import DwellingSnapshot, HouseholdSnapshot, MemberSnapshot
from kmb_shared.errors import localize
from kmb_shared.web.filters import CZECH_FILTERS

NBSP = "\u00a0"

# the shared page filters assessment's templates use (dates as ``cz_date(true)``: no-break spaces)
cz_money, cz_number, cz_pct = (CZECH_FILTERS[name] for name in ("cz_money", "cz_number", "cz_percent"))
cz_datetime = CZECH_FILTERS["cz_datetime"]


def cz_date(value: object) -> str:
    return CZECH_FILTERS["cz_date"](value, True)


def _errors(values: dict[str, str], lists: dict[str, list[str]] | None = None) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Survey.model_validate(survey_from_form(values, lists or {}))
    return errors_by_field(localize(list(caught.value.errors())))


def test_czech_dates_and_a_decimal_comma_become_the_survey_and_blank_fields_mean_not_found() -> None:
    values = {
        "surveyed_on": "30. 9. 2026",
        "housing_ends_on": "2026-10-20",
        "dwelling_kind": "flat",
        "legal_title": "",
        "size_m2": "34,5",
        "unfit_for_habitation": "1",
        "can_pay_unexpected_expense": "no",
        "notes": "  Byt bez výtahu.  ",
        "csrf_token": "x",
        "action": "save",
    }
    survey = Survey.model_validate(survey_from_form(values, {"checked_documents": ["lease_contract"]}))

    assert survey == Survey(
        surveyed_on=date(2026, 9, 30),
        housing_ends_on=date(2026, 10, 20),
        dwelling_kind="flat",
        legal_title=None,
        size_m2=34.5,
        unfit_for_habitation=True,
        can_pay_unexpected_expense=False,
        checked_documents=("lease_contract",),
        notes="Byt bez výtahu.",
    )


def test_an_empty_form_is_an_empty_survey_with_the_expense_question_not_asked() -> None:
    assert Survey.model_validate(survey_from_form({}, {})) == Survey()


def test_a_saved_survey_fills_the_form_as_it_was_typed_back() -> None:
    survey = Survey(
        surveyed_on=date(2026, 9, 30),
        size_m2=34.5,
        can_pay_unexpected_expense=True,
        extra_flags=("pregnancy",),
        notes="Poznámka",
    )
    values, lists = values_of_survey(survey)

    assert (values["surveyed_on"], values["size_m2"], values["can_pay_unexpected_expense"]) == (
        "2026-09-30",
        "34,5",
        "yes",
    )
    assert values["unfit_for_habitation"] == "" and lists["extra_flags"] == ["pregnancy"]
    assert Survey.model_validate(survey_from_form(values, lists)) == survey


def test_a_first_survey_is_dated_today_with_the_dwelling_codes_the_rule_sets_know() -> None:
    known = HouseholdSnapshot(
        members=(MemberSnapshot(age_band="26-64", relationship="applicant"),),
        dwelling=DwellingSnapshot(kind="commercial_hostel", legal_title="lodging_contract", size_m2=12.5),
    )
    unknown = known.model_copy(update={"dwelling": DwellingSnapshot(kind="igloo", legal_title="treaty")})

    assert values_of_household(known, date(2026, 9, 30)) == {
        "surveyed_on": "2026-09-30",
        "dwelling_kind": "commercial_hostel",
        "legal_title": "lodging_contract",
        "size_m2": "12,5",
    }
    assert values_of_household(unknown, date(2026, 9, 30)) == {"surveyed_on": "2026-09-30"}


def test_errors_are_worded_for_the_form_and_listed_with_the_field_labels() -> None:
    errors = _errors(
        {"surveyed_on": "31. 2. 2026", "size_m2": "0", "can_pay_unexpected_expense": "maybe"},
        {"checked_documents": ["lease_contract", "passport_photo"]},
    )

    assert errors["surveyed_on"] == "Zadejte platné datum, např. 30. 9. 2026."
    assert errors["size_m2"] == "Plocha musí být větší než 0 m²."
    assert errors["can_pay_unexpected_expense"] == "Zadejte ano, nebo ne."
    # The second document is unknown: the error belongs to the whole checkbox group.
    assert errors["checked_documents"].startswith("Neznámý kód (doklad): passport_photo.")
    assert [label for _, label, _ in error_summary(errors)] == [
        "Datum šetření",
        "Podlahová plocha (m²)",
        "Domácnost by zvládla nečekaný výdaj",
        "Ověřené doklady",
    ]
    assert _errors({"size_m2": "velká"}) == {"size_m2": "Zadejte plochu v m², např. 34,5."}


def test_an_error_of_the_whole_form_is_not_listed_as_a_field() -> None:
    assert error_summary({"body": "Šetření už bylo odesláno."}) == []


def test_numbers_money_percentages_and_dates_are_written_the_czech_way() -> None:
    assert cz_money(12500) == f"12{NBSP}500{NBSP}Kč"
    assert cz_number(1234.56, 1) == f"1{NBSP}234,6"
    assert cz_number(12.0) == "12"
    assert cz_pct(75.0) == f"75{NBSP}%"
    # 1.029 of the ceiling is 102.9 % of it.
    assert cz_pct(1.029 * 100) == f"102,9{NBSP}%"
    assert cz_pct(None) == "" and cz_money(None) == ""
    assert cz_date("2026-03-05") == f"5.{NBSP}3.{NBSP}2026"
    # 12:05 UTC on 5 March is 13:05 in Prague (CET, UTC+1).
    assert cz_datetime(datetime(2026, 3, 5, 12, 5, tzinfo=UTC)) == "5. 3. 2026 13:05"
    assert criterion_cs("vulnerability:pregnancy") == "Zvláštní zranitelnost"
    # A criterion without a Czech name never shows its code.
    assert criterion_cs("something_new") == "Jiné kritérium"


def test_dependent_child_answers_of_the_form_become_the_survey_and_back() -> None:
    values = {"dependent_children.2": "no", "dependent_children.3": "yes", "dependent_children.4": ""}
    body = survey_from_form(values, {})
    # A blank answer is no answer (never guessed); "yes"/"no" become true/false by member index.
    assert body["dependent_children"] == {"2": False, "3": True}
    survey = Survey.model_validate(body)
    assert survey.dependent_children == {2: False, 3: True}
    assert values_of_survey(survey)[0]["dependent_children.2"] == "no"
    assert values_of_survey(survey)[0]["dependent_children.3"] == "yes"
    # An answer the form does not offer is refused next to that member's question.
    errors = _errors({"dependent_children.2": "maybe"})
    assert list(errors) == ["dependent_children.2"]
    assert error_summary(errors)[0][1] == "Nezaopatřené dítě – člen domácnosti č. 3"


def test_errors_about_intakes_household_are_shown_together_in_the_household_card() -> None:
    items = [
        {"field": "household.vulnerability_flags", "code": "implausible_flag", "message_cs": "A."},
        {"field": "household.members.1.flags", "code": "implausible_flag", "message_cs": "B."},
        {"field": "dependent_children.2", "code": "missing_fact", "message_cs": "C."},
    ]
    assert errors_by_field(items) == {"household": "A. B.", "dependent_children.2": "C."}


def test_the_income_against_the_ceiling_never_reads_100_percent_when_over_or_under() -> None:
    def income(amount: int, ceiling: int) -> IncomeOut:
        return IncomeOut.model_validate(
            {"amount": amount, "ceiling": ceiling, "subsistence_minimum": 5500, "coefficient": 1.6}
        )

    # 8,801 / 8,800 = 100.011 % -> shown to one place it would read 100 %: "těsně nad".
    assert income_vs_ceiling(income(8801, 8800)) == f"těsně nad 100{NBSP}% hranice – nad hranicí o 1{NBSP}Kč"
    assert income_vs_ceiling(income(8800, 8800)).startswith(f"100{NBSP}% hranice – přesně na hranici")
    # 9,000 / 8,800 = 102.27 % -> 102.3 %, 200 Kč over.
    assert income_vs_ceiling(income(9000, 8800)) == f"102,3{NBSP}% hranice – nad hranicí o 200{NBSP}Kč"
    assert income(8801, 8800).ratio == 1.000114 and income(8801, 8800).over_income_ceiling is True
