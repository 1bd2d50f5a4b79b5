from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kmb_intake.domain import CaseIn, CloseCaseIn, HouseholdChangeIn

Data = Callable[..., dict[str, Any]]
Codes = Callable[..., set[tuple[str, str]]]


def _valid(data: dict[str, Any], today: date) -> CaseIn:
    return CaseIn.model_validate(data, context={"today": today})


def test_minimal_case_with_one_applicant_and_a_legal_basis_is_valid(case_data: Data, today: date) -> None:
    case = _valid(case_data(), today)
    assert case.members[0].relationship == "applicant"
    assert case.consent is None
    assert case.costs.rent == Decimal(0)


def test_household_without_members_is_rejected(case_data: Data, codes_of: Codes) -> None:
    assert codes_of(CaseIn, case_data(members=[])) == {("members", "no_members")}


def test_household_with_missing_members_field_reports_it_as_required(
    case_data: Data, codes_of: Codes
) -> None:
    data = case_data()
    del data["members"]
    assert ("members", "required") in codes_of(CaseIn, data)


def test_household_needs_exactly_one_applicant(case_data: Data, member_data: Data, codes_of: Codes) -> None:
    two = case_data(members=[member_data(), member_data()])
    none = case_data(members=[member_data(relationship="partner")])
    assert codes_of(CaseIn, two) == {("members", "applicant_count")}
    assert codes_of(CaseIn, none) == {("members", "applicant_count")}


def test_member_without_name_is_rejected(case_data: Data, member_data: Data, codes_of: Codes) -> None:
    data = case_data(members=[member_data(first_name="  ")])
    assert codes_of(CaseIn, data) == {("members.0.first_name", "required")}


def test_birth_date_in_the_future_is_rejected(case_data: Data, member_data: Data, codes_of: Codes) -> None:
    # TODAY is 2026-06-15
    data = case_data(members=[member_data(date_of_birth="2026-06-16")])
    assert codes_of(CaseIn, data) == {("members.0.date_of_birth", "birth_date_in_future")}


def test_child_born_today_is_accepted(case_data: Data, member_data: Data, today: date) -> None:
    data = case_data(members=[member_data(), member_data(relationship="child", date_of_birth="2026-06-15")])
    assert _valid(data, today).members[1].date_of_birth == today


def test_birth_date_over_130_years_ago_is_rejected(
    case_data: Data, member_data: Data, codes_of: Codes
) -> None:
    # 2026 − 1895 = 131 > 130
    data = case_data(members=[member_data(date_of_birth="1895-01-01")])
    assert codes_of(CaseIn, data) == {("members.0.date_of_birth", "birth_date_implausible")}


def test_valid_birth_number_is_stored_as_digits(case_data: Data, member_data: Data, today: date) -> None:
    # 850315123 mod 11 = 9 → 850315/1239 is a man born 1985-03-15
    data = case_data(members=[member_data(birth_number="850315/1239")])
    assert _valid(data, today).members[0].birth_number == "8503151239"


def test_birth_number_with_a_wrong_check_digit_is_rejected(
    case_data: Data, member_data: Data, codes_of: Codes
) -> None:
    data = case_data(members=[member_data(birth_number="850315/1238")])
    assert codes_of(CaseIn, data) == {("members.0.birth_number", "birth_number_checksum")}


def test_birth_number_disagreeing_with_the_date_of_birth_is_rejected(
    case_data: Data, member_data: Data, codes_of: Codes
) -> None:
    # 850315/1239 encodes 1985-03-15; the date of birth says the 16th
    data = case_data(members=[member_data(date_of_birth="1985-03-16", birth_number="850315/1239")])
    assert codes_of(CaseIn, data) == {("members.0.birth_number", "birth_number_mismatch")}


def test_unknown_relationship_sex_and_flag_are_rejected(
    case_data: Data, member_data: Data, codes_of: Codes
) -> None:
    data = case_data(members=[member_data(relationship="boss", sex="x", flags=["lucky"])])
    assert codes_of(CaseIn, data) == {
        ("members.0.relationship", "unknown_code"),
        ("members.0.sex", "unknown_code"),
        ("members.0.flags.0", "unknown_code"),
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"costs": {"rent": -1}}, "costs.rent"),
        ({"costs": {"services": "-0.01"}}, "costs.services"),
        ({"costs": {"energy": -100}}, "costs.energy"),
        ({"arrears": -5}, "arrears"),
        ({"other_debts": -5}, "other_debts"),
    ],
)
def test_negative_amounts_are_rejected(
    case_data: Data, codes_of: Codes, overrides: dict[str, Any], field: str
) -> None:
    assert codes_of(CaseIn, case_data(**overrides)) == {(field, "negative_amount")}


