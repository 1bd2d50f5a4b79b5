"""Issue 12's "Done when", in a real browser on the five services and the real broker: a worker opens a
case in the browser and assesses it, prints a pre-filled application for entry into the register
(Act 175/2025 §13–14) and one for housing allowance from the case page, and the PDFs carry the names,
incomes and costs she typed; she records the allowance's submission and later that it was granted; the
analyst sees it counted by kind and outcome on the statistics pages; the client's personal plan prints
in Czech and in Ukrainian. No page visited shows a code value."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from pypdf import PdfReader

from .conftest import Account, System
from .steps import ARTIFACTS, PATIENCE_S, SCREENSHOTS, shoot, sign_in, sign_out
from .test_in_browser import assess

pytestmark = [pytest.mark.kafka, pytest.mark.e2e, pytest.mark.browser]

FIRST, LAST = "Taras", "Kovalenko"
BIRTH_NUMBER = "850315/1239"
#: typed in the form as a worker types them (thousands with a space); the assessment step's household:
#: one adult born 15. 3. 1985 in a hostel, net 15,000 a month and 6,500 of housing costs
EMPLOYMENT, PENSION = 10_000, 5_000
RENT, SERVICES = 6_000, 500
REGISTER = "Žádost o zápis do evidence osob v bytové nouzi"
ALLOWANCE = "Žádost o příspěvek na bydlení"
#: the statistics' names (kmb_shared.contracts.vocabulary APPLICATION_GROUPS / APPLICATION_OUTCOMES and
#: kmb_stats.domain.report_applications: the table, its row of the kind and its columns)
STATS_TABLE = "Žádosti podle druhu a výsledku"
STATS_ALLOWANCE = "příspěvek na bydlení"
STATS_REGISTER = "žádost o zápis do evidence osob v bytové nouzi"
#: the Ukrainian title of the plan (services/intake/src/kmb_intake/locale/uk/LC_MESSAGES, "Můj plán bydlení")
PLAN_UK = "Мій план житла"
#: codes that must never show on a page: kinds, groups, states, outcomes, channels, income sources, dwelling
CODES = re.compile(
    r"\b(housing_allowance|register|municipal_flat|granted|refused|returned|draft|submitted|decided|"
    r"in_person|data_box|employment|pension|commercial_hostel|lodging_contract|income_proof|housing_costs)\b"
)


def typed(amount: int) -> str:
    """An amount as the worker types it into the form: 10 000."""
    return f"{amount:,}".replace(",", " ")


def printed(amount: int) -> str:
    """An amount as a Czech document prints it: 10 000 Kč."""
    return f"{typed(amount)} Kč"


def no_codes(page: Page) -> None:
    found = CODES.findall(page.inner_text("main"))
    assert not found, f"code values {found} on {page.url}"


def open_case(page: Page) -> str:
    page.get_by_role("main").get_by_role("link", name="Nový případ").click()
    applicant = page.get_by_role("group", name="Člen 1 (žadatel/ka)")
    applicant.get_by_role("textbox", name="Jméno", exact=True).fill(FIRST)
    applicant.get_by_label("Příjmení").fill(LAST)
    applicant.get_by_label("Datum narození").fill("1985-03-15")
    applicant.get_by_label("Rodné číslo").fill(BIRTH_NUMBER)
    applicant.get_by_label("Příjem 1: zdroj").select_option(label="Zaměstnání")
    applicant.get_by_label("Příjem 1: čistého měsíčně (Kč)").fill(typed(EMPLOYMENT))
    applicant.get_by_label("Příjem 2: zdroj").select_option(label="Důchod")
    applicant.get_by_label("Příjem 2: čistého měsíčně (Kč)").fill(typed(PENSION))
    page.get_by_label("Ulice a číslo").fill("Nádražní 5")
    page.get_by_label("Obec").fill("Lipovec")
    page.get_by_label("Kód ORP").fill("1100")
    page.get_by_label("Druh bydlení").select_option(label="Ubytovna")
    page.get_by_label("Právní titul k bydlení").select_option(label="Smlouva o ubytování")
    page.get_by_label("Nájemné", exact=True).fill(typed(RENT))
    page.get_by_label("Služby", exact=True).fill(typed(SERVICES))
    page.get_by_label("Klient(ka) udělil(a) souhlas").check()
    page.get_by_role("button", name="Založit případ").click()
    expect(page.get_by_role("status")).to_have_text("Případ byl založen.")
    match = re.search(r"/cases/([0-9a-f-]{36})", page.url)
    assert match, page.url
    return match.group(1)


def open_application(page: Page, system: System, case_id: str, title: str) -> None:
    page.goto(f"{system.urls['intake']}/cases/{case_id}#h-applications")
    page.get_by_label("Nová žádost").select_option(label=title)
    page.get_by_role("button", name="Založit a předvyplnit z případu").click()
    expect(page.get_by_role("status")).to_have_text(
        "Žádost byla založena a předvyplněna z případu. Zkontrolujte údaje."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("textbox", name="Jméno *")).to_have_value(FIRST)


def print_and_read(page: Page, shot: str) -> str:
    """Print the application as a final version, download it through the page; its text, spaces joined."""
    page.get_by_role("button", name="Vytisknout žádost").click()
    expect(page.get_by_role("status")).to_have_text("Žádost byla vytištěna jako nová verze.")
    versions = page.get_by_role("region", name="Vytištěné verze")
    expect(versions.get_by_role("row").filter(has_text="verze 1")).to_contain_text("konečná")
    no_codes(page)
    shoot(page, shot)
    with page.expect_download() as info:
        versions.get_by_role("link", name="verze 1 (PDF)").click()
    return pdf_text(info.value.path(), info.value.suggested_filename)


def pdf_text(path: Path, name: str) -> str:
    # the file is named as the document is titled, in Czech, not by a code
    assert name.startswith(("Žádost", "Můj plán bydlení")) and name.endswith(".pdf"), name
    target = ARTIFACTS / "downloads" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(path.read_bytes())
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(target)).pages)
    return " ".join(text.replace("\u00a0", " ").split())


def assert_household(text: str) -> None:
    """The names, incomes and costs as typed, and the totals the rule gives (sums of what was typed)."""
    # the birth number as it was typed and is written (YYMMDD/XXXX)
    for value in (FIRST, LAST, BIRTH_NUMBER, "Nádražní 5, Lipovec"):
        assert value in text, value
    for amount in (EMPLOYMENT, PENSION, EMPLOYMENT + PENSION, RENT, SERVICES, RENT + SERVICES):
        assert printed(amount) in text, printed(amount)


def submit_and_grant(page: Page) -> None:
    tracking = page.get_by_role("region", name="Podání a odpověď")
    tracking.get_by_label("Jak").select_option(label="osobně")
    tracking.get_by_role("button", name="Zaznamenat podání").click()
    expect(page.get_by_role("status")).to_have_text("Podání žádosti bylo zaznamenáno.")
    expect(page.get_by_text("podaná, čeká na odpověď")).to_be_visible()
    no_codes(page)
    tracking = page.get_by_role("region", name="Podání a odpověď")
    tracking.get_by_label("Odpověď úřadu").select_option(label="vyhověno")
    tracking.get_by_role("button", name="Zaznamenat odpověď").click()
    expect(page.get_by_role("status")).to_have_text("Odpověď úřadu byla zaznamenána.")
    tracking = page.get_by_role("region", name="Podání a odpověď")
    expect(tracking.locator("strong")).to_have_text("vyhověno")
    no_codes(page)
    shoot(page, "application-granted")


def print_plan(page: Page, shot: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name="Stáhnout PDF k vytištění").click()
    no_codes(page)
    shoot(page, shot)
    return pdf_text(info.value.path(), info.value.suggested_filename)


def row_of(table: Locator, label: str) -> dict[str, str]:
    """A row of a statistics table as {column label: cell text}."""
    headers = table.locator("thead th").all_inner_texts()[1:]
    row = table.locator("tbody tr").filter(has=table.page.get_by_role("rowheader", name=label, exact=True))
    if row.count() == 0:
        return {}
    return dict(zip(headers, row.first.locator("td").all_inner_texts(), strict=True))


def issue_report_until(page: Page, expected: dict[str, str], timeout: float = PATIENCE_S) -> Locator:
    """Issue this quarter's report on the Výkazy page and open its internal version until the
    applications' table counts the allowance as ``expected`` (stats reads the events from Kafka)."""
    deadline = time.monotonic() + timeout
    while True:
        page.get_by_role("navigation", name="Statistika").get_by_role("link", name="Výkazy").click()
        page.get_by_role("button", name="Vydat výkaz").click()
        page.get_by_role("link", name="Interní verze").click()
        table = page.get_by_role("table", name=STATS_TABLE)
        seen = row_of(table, STATS_ALLOWANCE)
        if all(seen.get(column) == value for column, value in expected.items()):
            return table
        if time.monotonic() > deadline:
            raise AssertionError(f"the row {STATS_ALLOWANCE} {seen} never showed {expected}")
        page.wait_for_timeout(300)


