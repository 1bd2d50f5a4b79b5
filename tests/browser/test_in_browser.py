"""Issue 6: the people of a contact point use the five services in a real browser, on the real broker.

A worker records a contact and opens a case (correcting a birth number on the way), assesses it,
picks a solution from the catalogue and refers the case to a partner; the partner's user accepts it
from the inbox; the analyst sees the figures change and downloads a report. Analysts never see a
name, and a partner never reaches another organisation's referrals.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer
from kmb_testkit.intake_bodies import case_body, earning_applicant

from .conftest import PARTNER_ORG, Account, System, new_context
from .steps import (
    ARTIFACTS,
    figures,
    fill_login,
    office_today,
    reload_until,
    shoot,
    sign_in,
    sign_out,
    wait_for_figures,
)

pytestmark = [pytest.mark.kafka, pytest.mark.e2e, pytest.mark.browser]

#: A worker's API token, for tests that only need a case or a referral to exist
WORKER_API = bearer(Role.WORKER, organisation="kmb", user="browser-api-worker")

PARTNER_NAME = "Sociální odbor MěÚ Lipovec (DEMO)"
KIND = "Asistence v bydlení (§ 22)"
SOLUTION = "Asistence v bydlení (DEMO)"
FIGURES = (
    "Kontakty (poradenství v bydlení)",
    "Nově otevřené případy",
    "Předání partnerům",
    "Předání přijatá partnerem",
)


def record_contact(page: Page) -> None:
    page.get_by_role("main").get_by_role("link", name="Nový kontakt").click()
    expect(page.get_by_role("heading", name="Nový kontakt")).to_be_visible()
    expect(page.get_by_role("textbox", name="Datum", exact=True)).to_have_value(office_today().isoformat())
    page.get_by_label("Ztráta bydlení").check()
    page.get_by_label("Dluhy", exact=True).check()
    page.get_by_label("Délka (minut)").fill("30")
    page.get_by_role("button", name="Uložit kontakt").click()
    expect(page.get_by_role("status")).to_have_text("Kontakt byl zaznamenán.")
    contacts = page.get_by_role("region", name=re.compile("Dnešní kontakty"))
    expect(contacts.get_by_role("row").filter(has_text="Ztráta bydlení, Dluhy")).to_contain_text("30")


def open_case_fixing_the_birth_number(page: Page) -> str:
    """The new-case form, first with a birth number whose check digit is wrong: 850315123 mod 11 = 9,
    so the check digit must be 9 (850315/1239), and 850315/1238 is refused."""
    page.get_by_role("main").get_by_role("link", name="Nový případ").click()
    applicant = page.get_by_role("group", name="Člen 1 (žadatel/ka)")
    applicant.get_by_role("textbox", name="Jméno", exact=True).fill("Petr")
    applicant.get_by_label("Příjmení").fill("Dvořák")
    applicant.get_by_label("Datum narození").fill("1985-03-15")
    applicant.get_by_label("Rodné číslo").fill("850315/1238")
    applicant.get_by_label("Příjem 1: zdroj").select_option(label="Zaměstnání")
    applicant.get_by_label("Příjem 1: čistého měsíčně (Kč)").fill("15 000")
    page.get_by_label("Ulice a číslo").fill("Nádražní 5")
    page.get_by_label("Obec").fill("Lipovec")
    page.get_by_label("Kód ORP").fill("1100")
    page.get_by_label("Druh bydlení").select_option(label="Ubytovna")
    page.get_by_label("Právní titul k bydlení").select_option(label="Smlouva o ubytování")
    page.get_by_label("Nájemné", exact=True).fill("6 500")
    page.get_by_label("Klient(ka) udělil(a) souhlas").check()
    page.get_by_label("Partneři, kterým lze údaje předat").fill(PARTNER_ORG)
    page.get_by_role("button", name="Založit případ").click()

    expect(page.get_by_role("heading", name="Formulář obsahuje chyby")).to_be_visible()
    birth_number = applicant.get_by_label("Rodné číslo")
    expect(birth_number).to_have_attribute("aria-invalid", "true")
    message = "Rodné číslo nemá platnou kontrolní číslici (dělitelnost 11)."
    expect(birth_number).to_have_accessible_description(message)
    # everything else typed is still there
    expect(applicant.get_by_role("textbox", name="Jméno", exact=True)).to_have_value("Petr")
    expect(applicant.get_by_label("Příjem 1: čistého měsíčně (Kč)")).to_have_value("15 000")
    expect(page.get_by_label("Druh bydlení")).to_have_value("commercial_hostel")
    expect(page.get_by_label("Klient(ka) udělil(a) souhlas")).to_be_checked()
    birth_number.scroll_into_view_if_needed()
    shoot(page, "case-form-error", readme=True)

    birth_number.fill("850315/1239")
    page.get_by_role("button", name="Založit případ").click()
    expect(page.get_by_role("status")).to_have_text("Případ byl založen.")
    expect(page.get_by_role("heading", name=re.compile(r"^Případ KMB-\d{4}-\d+"))).to_be_visible()
    expect(page.get_by_role("cell", name="Petr Dvořák")).to_be_visible()
    match = re.search(r"/cases/([0-9a-f-]{36})", page.url)
    assert match, page.url
    return match.group(1)


def definition(scope: Locator, term: str) -> Locator:
    """The value (dd) of a term (dt) in a description list."""
    return scope.locator("div").filter(has=scope.page.get_by_text(term, exact=True)).locator("dd")


def assess(page: Page) -> None:
    """Household: one adult aged 41, commercial hostel on a lodging contract, net income 15,000,
    rent 6,500. Dwelling kind commercial_hostel -> ETHOS 8 -> need level insecure. Costs 6,500 /
    15,000 = 43.3 % > 40 % (not > 50 %) -> 5 points; insecure -> 20 points; income above the
    subsistence minimum 4,860, no debts, no children, no flags: priority 20 + 5 = 25. Ceiling
    1.6 × 4,860 = 7,776 < 15,000: not entered in the register."""
    page.get_by_role("link", name="Šetření bytové situace").click()
    fill = page.get_by_role("link", name="Vyplnit šetření")
    reload_until(page, fill)
    fill.click()
    expect(page.get_by_label("Datum šetření")).to_have_value(office_today().isoformat())
    expect(page.get_by_role("combobox", name="Druh bydlení")).to_have_value("commercial_hostel")
    documents = page.get_by_role("group", name="Ověřené doklady")
    for document in ("doklad totožnosti", "smlouva o ubytování", "potvrzení o příjmu"):
        documents.get_by_role("checkbox", name=document, exact=True).check()
    page.get_by_label("Domácnost by zvládla zaplatit nečekaný výdaj").select_option(label="ne")
    page.get_by_role("button", name="Odeslat a vyhodnotit").click()
    # Submitting cannot be undone: the page says what will be recorded and asks to confirm.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Odeslat šetření případu")
    expect(page.get_by_text("Po odeslání už šetření nelze změnit.")).to_be_visible()
    shoot(page, "assessment-confirm")
    page.get_by_role("button", name="Ano, odeslat a vyhodnotit").click()

    expect(page.get_by_role("status")).to_have_text("Šetření bylo odesláno a vyhodnoceno.")
    situation = page.get_by_role("region", name="Bytová situace")
    expect(definition(situation, "Úroveň bytové nouze")).to_have_text("nejisté bydlení")
    ethos = "8 – v nejistém bydlení (u příbuzných nebo známých, bez nájmu, ubytovna)"
    expect(definition(situation, "Kategorie ETHOS")).to_contain_text(ethos)
    priority = page.get_by_role("region", name="Priorita: 25 bodů")
    expect(priority.get_by_role("row").filter(has_text="nejisté bydlení")).to_contain_text("20")
    expect(priority.get_by_role("row").filter(has_text="přesahují 40 % příjmu")).to_contain_text("5")
    expect(page.get_by_text("Domácnost podmínky zápisu do evidence nesplňuje.")).to_be_visible()
    shoot(page, "assessment-result", readme=True)


def refer_suggested_solution(page: Page) -> None:
    page.get_by_role("link", name="Návrhy řešení").first.click()
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=SOLUTION, exact=True))
    reload_until(page, card)
    expect(page.get_by_role("heading", name="Návrhy řešení")).to_be_visible()
    shoot(page, "suggestions", readme=True)
    card.get_by_role("link", name="Předat partnerovi").click()

    expect(page.get_by_role("heading", name=re.compile("^Nové předání"))).to_be_visible()
    page.get_by_role("combobox", name="Druh předání").select_option(label=KIND)
    page.get_by_role("button", name="Vybrat partnery").click()
    partner = page.get_by_role("combobox", name="Partner", exact=True)
    option = partner.locator("option", has_text=PARTNER_NAME).inner_text()
    # consent was given for this partner, so it is marked as the one that gets the client's data
    assert "se souhlasem" in option, option
    partner.select_option(label=option)
    page.get_by_label("Poznámka pro partnera").fill("Klient je k zastižení dopoledne.")
    shoot(page, "refer-form", readme=True)
    page.get_by_role("button", name="Předat partnerovi").click()

    expect(page.get_by_role("status")).to_have_text("Předání bylo odesláno partnerovi.")
    row = page.get_by_role("row").filter(has_text=PARTNER_NAME)
    expect(row).to_contain_text(KIND)
    expect(row).to_contain_text("předáno")
    shoot(page, "case-referrals")


def accept_in_inbox(page: Page) -> None:
    expect(page.get_by_role("heading", name=f"Doručená předání – {PARTNER_NAME}")).to_be_visible()
    referral = page.get_by_role("article").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(KIND)))
    )
    # the message carried no personal data: the partner asks for the client's details (the view is logged)
    expect(referral).not_to_contain_text("Klient je k zastižení dopoledne.")
    referral.get_by_role("link", name="Zobrazit údaje o klientovi").click()
    referral = page.get_by_role("article").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(KIND)))
    )
    expect(referral).to_contain_text("(souhlas domácnosti)")
    expect(referral).to_contain_text("Klient je k zastižení dopoledne.")
    shoot(page, "partner-inbox", readme=True)
    referral.get_by_role("button", name="Přijmout").click()
    accepted = page.get_by_role("article").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(KIND)))
    )
    expect(accepted.get_by_role("heading")).to_contain_text("přijato")


def download_report(page: Page) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^CSV")).first.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    target = ARTIFACTS / "downloads" / download.suggested_filename
    download.save_as(target)
    return target.read_text(encoding="utf-8-sig")


def test_a_case_goes_from_contact_to_an_accepted_referral_and_into_the_statistics(
    system: System, accounts: dict[str, Account], browser: Browser, context: BrowserContext
) -> None:
    analyst_context = new_context(browser)
    try:
        analyst = analyst_context.new_page()
        sign_in(analyst, system, accounts["analyst"])
        expect(analyst.get_by_role("heading", name=re.compile("^Statistika"))).to_be_visible()
        before = figures(analyst, FIGURES)

        page = context.new_page()
        fill_login(page, system, accounts["worker"])
        shoot(page, "login", readme=True)
        page.get_by_role("button", name="Přihlásit se").click()
        expect(page.get_by_role("heading", name="Můj stůl")).to_be_visible()

        record_contact(page)
        case_id = open_case_fixing_the_birth_number(page)
        page.get_by_role("link", name="Můj stůl").click()
        my_cases = page.get_by_role("region", name="Moje otevřené případy")
        expect(my_cases).to_contain_text("Petr Dvořák")
        shoot(page, "desk", readme=True)
        my_cases.get_by_role("link", name=re.compile("^KMB-")).click()
        assert case_id in page.url

        assess(page)
        refer_suggested_solution(page)

        sign_out(page)
        sign_in(page, system, accounts["partner"])
        accept_in_inbox(page)

        sign_out(page)
        sign_in(page, system, accounts["analyst"])
        # one contact, one case, one referral made and accepted since the first reading
        wait_for_figures(page, {label: before[label] + 1 for label in FIGURES})
        shoot(page, "dashboard", readme=True)
        report = download_report(page)
        # the downloadable report hides counts of 1 to 4 (here 1) for the protection of personal data
        assert "Předání přijatá partnerem;<5" in report
        assert "Dvořák" not in report and "Dvořák" not in page.content()
    finally:
        analyst_context.close()


def open_case_by_api(system: System) -> dict[str, Any]:
    body = case_body(
        members=[earning_applicant("Marta", "Skrytá", "1990-06-01", 20000)],
        address={"district": "Lipovec", "orp_code": "1100"},
        costs={"rent": 9000},
    )
    response = httpx.post(f"{system.urls['intake']}/api/cases", json=body, headers=WORKER_API)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_an_analyst_is_refused_the_case_page_and_never_sees_the_name(
    system: System, accounts: dict[str, Account], context: BrowserContext
) -> None:
    case = open_case_by_api(system)
    page = context.new_page()
    sign_in(page, system, accounts["analyst"])
    response = page.goto(f"{system.urls['intake']}/cases/{case['id']}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Přístup odepřen")).to_be_visible()
    assert "Skrytá" not in page.content()


def test_a_partner_user_cannot_reach_another_organisations_referrals(
    system: System, accounts: dict[str, Account], context: BrowserContext
) -> None:
    case = open_case_by_api(system)
    made = httpx.post(
        f"{system.urls['referrals']}/api/referrals",
        json={"case_id": case["id"], "partner": PARTNER_ORG, "kind": "social_work"},
        headers=WORKER_API,
    )
    assert made.status_code == 201, made.text
    referral_id = made.json()["id"]
    referrals = system.urls["referrals"]

    page = context.new_page()
    sign_in(page, system, accounts["other_partner"])
    expect(page.get_by_role("heading", name=re.compile("^Doručená předání"))).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(0)
    csrf = page.locator("form.who input[name=csrf_token]").get_attribute("value") or ""

    # the other organisation's inbox and its accept address on the partner API: forbidden
    response = page.goto(f"{referrals}/api/partner/{PARTNER_ORG}/inbox")
    assert response is not None and response.status == 403
    accept = page.request.post(
        f"{referrals}/api/partner/{PARTNER_ORG}/referrals/{referral_id}/accept",
        headers={"X-CSRF-Token": csrf},
    )
    assert accept.status == 403
    # the inbox's own accept form for a referral sent elsewhere: the referral is not theirs to find
    posted = page.request.post(f"{referrals}/partner/inbox/{referral_id}/accept", form={"csrf_token": csrf})
    assert posted.status == 404
    assert "Toto předání nebylo vaší organizaci zasláno." in posted.text()

    still = httpx.get(f"{referrals}/api/referrals/{referral_id}", headers=WORKER_API).json()
    assert still["status"] == "made"
