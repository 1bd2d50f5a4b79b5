"""Plausibility of what an author writes: IČO check digit, Czech phones, e-mail, street and house
number, dates, capacity by kind; a stored entry is read back whatever rules came later; the leaflet
leaves out entries nobody could reach. Expected values are worked out from the rules by hand."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from kmb_catalogue.domain import (
    CapacityOutOfRange,
    Solution,
    SolutionCreate,
    SolutionKind,
    leaflet_content,
    resize_capacity,
)
from kmb_catalogue.domain.plausibility import STORED, capacity_bounds, check_date

from .conftest import solution_data

K = SolutionKind
MakeSolution = Callable[..., Solution]


def _errors(kind: SolutionKind, **overrides: Any) -> list[tuple[str, str]]:
    """(field, code) of each refusal of a new entry of ``kind`` with ``overrides``."""
    data = solution_data(kind, **overrides)
    data.pop("id")
    with pytest.raises(ValidationError) as refused:
        SolutionCreate.model_validate(data)
    return [(".".join(str(p) for p in e["loc"]), e["type"]) for e in refused.value.errors()]


def _accepted(kind: SolutionKind, **overrides: Any) -> SolutionCreate:
    data = solution_data(kind, **overrides)
    data.pop("id")
    return SolutionCreate.model_validate(data)


# IČO: weights 8, 7, 6, 5, 4, 3, 2 on the first seven digits; r = sum mod 11; the check digit is
# (11 - r) mod 10, so r = 0 gives 1 and r = 1 gives 0.
VALID_ICO = [
    # 2·8 + 5·7 + 5·6 + 9·5 + 6·4 + 6·3 + 4·2 = 16+35+30+45+24+18+8 = 176 = 16·11, r = 0 -> 1
    "25596641",
    # 2·8 + 7·7 + 0·6 + 8·5 + 2·4 + 4·3 + 4·2 = 16+49+0+40+8+12+8 = 133 = 12·11 + 1, r = 1 -> 0
    "27082440",
    # 0+0+0 + 6·5 + 4·4 + 5·3 + 8·2 = 30+16+15+16 = 77 = 7·11, r = 0 -> 1 (the City of Prague)
    "00064581",
    # 1·8 + 2·7 + 3·6 + 4·5 + 5·4 + 6·3 + 7·2 = 8+14+18+20+20+18+14 = 112 = 10·11 + 2, r = 2 -> 9
    "12345679",
]
INVALID_ICO = [
    ("25596642", "ico_checksum"),  # as above, the check digit must be 1
    ("12345678", "ico_checksum"),  # r = 2 -> 9, not 8
    ("27082441", "ico_checksum"),  # r = 1 -> 0, not 1
    ("2559664", "ico_format"),  # seven digits
    ("2559664a", "ico_format"),
]


@pytest.mark.parametrize("ico", VALID_ICO)
def test_an_ico_with_its_check_digit_is_accepted(ico: str) -> None:
    assert _accepted(K.DEBT_ADVICE, provider={"name": "Poradna", "ico": ico}).provider.ico == ico


@pytest.mark.parametrize(("ico", "code"), INVALID_ICO)
def test_an_ico_without_its_check_digit_is_refused_at_its_field(ico: str, code: str) -> None:
    assert _errors(K.DEBT_ADVICE, provider={"name": "Poradna", "ico": ico}) == [("provider.ico", code)]


@pytest.mark.parametrize("phone", ["+420 241 000 111", "241000111", "241 000 111", "00420 777 123 456"])
def test_czech_phone_numbers_are_accepted(phone: str) -> None:
    assert _accepted(K.DEBT_ADVICE, contacts={"phones": [phone]}).contacts.phones == (phone,)


@pytest.mark.parametrize(
    "phone",
    [
        "zavolejte",
        "24100011",  # 8 digits
        "2410001111",  # 10 digits
        "+421 905 123 456 7",  # Slovak prefix and 10 digits
        "+420 24100011",  # 8 digits after +420
        "241-000-111",
    ],
)
def test_other_phone_numbers_are_refused(phone: str) -> None:
    assert _errors(K.DEBT_ADVICE, contacts={"phones": [phone]}) == [("contacts.phones", "phone_invalid")]


@pytest.mark.parametrize(
    "email", ["bez-zavinace", "a@b", "a@@b.cz", "a b@c.cz", "info@poradna..cz", "info@poradna.c", ".a@b.cz"]
)
def test_malformed_email_addresses_are_refused(email: str) -> None:
    assert _errors(K.DEBT_ADVICE, contacts={"email": email}) == [("contacts.email", "email_invalid")]


def test_a_plain_email_address_is_accepted() -> None:
    entry = _accepted(K.DEBT_ADVICE, contacts={"email": "poradna.lipovec@op-lipovec.cz"})
    assert entry.contacts.email == "poradna.lipovec@op-lipovec.cz"


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ({"street": "Sadová", "city": "Lipovec"}, [("address.street", "street_invalid")]),
        ({"street": "12", "city": "Lipovec"}, [("address.street", "street_invalid")]),
        ({"street": "Sadová 5", "city": "12345"}, [("address.city", "city_invalid")]),
    ],
)
def test_an_address_needs_a_street_with_its_number_and_a_town(
    address: dict[str, str], refused: list[tuple[str, str]]
) -> None:
    assert _errors(K.DEBT_ADVICE, address=address) == refused


@pytest.mark.parametrize("street", ["Sadová 5", "Vršovická 1429/68", "Lipovec 12", "nám. Míru 1"])
def test_streets_with_a_house_number_are_accepted(street: str) -> None:
    assert _accepted(K.DEBT_ADVICE, address={"street": street, "city": "Lipovec"}).address is not None


def test_dates_before_2000_or_more_than_ten_years_ahead_are_refused() -> None:
    today = date(2026, 3, 2)
    assert check_date(date(2000, 1, 1), ahead_of=today) == date(2000, 1, 1)
    assert check_date(date(2036, 3, 2), ahead_of=today) == date(2036, 3, 2)  # ten years to the day
    for wrong in (date(1999, 12, 31), date(2036, 3, 3), date(1026, 1, 1)):
        with pytest.raises(ValueError, match=re.escape("Datum musí být mezi 1. 1. 2000 a 2. 3. 2036")):
            check_date(wrong, ahead_of=today)
    # leap day: ten years after 29 February 2028 is 28 February 2038
    assert check_date(date(2038, 2, 28), ahead_of=date(2028, 2, 29)) == date(2038, 2, 28)


def test_an_entry_with_an_implausible_validity_is_refused_at_its_field() -> None:
    assert _errors(K.DEBT_ADVICE, valid_from="1999-12-31") == [("valid_from", "date_out_of_range")]
    assert _errors(K.DEBT_ADVICE, valid_to="2226-01-01") == [("valid_to", "date_out_of_range")]


@pytest.mark.parametrize(
    ("kind", "low", "high"),
    [
        (K.MUNICIPAL_FLAT, 1, 1),  # one dwelling: one unit
        (K.MARKET_OFFER, 1, 1),
        (K.NGO_FLAT, 1, 100),  # a programme of flats
        (K.SUPPORTED_MUNICIPAL_HOUSING, 1, 100),
        (K.ASYLUM_HOUSE, 1, 300),  # beds
        (K.NIGHT_SHELTER, 1, 300),
        (K.WOMENS_SHELTER, 1, 300),
        (K.COMMERCIAL_HOSTEL, 1, 600),
        (K.HOUSING_ASSISTANCE, 1, 300),  # households a service can take on
    ],
)
def test_capacity_has_bounds_by_kind(kind: SolutionKind, low: int, high: int) -> None:
    assert capacity_bounds(kind) == (low, high)
    _accepted(kind, capacity={"total": high, "free": 0})
    for total in (low - 1, high + 1):
        assert _errors(kind, capacity={"total": total, "free": 0}) == [("capacity", "capacity_out_of_range")]


def test_a_flat_of_two_units_is_refused_with_a_clear_message() -> None:
    data = solution_data(K.MUNICIPAL_FLAT, capacity={"total": 2, "free": 2})
    data.pop("id")
    with pytest.raises(ValidationError) as refused:
        SolutionCreate.model_validate(data)
    assert "Byt je jedna bytová jednotka" in str(refused.value)


def test_a_shelter_cannot_be_resized_beyond_its_bounds(make_solution: MakeSolution) -> None:
    shelter = make_solution(K.ASYLUM_HOUSE, capacity={"total": 30, "free": 3})
    assert resize_capacity(shelter, 300).capacity is not None
    for total in (0, 301, 3000):
        with pytest.raises(CapacityOutOfRange) as refused:
            resize_capacity(shelter, total)
        assert (refused.value.code, refused.value.field) == ("capacity_out_of_range", "total")
        assert refused.value.message == "Kapacita celkem musí být 1 až 300."


def test_an_entry_stored_before_a_rule_is_still_read_back() -> None:
    data = solution_data(
        K.MUNICIPAL_FLAT,
        capacity={"total": 5, "free": 2},
        provider={"name": "Město", "ico": "12345678"},
        contacts={"phones": ["zavolejte"], "email": "bez-zavinace"},
        address={"street": "Sadová", "city": "Lipovec"},
        valid_from="1999-01-01",
    )
    with pytest.raises(ValidationError):
        Solution.model_validate(data)
    assert Solution.model_validate(data, context=STORED).capacity is not None


def test_an_entry_nobody_could_reach_is_not_on_the_leaflet(make_solution: MakeSolution) -> None:
    on = date(2026, 3, 2)
    reached = [
        make_solution(K.DEBT_ADVICE, 1, title="S telefonem", contacts={"phones": ["+420 241 000 111"]}),
        make_solution(K.DEBT_ADVICE, 2, title="S e-mailem", contacts={"email": "a@poradna.cz"}),
        make_solution(K.DEBT_ADVICE, 3, title="S webem", contacts={"web": "https://poradna.cz"}),
    ]
    unreachable = make_solution(
        K.DEBT_ADVICE,
        4,
        title="Bez kontaktu",
        contacts={"person": "paní Nováková"},
        address={"street": "Sadová 5", "city": "Lipovec"},
    )
    leaflet = leaflet_content([*reached, unreachable], on, "Lipovec")
    titles = {item.title for section in leaflet.sections for item in section.items}
    assert titles == {"S telefonem", "S e-mailem", "S webem"}
