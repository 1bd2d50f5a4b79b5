from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

from kmb_shared.formatting import (
    NBSP,
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_percent,
    month_label,
    plural,
    plural_form,
    week_label,
)

NB = "\u00a0"  # CLDR's Czech group separator, and the space before "Kč" and "%"


def test_dates_as_czech_writes_them() -> None:
    assert NBSP == NB
    assert format_date(date(2026, 12, 2)) == "2. 12. 2026"  # CLDR cs medium date: d. M. y
    assert format_date(date(2026, 3, 15)) == "15. 3. 2026"
    assert format_date("2026-03-05", nbsp=True) == f"5.{NB}3.{NB}2026"
    # 23:30 UTC on 31 Dec is already 1 Jan in Prague
    assert format_date(datetime(2025, 12, 31, 23, 30, tzinfo=UTC)) == "1. 1. 2026"
    assert format_date(None) == "" and format_date("not a date") == ""


def test_moments_in_prague_time() -> None:
    assert format_datetime(datetime(2026, 3, 15, 13, 5, tzinfo=UTC)) == "15. 3. 2026 14:05"  # CET
    assert format_datetime(datetime(2026, 7, 1, 10, 0, 7, tzinfo=UTC), seconds=True) == "1. 7. 2026 12:00:07"
    assert format_datetime("2026-07-01T10:00:00+00:00") == "1. 7. 2026 12:00"
    assert format_datetime(datetime(2026, 1, 5, 8, 5)) == "5. 1. 2026 09:05"  # naive = UTC
    # 22:30 UTC on 31 Oct (CET again since 25 Oct) is 23:30 the same day; on 1 Jul it is 00:30 the next
    assert format_datetime(datetime(2026, 10, 31, 22, 30, tzinfo=UTC)) == "31. 10. 2026 23:30"
    assert format_datetime(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == "1. 7. 2026 00:30"


def test_money_numbers_and_percent() -> None:
    assert format_money(12000) == f"12{NB}000{NB}Kč"
    assert format_money(950) == f"950{NB}Kč"
    assert format_money(Decimal("12500.5")) == f"12{NB}500,50{NB}Kč"
    assert format_money(1234) == f"1{NB}234{NB}Kč"
    assert format_money(1234, cents=True) == f"1{NB}234,00{NB}Kč"
    assert format_money(Decimal("0.125"), cents=True) == f"0,13{NB}Kč"  # half up
    assert format_money(12500, nbsp=False) == "12 500 Kč"
    assert format_money(None) == ""
    assert format_number(1234.5) == f"1{NB}234,5"
    assert format_number(28.0) == "28"
    assert format_number(2.25, 1) == "2,3"  # half up, not to even
    assert format_number(Fraction(1, 3), 2) == "0,33"
    assert format_number(1234567) == f"1{NB}234{NB}567"
    assert format_number(75, 1, min_decimals=1) == "75,0"
    assert format_number(12345, nbsp=False) == "12 345"
    assert format_percent(12.55) == f"12,6{NB}%"
    assert format_percent(75) == f"75{NB}%"


def test_plural_forms() -> None:
    assert plural(1, "den", "dny", "dní") == "1 den"
    assert plural(3, "den", "dny", "dní") == "3 dny"
    assert plural(5, "den", "dny", "dní") == "5 dní"
    assert plural(0, "bod", "body", "bodů") == "0 bodů"
    assert plural(1.5, "den", "dny", "dní", many="dne") == "1,5 dne"
    # CLDR cs: "few" is 2–4 only, so 22 takes "other" (22 osob)
    assert plural(22, "osoba", "osoby", "osob", number=False) == "osob"
    # a large count is grouped (no-break space), or with a plain space for text in events
    assert plural(1200, "den", "dny", "dní") == f"1{NB}200 dní"
    assert plural(1200, "den", "dny", "dní", nbsp=False) == "1 200 dní"
    assert [plural_form(n) for n in (0, 1, 2, 4, 5, 22, 1.5)] == [
        "other", "one", "few", "few", "other", "other", "many",
    ]  # fmt: skip


def test_week_and_month_labels() -> None:
    assert week_label(date(2026, 12, 2)) == "49. týden 2026"
    assert week_label(date(2027, 1, 1)) == "53. týden 2026"  # ISO year
    assert month_label(2026, 1) == "leden 2026"
    assert month_label(2026, 7) == "červenec 2026"
    assert month_label(2026, 12) == "prosinec 2026"


def test_the_page_filters_take_values_as_templates_hold_them() -> None:
    from kmb_shared.web.filters import CZECH_FILTERS as f

    assert f["cz_date"]("2026-03-05") == "5. 3. 2026" and f["cz_date"](None) == ""
    assert f["cz_date"]("neuvedeno") == "neuvedeno"  # not a date: as it is
    assert f["cz_datetime"]("2026-03-05T13:05:07+00:00", seconds=True) == "5. 3. 2026 14:05:07"
    assert f["cz_money"]("12500.5") == f"12{NB}500,50{NB}Kč" and f["cz_money"]("") == ""
    assert f["cz_number"](54.5) == "54,5" and f["cz_number"]("x") == "x"
    assert f["cz_percent"](12.55) == f"12,6{NB}%"
    assert f["cz_plural"](5, "den", "dny", "dní") == "5 dní"
