"""The diary and the documents on the case page, as a browser uses them without JavaScript: forms
with their CSRF token, POST and redirect, inline Czech errors, the correction page of a note, the
confirmation page of a deletion, downloads in the view log. On SQLite and PostgreSQL."""

from __future__ import annotations

import html as markup
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from kmb_shared.auth import Role
from kmb_shared.formatting import format_date

from .casework_support import fix_clock, limit_documents, small_pdf, views
from .support import TODAY, Intake, contact_body, csrf_of, signed_in
from .test_pages import error_next_to

pytestmark = pytest.mark.kafka

NOTE = "Klientka přinesla výpověď z nájmu; domluvena schůzka s pronajímatelem."


def page_text(response: httpx.Response) -> str:
    return markup.unescape(response.text)


async def write(browser: httpx.AsyncClient, case_id: str, text: str, **fields: str) -> httpx.Response:
    page = await browser.get(f"/cases/{case_id}")
    token = csrf_of(page.text, f"/cases/{case_id}/diary")
    return await browser.post(
        f"/cases/{case_id}/diary", data={"csrf_token": token, "diary_text": text, **fields}
    )


async def attach(browser: httpx.AsyncClient, case_id: str, name: str, content: bytes) -> httpx.Response:
    page = await browser.get(f"/cases/{case_id}")
    token = csrf_of(page.text, f"/cases/{case_id}/documents")
    files = {"file": (name, content, "application/pdf")}
    return await browser.post(f"/cases/{case_id}/documents", data={"csrf_token": token}, files=files)


async def test_a_note_written_on_the_case_page_is_shown_with_its_author_and_day(intake: Intake) -> None:
    case = await intake.open_case()
    contact = contact_body(case_id=case["id"], note="Telefonát s klientkou.")
    assert (await intake.client.post("/api/contacts", json=contact)).status_code == 201
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        response = await write(browser, case["id"], NOTE)
        page = await browser.get(f"/cases/{case['id']}")

    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{case['id']}?saved=diary#h-diary"
    text = page_text(page)
    assert '<h2 id="h-diary">Deník případu</h2>' in text
    assert NOTE in text and "Eva Malá" in text and format_date(TODAY) in text
    assert text.index(NOTE) < text.index("Telefonát s klientkou.")  # written later the same day: first
    assert "z kontaktu" in text
    assert "Opravit záznam" in text


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Povinný údaj chybí."), ("x" * 5001, "Text je příliš dlouhý (nejvýše 5000 znaků).")],
)
async def test_an_empty_or_too_long_note_gets_an_inline_czech_error(
    intake: Intake, text: str, message: str
) -> None:
    case = await intake.open_case()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        response = await write(browser, case["id"], text)

    assert response.status_code == 422
    assert error_next_to(page_text(response), "diary_text") == message
    assert await intake.count("intake_diary_note") == 0


async def test_the_author_corrects_a_note_on_its_page_within_a_day_and_not_after(intake: Intake) -> None:
    written = datetime.now(UTC)
    clock = fix_clock(intake, written)
    case = await intake.open_case()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        await write(browser, case["id"], NOTE)
        note_id = (await intake.client.get(f"/api/cases/{case['id']}/diary")).json()[0]["id"]
        url = f"/cases/{case['id']}/diary/{note_id}"
        form = await browser.get(url)
        data = {
            "csrf_token": csrf_of(form.text, url),
            "diary_text": "Opraveno.",
            "diary_noted_on": TODAY.isoformat(),
        }
        saved = await browser.post(url, data=data)
        clock.set(written + timedelta(hours=25))
        late_form = await browser.get(url)
        late = await browser.post(url, data={**data, "diary_text": "Pozdě."})
        page = await browser.get(f"/cases/{case['id']}")

    assert form.status_code == 200
    assert "Oprava záznamu v deníku" in form.text
    assert saved.status_code == 303
    assert (late_form.status_code, late.status_code) == (403, 403)
    assert "jen do 24 hodin" in page_text(late)
    assert "Opraveno." in page_text(page) and "Pozdě." not in page_text(page)
    assert "Opravit záznam" not in page_text(page)


