from __future__ import annotations

from datetime import date

import pytest

from kmb_intake.domain import InvalidBirthNumber, check_digit, parse_birth_number


def test_check_digit_is_the_remainder_of_the_first_nine_digits_mod_11() -> None:
    # 850315123 = 11 × 77301374 + 9  (11 × 77301374 = 850315114; 850315123 − 850315114 = 9)
    assert check_digit("850315123") == 9


def test_check_digit_is_zero_when_the_remainder_is_ten() -> None:
    # 850315124 = 850315123 + 1 → remainder 9 + 1 = 10 → check digit 0
    assert check_digit("850315124") == 0


def test_ten_digit_number_of_a_man_born_1985_is_valid_and_decoded() -> None:
    # 850315123 mod 11 = 9 (above) → 850315/1239; month 03 = man, YY 85 ≥ 54 → 1985
    parsed = parse_birth_number("850315/1239")
    assert parsed.birth_date == date(1985, 3, 15)
    assert parsed.sex == "male"
    assert parsed.digits == "8503151239"
    assert parsed.formatted() == "850315/1239"


def test_ten_digit_number_is_accepted_without_the_slash() -> None:
    assert parse_birth_number("8503151239").birth_date == date(1985, 3, 15)


def test_woman_has_fifty_added_to_the_month() -> None:
    # month 03 + 50 = 53; 855315123 = 11 × 77755920 + 3 (11 × 77755920 = 855315120) → check digit 3
    parsed = parse_birth_number("855315/1233")
    assert parsed.birth_date == date(1985, 3, 15)
    assert parsed.sex == "female"


def test_remainder_ten_with_check_digit_zero_is_valid() -> None:
    # 850315124 mod 11 = 10 → check digit 0. The whole number 8503151240 is NOT divisible by 11
    # (8503151240 = 850315124 × 10 → remainder 10 × 10 = 100 = 9 × 11 + 1 → 1), so only the special
    # rule accepts it.
    assert parse_birth_number("850315/1240").birth_date == date(1985, 3, 15)


def test_remainder_ten_with_a_nonzero_check_digit_is_rejected() -> None:
    with pytest.raises(InvalidBirthNumber) as caught:
        parse_birth_number("850315/1241")
    assert caught.value.code == "birth_number_checksum"


def test_wrong_check_digit_is_rejected() -> None:
    # the right check digit of 850315123 is 9 (see above), 8 is wrong
    with pytest.raises(InvalidBirthNumber) as caught:
        parse_birth_number("850315/1238")
    assert caught.value.code == "birth_number_checksum"


def test_man_born_since_2004_may_have_twenty_added_to_the_month() -> None:
    # 2010-07-04, month 07 + 20 = 27, YY 10 < 54 → 2000s; 102704001 = 11 × 9336727 + 4
    # (11 × 9336727 = 102703997; 102704001 − 102703997 = 4) → check digit 4
    parsed = parse_birth_number("102704/0014")
    assert parsed.birth_date == date(2010, 7, 4)
    assert parsed.sex == "male"


def test_woman_born_since_2004_may_have_seventy_added_to_the_month() -> None:
    # month 07 + 70 = 77; 107704001 = 11 × 9791272 + 9 (11 × 9791272 = 107703992) → check digit 9
    parsed = parse_birth_number("107704/0019")
    assert parsed.birth_date == date(2010, 7, 4)
    assert parsed.sex == "female"


def test_month_plus_twenty_before_2004_is_not_a_valid_date() -> None:
    # 902704001 = 11 × 82064000 + 1 → check digit 1 is right, but 1990 knows no +20 → month 27
    with pytest.raises(InvalidBirthNumber) as caught:
        parse_birth_number("902704/0011")
    assert caught.value.code == "birth_number_date"


def test_month_thirteen_with_a_valid_check_digit_is_not_a_valid_date() -> None:
    # 851315123 = 11 × 77392283 + 10 (11 × 77392283 = 851315113) → check digit 0; month 13 invalid
    with pytest.raises(InvalidBirthNumber) as caught:
        parse_birth_number("851315/1230")
    assert caught.value.code == "birth_number_date"


def test_thirtieth_of_february_is_not_a_valid_date() -> None:
    # 850230123 = 11 × 77293647 + 6 (11 × 77293647 = 850230117) → check digit 6; 30 Feb invalid
    with pytest.raises(InvalidBirthNumber) as caught:
        parse_birth_number("850230/1236")
    assert caught.value.code == "birth_number_date"


def test_nine_digit_number_before_1954_has_no_check_digit() -> None:
    # YY 50 → 1950 (9-digit numbers are all from the 1900s); any serial is accepted
    parsed = parse_birth_number("505510/123")
    assert parsed.birth_date == date(1950, 5, 10)
    assert parsed.sex == "female"


def test_nine_digit_number_from_1954_on_is_missing_its_check_digit() -> None:
    with pytest.raises(InvalidBirthNumber) as caught:
        parse_birth_number("600510/123")
    assert caught.value.code == "birth_number_check_digit_missing"


@pytest.mark.parametrize("raw", ["", "85031", "850315/12", "850315/12390", "85O315/1239", "850315-1239"])
def test_malformed_numbers_are_rejected_as_format_errors(raw: str) -> None:
    with pytest.raises(InvalidBirthNumber) as caught:
        parse_birth_number(raw)
    assert caught.value.code == "birth_number_format"
