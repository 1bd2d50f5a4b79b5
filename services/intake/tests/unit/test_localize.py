from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kmb_intake.domain import MESSAGES, CaseIn, localize_error_list

Data = Callable[..., dict[str, Any]]
Errors = Callable[..., list[dict[str, str]]]


def test_each_error_has_field_code_and_czech_and_english_message(
    case_data: Data, member_data: Data, errors_of: Errors
) -> None:
    data = case_data(
        members=[member_data(birth_number="850315/1238", date_of_birth="2030-01-01")],
        phone="1",
        costs={"rent": -1},
    )
    items = errors_of(CaseIn, data)
    assert {item["field"] for item in items} == {
        "members.0.birth_number",
        "members.0.date_of_birth",
        "phone",
        "costs.rent",
    }
    for item in items:
        assert set(item) == {"field", "code", "message_cs", "message_en"}
        assert item["message_cs"] and item["message_en"]
        assert item["message_cs"] != item["message_en"]


def test_birth_number_mismatch_message_names_both_dates(
    case_data: Data, member_data: Data, errors_of: Errors
) -> None:
    data = case_data(members=[member_data(date_of_birth="1985-03-16", birth_number="8503151239")])
    [item] = errors_of(CaseIn, data)
    assert item["code"] == "birth_number_mismatch"
    assert "1985-03-15" in item["message_cs"] and "1985-03-16" in item["message_cs"]
    assert "1985-03-15" in item["message_en"] and "1985-03-16" in item["message_en"]


def test_unknown_code_message_lists_the_allowed_values(case_data: Data, errors_of: Errors) -> None:
    [item] = errors_of(CaseIn, case_data(legal_basis="because"))
    assert item["message_cs"].startswith("Neznámá hodnota „because“")
    assert "public_task" in item["message_cs"] and "public_task" in item["message_en"]


def test_missing_consent_is_reported_on_the_consent_field_in_czech(
    case_data: Data, errors_of: Errors
) -> None:
    data = case_data()
    del data["legal_basis"]
    [item] = errors_of(CaseIn, data)
    assert item == {
        "field": "consent",
        "code": "consent_or_legal_basis_required",
        "message_cs": MESSAGES["consent_or_legal_basis_required"].cs,
        "message_en": MESSAGES["consent_or_legal_basis_required"].en,
    }


def test_text_limits_are_filled_into_the_message(case_data: Data, errors_of: Errors) -> None:
    data = case_data(address={"orp_code": "1000", "street": "x" * 201})
    [item] = errors_of(CaseIn, data)
    assert item["code"] == "too_long"
    assert "200" in item["message_cs"] and "200" in item["message_en"]


def test_pydantic_error_type_without_a_mapping_falls_back_to_invalid_value() -> None:
    [item] = localize_error_list([{"type": "something_new", "loc": ("a", 0), "msg": "?", "input": 1}])
    assert item["field"] == "a.0"
    assert item["code"] == "invalid_value"
    assert item["message_cs"] == MESSAGES["invalid_value"].cs


def test_every_message_has_czech_and_english_text() -> None:
    for code, message in MESSAGES.items():
        assert message.cs.strip(), code
        assert message.en.strip(), code
