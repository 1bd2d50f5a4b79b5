from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kmb_intake.domain import CaseIn, HouseholdChangeIn, age_band, age_in_years, to_household_snapshot

Data = Callable[..., dict[str, Any]]

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("born", "band"),
    [
        ("2026-06-15", "0-5"),  # born today: age 0
        ("2020-06-16", "0-5"),  # turns 6 tomorrow: age 5
        ("2020-06-15", "6-14"),  # 6th birthday today
        ("2011-06-16", "6-14"),  # age 14
        ("2011-06-15", "15-17"),  # 15th birthday today
        ("2008-06-16", "15-17"),  # age 17
        ("2008-06-15", "18-25"),  # 18th birthday today
        ("2000-06-16", "18-25"),  # age 25
        ("2000-06-15", "26-64"),  # 26th birthday today
        ("1961-06-16", "26-64"),  # age 64
        ("1961-06-15", "65+"),  # 65th birthday today
        ("1920-01-01", "65+"),
    ],
)
def test_age_band_boundaries_fall_on_the_birthday(born: str, band: str) -> None:
    assert age_band(date.fromisoformat(born), TODAY) == band


def test_person_born_on_29_february_completes_a_year_on_1_march() -> None:
    born = date(2004, 2, 29)
    assert age_in_years(born, date(2022, 2, 28)) == 17  # 2022 − 2004 = 18, birthday not yet reached
    assert age_in_years(born, date(2022, 3, 1)) == 18


def test_age_of_someone_not_yet_born_is_an_error() -> None:
    with pytest.raises(ValueError):
        age_in_years(date(2026, 6, 16), TODAY)


def _family(case_data: Data, member_data: Data) -> dict[str, Any]:
    consent = {"purpose": "Předání ÚP a NGO", "given_on": "2026-06-10", "worker_id": "w-17"}
    return case_data(
        members=[
            member_data(
                birth_number="855315/1233",  # woman born 1985-03-15 (855315123 mod 11 = 3)
                sex="female",
                flags=["single_parent"],
                incomes=[
                    {"source": "employment", "amount_monthly": "25000.40"},
                    {"source": "child_allowance", "amount_monthly": 1200},
                ],
            ),
            member_data(
                first_name="Bořivoj",
                relationship="child",
                date_of_birth="2000-06-16",  # age 25 at TODAY → dependent
                incomes=[{"source": "employment", "amount_monthly": "10000.20"}],
            ),
            member_data(first_name="Drahomíra", relationship="child", date_of_birth="2000-06-15"),  # age 26
            member_data(first_name="Ludmila", relationship="parent", date_of_birth="1950-01-01"),
        ],
        phone="+420 777 123 456",
        email="kvetoslava.hronkova@example.cz",
        address={
            "street": "Dělnická 1234/56",
            "municipality": "Praha",
            "postal_code": "170 00",
            "district": "Praha 7",
            "orp_code": "1000",
        },
        dwelling={
            "kind": "commercial_hostel",
            "legal_title": "lodging_contract",
            "size_m2": "18.5",
            "rooms": 1,
        },
        costs={"rent": 8500, "services": "2100.50", "energy": 1800},
        arrears=12000,
        other_debts="3499.50",
        notice_date="2026-05-31",
        eviction_date="2026-07-31",
        vulnerability_flags=["single_parent", "single_parent"],
        consent={**consent, "partners": ["up-praha", "ngo-nadeje"]},
        legal_basis="public_task",
    )


def test_members_become_age_band_relationship_sex_dependency_and_flags(
    case_data: Data, member_data: Data
) -> None:
    case = CaseIn.model_validate(_family(case_data, member_data), context={"today": TODAY})
    members = to_household_snapshot(case, TODAY).members
    assert [(m.age_band, m.relationship, m.sex, m.dependent) for m in members] == [
        ("26-64", "applicant", "female", False),  # 2026 − 1985 = 41
        ("18-25", "child", None, True),  # 25 < 26
        ("26-64", "child", None, False),  # 26 is not under 26
        ("65+", "parent", None, False),  # 76
    ]
    assert members[0].flags == ("single_parent",)


def test_money_becomes_whole_crowns_per_month(case_data: Data, member_data: Data) -> None:
    case = CaseIn.model_validate(_family(case_data, member_data), context={"today": TODAY})
    snapshot = to_household_snapshot(case, TODAY)
    # employment 25 000.40 + 10 000.20 = 35 000.60 → 35 001; child allowance 1 200
    assert snapshot.income_by_source == {"employment": 35001, "child_allowance": 1200}
    assert snapshot.income_monthly == 36201  # 35 001 + 1 200
    assert (snapshot.rent_monthly, snapshot.services_monthly, snapshot.energy_monthly) == (8500, 2101, 1800)
    assert snapshot.debts_total == 15500  # 12 000 + 3 499.50 = 15 499.50 → 15 500


def test_address_dwelling_dates_flags_and_processing_ground_are_kept(
    case_data: Data, member_data: Data
) -> None:
    case = CaseIn.model_validate(_family(case_data, member_data), context={"today": TODAY})
    snapshot = to_household_snapshot(case, TODAY)
    assert (snapshot.district, snapshot.orp_code) == ("Praha 7", "1000")
    assert snapshot.dwelling is not None
    assert (snapshot.dwelling.kind, snapshot.dwelling.legal_title) == (
        "commercial_hostel",
        "lodging_contract",
    )
    assert (snapshot.dwelling.size_m2, snapshot.dwelling.rooms) == (18.5, 1)
    assert (snapshot.notice_date, snapshot.eviction_date) == (date(2026, 5, 31), date(2026, 7, 31))
    assert snapshot.vulnerability_flags == ("single_parent",)
    assert snapshot.consent_partners == ("up-praha", "ngo-nadeje")
    assert snapshot.legal_basis == "public_task"


def test_snapshot_json_contains_no_direct_identifiers(case_data: Data, member_data: Data) -> None:
    case = CaseIn.model_validate(_family(case_data, member_data), context={"today": TODAY})
    text = to_household_snapshot(case, TODAY).model_dump_json()
    forbidden = [
        "Květoslava",
        "Hronková",
        "Bořivoj",
        "Drahomíra",
        "Ludmila",
        "855315",  # birth number, with or without slash
        "8553151233",
        "777",  # phone digits
        "+420",
        "kvetoslava",
        "example.cz",
        "@",
        "Dělnická",
        "1234/56",
        "170 00",
        "1985-03-15",  # exact date of birth
    ]
    assert [value for value in forbidden if value in text] == []


def test_household_change_gives_a_snapshot_as_well(case_data: Data, member_data: Data) -> None:
    change = HouseholdChangeIn.model_validate(
        {**_family(case_data, member_data), "note": "dcera se odstěhovala"}, context={"today": TODAY}
    )
    assert len(to_household_snapshot(change, TODAY).members) == 4


def test_household_with_legal_basis_only_has_no_consent_partners(case_data: Data) -> None:
    case = CaseIn.model_validate(case_data(), context={"today": TODAY})
    snapshot = to_household_snapshot(case, TODAY)
    assert snapshot.consent_partners == ()
    assert snapshot.income_monthly == 0
    assert snapshot.income_by_source == {}
