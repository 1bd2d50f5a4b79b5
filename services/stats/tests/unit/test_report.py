"""Reports for a period and their JSON, CSV and XLSX renderings (figures from conftest.py's history)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from kmb_stats.adapters.text import to_csv, to_csv_bytes, to_json
from kmb_stats.adapters.xlsx import to_xlsx
from kmb_stats.application.projection import Projection
from kmb_stats.domain import Period, Report, build_report

from .conftest import History

SECTIONS = [
    "summary",
    "contacts",
    "cases",
    "need",
    "register",
    "referrals",
    "applications",
    "catalogue",
    "trend",
]


def _report(history: History, suppress: bool, period: str = "2026-Q1") -> Report:
    projection = Projection()
    for event, meta in history.by_time():
        projection.apply(event, meta)
    return build_report(projection.state, Period.parse(period), suppress=suppress)


@pytest.fixture
def raw(history: History) -> Report:
    return _report(history, suppress=False)


@pytest.fixture
def protected(history: History) -> Report:
    return _report(history, suppress=True)


def test_report_has_its_sections_in_order(raw: Report) -> None:
    assert [s.key for s in raw.sections] == SECTIONS


def test_unsuppressed_cross_table_of_need_level_and_household_type(raw: Report) -> None:
    table = raw.table("need_by_level_and_type")
    # A roofless/single, B insecure/family, D inadequate/couple, E at_risk/senior
    assert [r.key for r in table.rows] == ["roofless", "insecure", "inadequate", "at_risk", "total"]
    assert [c.key for c in table.columns] == ["single", "couple", "family_with_children", "senior", "total"]
    assert table.cell("insecure", "family_with_children") == 1
    assert table.cell("insecure", "single") == 0
    assert table.cell("total", "total") == 4


def test_unsuppressed_referrals_by_partner(raw: Report) -> None:
    table = raw.table("referrals_by_partner")
    # made, accepted, declined, completed, overdue in Q1
    assert [list(r.values) for r in table.rows] == [
        [3, 1, 1, 0, 0],  # ngo-a: R2 R3 R6 made, R2 accepted, R3 declined
        [1, 1, 0, 1, 0],  # obec-byty: R5
        [2, 2, 0, 1, 1],  # up-praha: R1 R4, R1 completed, R4 overdue
        [6, 4, 1, 2, 1],
    ]


def test_need_duration_is_banded_with_a_total_of_180_days_and_more(raw: Report) -> None:
    table = raw.table("need_duration")
    # B 197 days, A 386 days on 31 March
    assert [(r.key, r.values[0]) for r in table.rows] == [
        ("180-269", 1),
        ("270-364", 0),
        ("365+", 1),
        ("total", 2),
    ]


def test_housing_time_shows_the_median_of_closed_cases(raw: Report) -> None:
    # C 49 days, F 32 days -> 40.5
    assert raw.table("time_to_housing").cell("housed", "median_days") == 40.5


def test_suppressed_report_hides_small_counts_but_keeps_totals_that_reveal_nothing(protected: Report) -> None:
    channels = protected.table("contacts_by_channel")
    # email 1, field 1, in_person 3, phone 3: all 1..4; the total 8 cannot pin any of them
    assert [r.values[0] for r in channels.rows] == ["<5", "<5", "<5", "<5", 8]
    assert protected.table("summary").cell("households_in_need", "count") == "<5"  # 4
    assert protected.table("summary").cell("referrals_made", "count") == 6


def test_suppressed_medians_need_five_observations(protected: Report) -> None:
    table = protected.table("referral_response_time")
    # per partner 2, 1 and 2 answers -> withheld; all five answers: 1.0, 1.0, 2.5, 3.0, 19.0 -> 2.5
    assert [r.values for r in table.rows] == [("<5", "x"), ("<5", "x"), ("<5", "x"), (5, 2.5)]


def test_catalogue_capacity_is_not_suppressed(protected: Report) -> None:
    table = protected.table("catalogue_capacity")
    # shelter S1: 20 places, 3 free, 17 taken = 85.0 %; all on offer: 24 places, 6 free, 18 taken = 75.0 %
    assert table.cell("shelter", "capacity_occupied") == 17
    assert table.cell("total", "occupancy_pct") == 75.0
    assert table.cell("guaranteed_housing", "capacity_unknown") == 1


def test_json_rendering_carries_period_suppression_and_cells(protected: Report) -> None:
    data = json.loads(to_json(protected))
    assert data["period"] == {
        "code": "2026-Q1",
        "label": "1. čtvrtletí 2026",
        "from": "2026-01-01",
        "to": "2026-03-31",
    }
    assert data["suppressed"] is True
    summary = data["sections"][0]["tables"][0]
    assert summary["rows"][0] == {
        "key": "contacts",
        "label": "Kontakty (poradenství v bydlení)",
        "values": [8],
    }


def test_csv_is_one_semicolon_file_with_section_and_table_headers(raw: Report) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(raw)), delimiter=";"))
    assert rows[0][:2] == ["Statistika kontaktního místa pro bydlení", "1. čtvrtletí 2026"]
    assert ["Oddíl", "Souhrn"] in rows
    assert ["Oddíl", "Předání partnerům"] in rows
    start = rows.index(["Tabulka", "Doba od otevření případu do zajištění vyhovujícího bydlení"])
    assert rows[start + 1] == ["Ukazatel", "Počet případů", "Medián (dny)"]
    assert rows[start + 2] == ["Uzavřeno s vyhovujícím bydlením", "2", "40,5"]  # decimal comma
    assert to_csv_bytes(raw).startswith(b"\xef\xbb\xbf")


def test_xlsx_opens_with_one_sheet_per_section_and_holds_the_numbers(raw: Report, protected: Report) -> None:
    book = load_workbook(io.BytesIO(to_xlsx(raw)))
    expected = [
        "Souhrn",
        "Kontakty",
        "Případy",
        "Bytová nouze",
        "Evidence",
        "Předání",
        "Žádosti",
        "Katalog",
        "Vývoj",
    ]
    assert book.sheetnames == expected
    summary = {row[0]: row[1] for row in book["Souhrn"].iter_rows(values_only=True) if row[0]}
    assert summary["Kontakty (poradenství v bydlení)"] == 8
    assert summary["Domácnosti v bytové nouzi ke konci období"] == 4
    assert summary["Osoby v bytové nouzi ke konci období"] == 9
    cases = [
        row
        for row in book["Případy"].iter_rows(values_only=True)
        if row[0] == "Uzavřeno s vyhovujícím bydlením"
    ]
    assert cases == [("Uzavřeno s vyhovujícím bydlením", 2, 40.5)]
    hidden = load_workbook(io.BytesIO(to_xlsx(protected)))
    values = {row[0]: row[1] for row in hidden["Souhrn"].iter_rows(values_only=True) if row[0]}
    assert values["Domácnosti v bytové nouzi ke konci období"] == "<5"
