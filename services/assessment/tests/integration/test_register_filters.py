"""The register page for the office (issue 11): each entry shows the household's size, need level,
priority and the last day of validity; the list is filtered by need level, the last day of validity,
priority and case number (page, API and the XLSX export, the same filter); bad filter values get a
Czech message and no filter, never an error page. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date, datetime

import openpyxl
import pytest
from assessment_support import ORGANISATION, AssessmentService, case_opened, household, offline, settings

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer

AUDITOR = bearer(Role.AUDITOR, organisation=ORGANISATION)
STREET = {"dwelling_kind": "street", "legal_title": "none"}
HOSTEL = {"dwelling_kind": "commercial_hostel", "legal_title": "lodging_contract"}


@pytest.fixture
async def service(database_url: str) -> AsyncIterator[AssessmentService]:
    async with offline(settings("127.0.0.1:9", "offline.", database_url)) as started:
        yield started


async def three_entries(service: AssessmentService) -> dict[str, dict[str, object]]:
    """Case 1: one adult sleeping rough; case 2: a mother and two children in a commercial hostel;
    case 3: a couple sleeping rough. None has an income, so all three are within the ceiling."""
    one = await service.assess(case_opened(household(("26-64 applicant",)), number=1), STREET)
    family = household(("26-64 applicant", "6-14 child", "0-5 child"))
    two = await service.assess(case_opened(family, number=2), HOSTEL)
    couple = household(("26-64 applicant", "26-64 partner"))
    three = await service.assess(case_opened(couple, number=3), STREET)
    return {"1": one, "2": two, "3": three}


async def test_entries_carry_the_household_size_and_filter_by_need_level_validity_priority_and_number(
    service: AssessmentService,
) -> None:
    await three_entries(service)

    async def numbers(**params: object) -> list[tuple[str, int | None, str]]:
        answer = await service.client.get("/api/register", params=params, headers=AUDITOR)
        assert answer.status_code == 200, answer.text
        return sorted((e["case_number"][-1], e["household_size"], e["need_level"]) for e in answer.json())

    # Sleeping rough is ETHOS 1, "roofless"; a commercial hostel is ETHOS 8, "insecure" (domain.md).
    assert await numbers() == [("1", 1, "roofless"), ("2", 3, "insecure"), ("3", 2, "roofless")]
    assert await numbers(need_level="roofless") == [("1", 1, "roofless"), ("3", 2, "roofless")]
    assert await numbers(need_level=["roofless", "insecure"]) == await numbers()
    assert await numbers(case_number="00002") == [("2", 3, "insecure")]
    assert await numbers(case_number="kmb-2026-0000") == await numbers()  # case-insensitive, a part
    assert await numbers(case_number="%") == []  # a wildcard is a character, not a pattern
    # Entered on 30 September 2026 and valid for 12 months: the last valid day is 30 September 2027.
    assert await numbers(valid_until_to="2027-09-29") == []
    assert await numbers(valid_until_to="2027-09-30") == await numbers()
    # Priority points of the rule set in force: roofless 40 + no income, so below the subsistence
    # minimum, 5 = 45; the family in the hostel: insecure 20 + 5 + 3 per dependent child, under 45.
    assert await numbers(priority_from=45) == [("1", 1, "roofless"), ("3", 2, "roofless")]
    assert await numbers(priority_from=46) == []

    bad = await service.client.get("/api/register", params={"need_level": "homeless"}, headers=AUDITOR)
    assert bad.status_code == 422
    [problem] = bad.json()["detail"]
    assert problem["field"].endswith("need_level.0") and problem["message_cs"] and problem["message_en"]


async def test_the_page_filters_and_says_so_and_the_workbook_has_the_same_entries_in_czech(
    service: AssessmentService,
) -> None:
    await three_entries(service)
    query = {"need_level": "roofless", "valid_until_to": "2027-12-31"}

    page = await service.client.get("/register", params=query, headers=AUDITOR)
    assert page.status_code == 200
    html = page.text
    assert "Filtr: bytová nouze: bez střechy; platí nejdéle do 31. 12. 2027." in html
    active = html.split('id="active"')[1].split('id="due"')[0]
    assert "KMB-2026-00001" in active and "KMB-2026-00003" in active and "KMB-2026-00002" not in active
    assert '<td class="num">2</td>' in active  # the couple's household size
    assert 'href="/register.xlsx?need_level=roofless&amp;valid_until_to=2027-12-31"' in html

    xlsx = await service.client.get("/register.xlsx", params=query, headers=AUDITOR)
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Přehled", "Platné zápisy", "K přehodnocení", "Platnost skončila"]
    overview = [tuple(r) for r in book["Přehled"].iter_rows(values_only=True)]
    assert ("Platné zápisy", 2) in overview
    assert ("Filtr", "bytová nouze: bez střechy; platí nejdéle do 31. 12. 2027") in overview
    rows = list(book["Platné zápisy"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Priorita (body)", "Případ", "Členů domácnosti", "Bytová nouze", "Kategorie ETHOS")
    by_case = {row[1]: row for row in rows[1:]}
    assert set(by_case) == {"KMB-2026-00001", "KMB-2026-00003"}
    couple = by_case["KMB-2026-00003"]
    assert couple[2:4] == (2, "Bez střechy")
    assert str(couple[4]).startswith("1 – ")  # ETHOS 1 with its Czech name
    # Dates are dates (the spreadsheet sorts them), shown as "30. 9. 2027".
    assert couple[6] == datetime(2027, 9, 30) or couple[6] == date(2027, 9, 30)
    assert book["Platné zápisy"].cell(row=2, column=7).number_format == "d. m. yyyy"


async def test_a_filter_value_that_cannot_be_read_is_named_in_czech_and_not_applied(
    service: AssessmentService,
) -> None:
    await three_entries(service)
    page = await service.client.get(
        "/register",
        params={"valid_until_to": "31.12.", "priority_from": "-5", "need_level": "x"},
        headers=AUDITOR,
    )
    assert page.status_code == 200
    html = page.text
    assert "Datum „Platí nejdéle do“ zadejte jako den, měsíc a rok" in html
    assert "Priorita „alespoň“ musí být celé číslo od 0 do 10 000." in html
    assert "Neznámá úroveň bytové nouze – vyberte ji ze seznamu." in html
    for number in ("00001", "00002", "00003"):
        assert f"KMB-2026-{number}" in html
