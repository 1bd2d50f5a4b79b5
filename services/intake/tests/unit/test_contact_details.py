from __future__ import annotations

import pytest

from kmb_intake.domain import normalize_email, normalize_orp_code, normalize_phone, normalize_postal_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("777 123 456", "+420777123456"),
        ("777123456", "+420777123456"),
        ("+420 777 123 456", "+420777123456"),
        ("00420 777-123-456", "+420777123456"),
        ("222 333 444", "+420222333444"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0049 30 1234567", "+49301234567"),
    ],
)
def test_czech_and_international_phone_numbers_are_normalised_to_e164(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "12345",  # too short for a Czech number
        "7771234567",  # 10 digits without a country code
        "077712345",  # Czech numbers do not start with 0 or 1
        "+420 777 123 45",  # +420 needs 9 national digits
        "+420 077 123 456",
        "+0 123 456 789",  # no country code starts with 0
        "+1234567890123456",  # 16 digits, E.164 allows 15
        "777 12a 456",
        "",
    ],
)
def test_invalid_phone_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_phone(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jana.novakova@example.cz", "jana.novakova@example.cz"),
        ("Jana+kmb@Praha7.CZ", "Jana+kmb@praha7.cz"),
        ("info@příklad.cz", "info@příklad.cz"),
        (" a@b.cz ", "a@b.cz"),
    ],
)
def test_valid_email_addresses_are_accepted_with_lower_cased_domain(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "jana",
        "jana@",
        "@example.cz",
        "jana@example",
        "jana..novakova@example.cz",
        ".jana@example.cz",
        "jana@-example.cz",
        "jana@exa mple.cz",
        "a@b@example.cz",
        "jana@example.123",
        "x" * 65 + "@example.cz",
    ],
)
def test_invalid_email_addresses_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_email(raw)


def test_orp_code_of_four_digits_is_accepted_even_with_a_leading_zero() -> None:
    assert normalize_orp_code("1000") == "1000"
    assert normalize_orp_code("0123") == "0123"


@pytest.mark.parametrize("raw", ["123", "12345", "12a4", "", "1 000"])
def test_orp_code_not_of_four_digits_is_rejected(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_orp_code(raw)


def test_postal_code_is_written_with_a_space_after_three_digits() -> None:
    assert normalize_postal_code("17000") == "170 00"
    assert normalize_postal_code("170 00") == "170 00"
    with pytest.raises(ValueError):
        normalize_postal_code("1700")
