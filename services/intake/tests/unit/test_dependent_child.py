"""The dependent-child fact (nezaopatřené dítě) of a member aged 15 to 25: studies, or cannot for
illness (yes) / does not study (no) / not established (unknown). Asked only for age bands 15-17 and
18-25; carried to assessment as ``MemberSnapshot.dependent_child`` True / False / None."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kmb_intake.domain import CaseIn, HouseholdChangeIn, records_dependent_child, to_household_snapshot
from kmb_intake.entrypoints.pages import asks_dependent_child
from kmb_intake.entrypoints.pages.case_form import case_from_form, field_label, form_from_household

Data = Callable[..., dict[str, Any]]
Errors = Callable[..., list[dict[str, str]]]

TODAY = date(2026, 6, 15)


def _household(case_data: Data, member_data: Data, **child: Any) -> dict[str, Any]:
    return case_data(
        members=[member_data(), member_data(first_name="Bořivoj", relationship="child", **child)]
    )


@pytest.mark.parametrize(
    ("born", "asked"),
    [
        ("2011-06-16", False),  # 14, turns 15 tomorrow
        ("2011-06-15", True),  # 15th birthday today
        ("2008-06-15", True),  # 18th birthday today
        ("2000-06-16", True),  # 25, turns 26 tomorrow
        ("2000-06-15", False),  # 26th birthday today
        ("1985-03-15", False),  # 41
    ],
)
def test_the_question_is_asked_from_the_15th_to_the_26th_birthday(born: str, asked: bool) -> None:
    assert records_dependent_child(date.fromisoformat(born), TODAY) is asked


@pytest.mark.parametrize("answer", ["yes", "no", "unknown"])
@pytest.mark.parametrize("born", ["2011-06-15", "2000-06-16"])  # 15 and 25
def test_each_answer_is_accepted_for_a_member_aged_15_to_25(
    case_data: Data, member_data: Data, answer: str, born: str
) -> None:
    data = _household(case_data, member_data, date_of_birth=born, dependent_child=answer)
    assert CaseIn.model_validate(data, context={"today": TODAY}).members[1].dependent_child == answer


def test_left_out_null_or_blank_means_not_established(case_data: Data, member_data: Data) -> None:
    for extra in ({}, {"dependent_child": None}, {"dependent_child": " "}):
        data = _household(case_data, member_data, date_of_birth="2004-01-01", **extra)
        assert CaseIn.model_validate(data, context={"today": TODAY}).members[1].dependent_child == "unknown"


@pytest.mark.parametrize(
    ("born", "age_cs", "age_en"),
    [
        ("2011-06-16", "14 let", "14 years old"),
        ("2000-06-15", "26 let", "26 years old"),
        ("2023-06-15", "3 roky", "3 years old"),
        ("2025-06-15", "1 rok", "1 year old"),
    ],
)
@pytest.mark.parametrize("answer", ["yes", "no"])
def test_an_answer_for_a_member_of_another_age_is_refused_in_czech_and_english(
    case_data: Data, member_data: Data, errors_of: Errors, born: str, age_cs: str, age_en: str, answer: str
) -> None:
    data = _household(case_data, member_data, date_of_birth=born, dependent_child=answer)

    (error,) = errors_of(CaseIn, data)

    assert (error["field"], error["code"]) == ("members.1.dependent_child", "dependent_child_age")
    assert "15 až 25 let" in error["message_cs"] and f"je {age_cs}." in error["message_cs"]
    assert "aged 15 to 25" in error["message_en"] and f"is {age_en}." in error["message_en"]


def test_unknown_is_accepted_at_any_age(case_data: Data, member_data: Data) -> None:
    data = case_data(members=[member_data(dependent_child="unknown")])  # 41
    assert CaseIn.model_validate(data, context={"today": TODAY}).members[0].dependent_child == "unknown"


def test_a_code_outside_the_list_is_refused(case_data: Data, member_data: Data, errors_of: Errors) -> None:
    data = _household(case_data, member_data, date_of_birth="2004-01-01", dependent_child="true")
    (error,) = errors_of(CaseIn, data)
    assert (error["field"], error["code"]) == ("members.1.dependent_child", "unknown_code")


def test_the_snapshot_carries_true_false_or_none(case_data: Data, member_data: Data) -> None:
    data = case_data(
        members=[
            member_data(),  # 41: not asked
            member_data(
                first_name="A", relationship="child", date_of_birth="2004-01-01", dependent_child="yes"
            ),
            member_data(
                first_name="B", relationship="child", date_of_birth="2003-05-05", dependent_child="no"
            ),
            member_data(first_name="C", relationship="child", date_of_birth="2010-09-01"),  # 15, not given
            member_data(
                first_name="D", relationship="sibling", date_of_birth="2010-09-01", dependent_child="no"
            ),
            member_data(first_name="E", relationship="child", date_of_birth="2015-02-02"),  # 11: not asked
        ]
    )
    case = HouseholdChangeIn.model_validate(data, context={"today": TODAY})

    members = to_household_snapshot(case, TODAY).members

    assert [(m.age_band, m.relationship, m.dependent, m.dependent_child) for m in members] == [
        ("26-64", "applicant", False, None),
        ("18-25", "child", True, True),  # 22, studies
        ("18-25", "child", True, False),  # 23, works: a further person 15+
        ("15-17", "child", True, None),  # 15, not established
        ("15-17", "sibling", False, False),
        ("6-14", "child", True, None),
    ]


def test_the_snapshot_says_none_once_the_member_is_26(case_data: Data, member_data: Data) -> None:
    # recorded as studying at 25 (on 15 June 2026); the snapshot built on the 26th birthday no longer asks
    data = _household(case_data, member_data, date_of_birth="2000-06-16", dependent_child="yes")
    case = CaseIn.model_validate(data, context={"today": TODAY})
    (_, older) = to_household_snapshot(case, date(2026, 6, 16)).members
    assert (older.age_band, older.dependent_child) == ("26-64", None)


def test_the_form_sends_the_select_and_a_select_alone_makes_no_member() -> None:
    values = {
        "members.0.first_name": "Jana",
        "members.0.relationship": "applicant",
        "members.0.dependent_child": "unknown",
        "members.1.dependent_child": "unknown",  # an empty row: the select alone does not count
        "members.2.first_name": "Petr",
        "members.2.dependent_child": "no",
    }

    form = case_from_form(values, {}, "u-1")

    assert [m.get("dependent_child") for m in form.data["members"]] == ["unknown", "no"]
    assert form.form_field("members.1.dependent_child") == "members.2.dependent_child"
    assert field_label("members.2.dependent_child") == "Člen 3: nezaopatřené dítě"


def test_the_household_page_round_trips_a_stored_household_with_more_rows_than_the_new_form(
    case_data: Data, member_data: Data
) -> None:
    incomes = [{"source": s, "amount_monthly": "1000"} for s in ("employment", "pension", "maintenance")]
    children = [
        member_data(
            first_name=f"Dítě {i}", relationship="child", date_of_birth="2008-01-01", dependent_child="yes"
        )
        for i in range(4)
    ]
    stored = CaseIn.model_validate(
        case_data(members=[member_data(incomes=incomes), *children]), context={"today": TODAY}
    ).model_dump(mode="json", exclude={"contact_id"})

    values, lists = form_from_household(stored)
    form = case_from_form(values, lists, "someone-else")

    assert len(form.data["members"]) == 5
    assert [m["dependent_child"] for m in form.data["members"]] == ["unknown", "yes", "yes", "yes", "yes"]
    assert [i["source"] for i in form.data["members"][0]["incomes"]] == [
        "employment",
        "pension",
        "maintenance",
    ]
    again = CaseIn.model_validate(form.data, context={"today": TODAY}).model_dump(
        mode="json", exclude={"contact_id"}
    )
    assert again == stored


def test_the_form_row_shows_the_select_while_the_age_is_unknown_or_15_to_25() -> None:
    today = date.today()
    twenty = today.replace(year=today.year - 20, day=min(today.day, 28))
    assert asks_dependent_child("") is True  # an empty row: the age is not known yet
    assert asks_dependent_child("včera") is True  # not a date: validation will say so
    assert asks_dependent_child(twenty.isoformat()) is True
    assert asks_dependent_child(f"{twenty.day}. {twenty.month}. {twenty.year}") is True
    assert asks_dependent_child("15. 3. 1985") is False
    assert asks_dependent_child("2020-01-01") is False  # 6 or older, under 15 until 2035