def test_a_worker_prints_two_applications_follows_one_to_its_answer_and_the_plan_prints_in_two_languages(
    system: System, accounts: dict[str, Account], context: BrowserContext
) -> None:
    page = context.new_page()
    sign_in(page, system, accounts["worker"])
    case_id = open_case(page)
    assess(page)

    open_application(page, system, case_id, REGISTER)
    page.get_by_label("Popis bytové situace a důvod žádosti").fill("Ubytovna na dobu určitou, smlouva končí.")
    register = print_and_read(page, "application-register")
    assert REGISTER in register and "§ 13 a 14 zákona č. 175/2025 Sb." in register
    assert_household(register)
    assert "nejisté bydlení" in register  # the assessment's need level, read from assessment
    assert "KONCEPT" not in register and "podpis žadatele" in register

    open_application(page, system, case_id, ALLOWANCE)
    page.get_by_label("Období, za které se žádá").fill("1.–3. čtvrtletí 2026")
    allowance = print_and_read(page, "application-allowance")
    assert ALLOWANCE in allowance
    assert_household(allowance)
    assert f"Příjem ze zaměstnání {printed(EMPLOYMENT)}" in allowance
    assert f"Důchody {printed(PENSION)}" in allowance
    assert f"Nájemné {printed(RENT)}" in allowance
    submit_and_grant(page)

    page.goto(f"{system.urls['intake']}/cases/{case_id}#h-applications")
    applications = page.get_by_role("region", name="Žádosti")
    expect(applications.get_by_role("row").filter(has_text=REGISTER)).to_contain_text("rozpracovaná")
    expect(applications.get_by_role("row").filter(has_text=ALLOWANCE)).to_contain_text("vyřízená (vyhověno)")
    no_codes(page)
    shoot(page, "case-applications")

    page.get_by_role("link", name="Můj plán bydlení (pro klienta)").click()
    plan_cs = print_plan(page, "plan-page-cs")
    assert "Můj plán bydlení" in plan_cs and f"{FIRST} {LAST}" in plan_cs
    assert f"{REGISTER} – rozpracovaná" in plan_cs  # the application in progress (the other is answered)
    page.get_by_role("link", name="українською").click()
    plan_uk = print_plan(page, "plan-page-uk")
    assert PLAN_UK in plan_uk and f"{FIRST} {LAST}" in plan_uk  # the name stays as entered
    assert "Můj plán bydlení" not in plan_uk

    sign_out(page)
    sign_in(page, system, accounts["analyst"])
    table = issue_report_until(page, {"Podané žádosti": "1", "Odpověď: vyhověno": "1"})
    allowance_row = row_of(table, STATS_ALLOWANCE)
    assert allowance_row["Odpověď: zamítnuto"] == "0", allowance_row
    assert row_of(table, STATS_REGISTER) == {}  # printed but never submitted: not counted
    table.scroll_into_view_if_needed()
    no_codes(page)
    assert LAST not in page.content()
    shoot(page, "stats-applications")
    table.screenshot(path=str(SCREENSHOTS / "stats-applications-table.png"))