def test_negative_income_is_rejected(case_data: Data, member_data: Data, codes_of: Codes) -> None:
    member = member_data(
        incomes=[{"source": "pension", "amount_monthly": 100}, {"source": "other", "amount_monthly": -1}]
    )
    assert codes_of(CaseIn, case_data(members=[member])) == {
        ("members.0.incomes.1.amount_monthly", "negative_amount")
    }


def test_unknown_income_source_is_rejected(case_data: Data, member_data: Data, codes_of: Codes) -> None:
    member = member_data(incomes=[{"source": "lottery", "amount_monthly": 100}])
    assert codes_of(CaseIn, case_data(members=[member])) == {("members.0.incomes.0.source", "unknown_code")}


def test_zero_amounts_are_accepted(case_data: Data, today: date) -> None:
    case = _valid(case_data(costs={"rent": 0, "services": 0, "energy": 0}, arrears=0), today)
    assert case.costs.energy == Decimal(0)


def test_negative_dwelling_size_and_rooms_are_rejected(case_data: Data, codes_of: Codes) -> None:
    dwelling = {"kind": "flat", "legal_title": "lease", "size_m2": -1, "rooms": -1}
    assert codes_of(CaseIn, case_data(dwelling=dwelling)) == {
        ("dwelling.size_m2", "negative_value"),
        ("dwelling.rooms", "negative_value"),
    }


def test_unknown_dwelling_kind_and_legal_title_are_rejected(case_data: Data, codes_of: Codes) -> None:
    dwelling = {"kind": "castle", "legal_title": "squatting"}
    assert codes_of(CaseIn, case_data(dwelling=dwelling)) == {
        ("dwelling.kind", "unknown_code"),
        ("dwelling.legal_title", "unknown_code"),
    }


def test_invalid_phone_and_email_are_rejected(case_data: Data, codes_of: Codes) -> None:
    data = case_data(phone="12345", email="jana@example")
    assert codes_of(CaseIn, data) == {("phone", "invalid_phone"), ("email", "invalid_email")}


def test_phone_and_email_are_normalised(case_data: Data, today: date) -> None:
    case = _valid(case_data(phone="777 123 456", email="Jana@Example.CZ"), today)
    assert case.phone == "+420777123456"
    assert case.email == "Jana@example.cz"


def test_address_needs_a_four_digit_orp_code(case_data: Data, codes_of: Codes) -> None:
    assert codes_of(CaseIn, case_data(address={"orp_code": "100"})) == {
        ("address.orp_code", "invalid_orp_code")
    }
    assert codes_of(CaseIn, case_data(address={"district": "Praha 7"})) == {("address.orp_code", "required")}


def test_case_without_consent_or_legal_basis_is_rejected(case_data: Data, codes_of: Codes) -> None:
    data = case_data()
    del data["legal_basis"]
    assert codes_of(CaseIn, data) == {("consent", "consent_or_legal_basis_required")}


def test_consent_alone_is_enough(case_data: Data, today: date) -> None:
    consent = {
        "purpose": "Předání ÚP",
        "given_on": "2026-06-15",
        "worker_id": "w-17",
        "partners": ["up-praha"],
    }
    data = case_data(consent=consent)
    del data["legal_basis"]
    assert _valid(data, today).consent is not None


def test_consent_with_a_bad_partner_slug_or_future_date_is_rejected(case_data: Data, codes_of: Codes) -> None:
    consent = {"purpose": "x", "given_on": "2026-06-16", "worker_id": "w-17", "partners": ["ÚP Praha"]}
    assert codes_of(CaseIn, case_data(consent=consent)) == {
        ("consent.given_on", "date_in_future"),
        ("consent.partners.0", "invalid_slug"),
    }


def test_unknown_legal_basis_is_rejected(case_data: Data, codes_of: Codes) -> None:
    assert codes_of(CaseIn, case_data(legal_basis="because")) == {("legal_basis", "unknown_code")}


def test_household_change_also_needs_consent_or_legal_basis(case_data: Data, codes_of: Codes) -> None:
    data = case_data(note="narodilo se dítě")
    del data["legal_basis"]
    assert codes_of(HouseholdChangeIn, data) == {("consent", "consent_or_legal_basis_required")}


def test_unknown_fields_are_rejected(case_data: Data, codes_of: Codes) -> None:
    assert codes_of(CaseIn, case_data(favourite_colour="blue")) == {("favourite_colour", "unknown_field")}


def test_closing_needs_a_known_reason(codes_of: Codes) -> None:
    assert codes_of(CloseCaseIn, {"reason": "bored"}) == {("reason", "unknown_code")}
    assert codes_of(CloseCaseIn, {}) == {("reason", "required")}


def test_closing_for_another_reason_needs_a_note(codes_of: Codes) -> None:
    assert codes_of(CloseCaseIn, {"reason": "other"}) == {("note", "note_required_for_other")}
    closed = CloseCaseIn.model_validate({"reason": "other", "note": "přestěhování do zahraničí"})
    assert closed.note == "přestěhování do zahraničí"
