from __future__ import annotations

import pytest

from kmb_intake.domain import CaseNumber, InvalidCaseNumber, format_case_number, parse_case_number


def test_case_number_pads_the_sequence_to_five_digits() -> None:
    assert format_case_number(2026, 42) == "KMB-2026-00042"
    assert format_case_number(2026, 1) == "KMB-2026-00001"
    assert format_case_number(2027, 99999) == "KMB-2027-99999"


@pytest.mark.parametrize(("year", "seq"), [(2026, 0), (2026, 100000), (2026, -1), (999, 1), (10000, 1)])
def test_sequence_or_year_out_of_range_cannot_be_formatted(year: int, seq: int) -> None:
    with pytest.raises(InvalidCaseNumber):
        format_case_number(year, seq)


def test_case_number_parses_into_year_and_sequence() -> None:
    assert parse_case_number("KMB-2026-00042") == CaseNumber(2026, 42)
    assert str(CaseNumber(2026, 42)) == "KMB-2026-00042"


@pytest.mark.parametrize(
    "raw",
    [
        "KMB-2026-42",
        "KMB-2026-000042",
        "kmb-2026-00042",
        "KMB-26-00042",
        "KMB-2026-00000",
        "KMB-0999-00001",
        "KMB 2026 00042",
        " KMB-2026-00042",
        "",
    ],
)
def test_malformed_case_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(InvalidCaseNumber) as caught:
        parse_case_number(raw)
    assert caught.value.code == "invalid_case_number"
