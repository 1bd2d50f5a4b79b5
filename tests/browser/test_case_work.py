"""Issue 11: a worker keeps the case diary and attaches a document in a real browser, on the real
services: writes a note (shown with her name, newest first, beside the note of a contact recorded for
the case), attaches a PDF, opens it (the same bytes come back, under its name) and the auditor's view
log shows the opening. The case page is kept as a screenshot."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect
from pypdf import PdfWriter

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer
from kmb_testkit.intake_bodies import case_body, contact_body, earning_applicant

from .conftest import ADMIN, Account, System
from .steps import README_SHOTS, office_today, shoot, sign_in

pytestmark = [pytest.mark.kafka, pytest.mark.e2e, pytest.mark.browser]

AUDITOR_API = bearer(Role.AUDITOR, organisation="kmb", user="browser-auditor")
NOTE = "Klientka donesla výpověď z nájmu; s pronajímatelem domluvena schůzka na příští týden."


def own_token(system: System, account: Account) -> dict[str, str]:
    """An API token of the account's own user (so the diary names her, not an anonymous token)."""
    users = httpx.get(f"{system.urls['intake']}/api/users", headers=ADMIN)
    assert users.status_code == 200, users.text
    user_id = next(u["id"] for u in users.json() if u["username"] == account.username)
    return bearer(*account.roles, organisation=account.organisation, user=user_id)


def open_case_by_api(system: System, token: dict[str, str]) -> dict[str, Any]:
    body = case_body(
        members=[earning_applicant("Marta", "Skrytá", "1990-06-01", 20000)],
        address={"district": "Lipovec", "orp_code": "1100"},
        costs={"rent": 9000},
    )
    response = httpx.post(f"{system.urls['intake']}/api/cases", json=body, headers=token)
    assert response.status_code == 201, response.text
    return dict(response.json())


def small_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_worker_writes_a_diary_note_and_attaches_and_opens_a_pdf(
    system: System, accounts: dict[str, Account], context: BrowserContext
) -> None:
    worker = accounts["worker"]
    token = own_token(system, worker)
    case = open_case_by_api(system, token)
    contact = contact_body(
        case_id=case["id"],
        contact_date=office_today().isoformat(),
        worker_id=worker.username,
        note="Telefonát: klientka potvrdila schůzku.",
    )
    recorded = httpx.post(f"{system.urls['intake']}/api/contacts", json=contact, headers=token)
    assert recorded.status_code == 201, recorded.text
    page = context.new_page()
    sign_in(page, system, accounts["worker"])
    page.goto(f"{system.urls['intake']}/cases/{case['id']}")

    page.get_by_label("Nový záznam").fill(NOTE)
    page.get_by_role("button", name="Zapsat do deníku").click()
    expect(page.get_by_text("Záznam byl zapsán do deníku.")).to_be_visible()
    diary = page.locator("section", has=page.get_by_role("heading", name="Deník případu"))
    entries = diary.locator("tbody tr")
    expect(entries.first).to_contain_text(NOTE)
    expect(entries.first).to_contain_text(accounts["worker"].name)
    expect(entries.nth(1)).to_contain_text("z kontaktu")

    pdf = small_pdf()
    page.get_by_label("Přiložit soubor").set_input_files(
        {"name": "Výpověď z nájmu.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    page.get_by_role("button", name="Přiložit dokument").click()
    expect(page.get_by_text("Dokument byl přiložen.")).to_be_visible()
    documents = page.locator("section", has=page.get_by_role("heading", name="Dokumenty"))
    row = documents.locator("tbody tr").first
    expect(row).to_contain_text("Dokument PDF")
    expect(row).to_contain_text(f"{len(pdf)} B")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Výpověď z nájmu.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "Výpověď z nájmu.pdf"
    with open(download.path(), "rb") as saved:
        assert saved.read() == pdf

    page.goto(f"{system.urls['intake']}/cases/{case['id']}#h-diary")
    shoot(page, "case-diary-documents")
    both = [page.locator(f"section:has(#{h})").bounding_box() for h in ("h-diary", "h-documents")]
    assert both[0] is not None and both[1] is not None
    scrolled = float(page.evaluate("window.scrollY"))  # the boxes are in the window, the clip in the page
    top, bottom = scrolled + both[0]["y"] - 8, scrolled + both[1]["y"] + both[1]["height"] + 8
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    width = float(page.viewport_size["width"]) if page.viewport_size else 1280.0
    page.screenshot(
        path=str(README_SHOTS / "case-diary-documents.png"),
        full_page=True,
        clip={"x": 0.0, "y": top, "width": width, "height": bottom - top},
    )
    text = page.inner_text("main")
    codes = r"(?<!\.)\b(phone|in_person|loss_of_housing|document_type|diary|note|contact|pdf)\b"  # not an extension
    assert not re.search(codes, text), "a code value on the page"

    views = httpx.get(
        f"{system.urls['intake']}/api/audit/views", params={"case_id": case["id"]}, headers=AUDITOR_API
    )
    assert views.status_code == 200, views.text
    assert ("document", "page") in {(v["kind"], v["channel"]) for v in views.json()}