async def test_a_pdf_attached_on_the_page_is_listed_and_downloaded_logged(intake: Intake) -> None:
    case = await intake.open_case()
    pdf = small_pdf()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        response = await attach(browser, case["id"], "Výpověď z nájmu.pdf", pdf)
        page = await browser.get(f"/cases/{case['id']}")
        document_id = (await intake.client.get(f"/api/cases/{case['id']}/documents")).json()[0]["id"]
        opened = await browser.get(f"/cases/{case['id']}/documents/{document_id}")
        user = (await browser.get("/api/me")).json()["user_id"]

    assert response.status_code == 303
    text = page_text(page)
    assert "Výpověď z nájmu.pdf" in text and "Dokument PDF" in text and "Eva Malá" in text
    assert f"{len(pdf)}\u00a0B" in text
    assert opened.status_code == 200 and opened.content == pdf
    assert opened.headers["content-disposition"].startswith("attachment;")
    assert (user, "document", "page") in await views(intake, case["id"])


async def test_a_text_file_named_pdf_is_refused_on_the_page(intake: Intake) -> None:
    case = await intake.open_case()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        response = await attach(browser, case["id"], "smlouva.pdf", b"jen text, zadne PDF")

    assert response.status_code == 422
    assert "podle obsahu" in error_next_to(page_text(response), "file")
    assert await intake.count("intake_document") == 0


async def test_too_large_an_upload_gets_a_czech_page_before_it_is_read(intake: Intake) -> None:
    limit_documents(intake, 0.01)
    case = await intake.open_case()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        response = await attach(browser, case["id"], "velky.pdf", small_pdf() + b"%" * 200 * 1024)

    assert response.status_code == 413
    assert "<h1>Soubor je příliš velký</h1>" in page_text(response)
    assert "nejvýše 10,2\u00a0kB" in page_text(response)
    assert await intake.count("intake_document") == 0


async def test_a_document_is_deleted_on_its_page_with_a_required_reason(intake: Intake) -> None:
    case = await intake.open_case()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        await attach(browser, case["id"], "smlouva.pdf", small_pdf())
        document_id = (await intake.client.get(f"/api/cases/{case['id']}/documents")).json()[0]["id"]
        url = f"/cases/{case['id']}/documents/{document_id}/delete"
        confirm = await browser.get(url)
        token = csrf_of(confirm.text, url)
        no_reason = await browser.post(url, data={"csrf_token": token, "reason": ""})
        deleted = await browser.post(url, data={"csrf_token": token, "reason": "Patří k jinému případu."})
        page = await browser.get(f"/cases/{case['id']}")
        opened = await browser.get(f"/cases/{case['id']}/documents/{document_id}")

    assert confirm.status_code == 200 and "nepůjde obnovit" in page_text(confirm)
    assert no_reason.status_code == 422
    assert error_next_to(page_text(no_reason), "reason") == "Povinný údaj chybí."
    assert deleted.status_code == 303
    assert "smazáno" in page_text(page) and "(Patří k jinému případu.)" in page_text(page)
    assert opened.status_code == 409
    assert await intake.count("intake_document_content") == 0


async def test_an_auditor_sees_the_diary_and_documents_without_forms(intake: Intake) -> None:
    case = await intake.open_case()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        await write(browser, case["id"], NOTE)
        await attach(browser, case["id"], "smlouva.pdf", small_pdf())
    async with signed_in(intake, "ivo.auditor", Role.AUDITOR) as auditor:
        page = await auditor.get(f"/cases/{case['id']}")

    text = page_text(page)
    assert NOTE in text and "smlouva.pdf" in text
    assert f'action="/cases/{case["id"]}/diary"' not in text
    assert f'action="/cases/{case["id"]}/documents"' not in text
