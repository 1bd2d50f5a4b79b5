"""The data-subject report (GDPR Art. 15, issue 14): for one person, found by birth number or by name and
date of birth by an auditor of the organisation, what was entered about them (case, own data, household,
contacts, diary, documents listed, referrals from the referrals service) and every view of their data
(who, when, what, how), including the report's own opening; as JSON, as a page and as a PDF read back
with pypdf. Another organisation's person is not found. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer

from .casework_support import small_pdf
from .support import AUDITOR, Intake, case_body, contact_body, csrf_of, member, signed_in, worker

pytestmark = pytest.mark.kafka

BIRTH_NUMBER = "8553151002"  # 15 March 1985 (member()'s date of birth), female, divisible by 11
PHONE, EMAIL = "+420 601 234 567", "kvetoslava.hronkova@posta-test.cz"
NOTE = "Klientka hledá menší byt do konce června."
CHILD = member(first_name="Zbyněk", last_name="Hronek", date_of_birth="2015-06-01", relationship="child")
PARTNER = {"slug": "socialni-odbor", "name": "Sociální odbor Praha 7"}
ROLE = "Žadatel/ka"
MOMENT = re.compile(r"^\d{1,2}\. \d{1,2}\. \d{4} \d{1,2}:\d{2}:\d{2}$")


def _referral(case_id: str) -> dict[str, Any]:
    """A referral of the case as the referrals service lists it (labels included)."""
    return {
        "case_id": case_id,
        "partner": PARTNER["slug"],
        "kind_label": "Sociální práce",
        "status_label": "přijato",
        "made_on": "2026-03-02",
        "due_on": "2026-03-09",
    }


async def _a_case_with_everything(intake: Intake) -> tuple[dict[str, Any], str]:
    """The applicant with a birth number, phone and e-mail and a child; a diary note, a contact, a
    document; views by a worker (the case's detail) and the auditor (the document)."""
    applicant = member(birth_number=BIRTH_NUMBER, sex="female")
    case = await intake.open_case(case_body(members=[applicant, CHILD], phone=PHONE, email=EMAIL))
    note = await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": NOTE})
    assert note.status_code == 201, note.text
    contact = await intake.client.post("/api/contacts", json=contact_body(case_id=case["id"]))
    assert contact.status_code == 201, contact.text
    files = {"file": ("nájemní smlouva.pdf", small_pdf(), "application/pdf")}
    document = await intake.client.post(f"/api/cases/{case['id']}/documents", files=files)
    assert document.status_code == 201, document.text
    assert (await intake.client.get(f"/api/cases/{case['id']}")).status_code == 200  # worker-7 views it
    opened = await intake.client.get(
        f"/api/cases/{case['id']}/documents/{document.json()['id']}", headers=AUDITOR
    )
    assert opened.status_code == 200
    intake.peers_answer({"/api/referrals": [_referral(case["id"])], "/api/partners": [PARTNER]})
    return case, document.json()["id"]


async def _report(intake: Intake, body: dict[str, Any], headers: dict[str, str] = AUDITOR) -> httpx.Response:
    return await intake.client.post("/api/audit/subject-report", json=body, headers=headers)


async def test_the_report_lists_what_was_entered_and_every_view_with_who_when_and_what(
    intake: Intake,
) -> None:
    case, _ = await _a_case_with_everything(intake)

    response = await _report(intake, {"birth_number": "855315/1002"})

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["name"], report["birth_date"], report["birth_number"]) == (
        "Květoslava Hronková",
        "15. 3. 1985",
        "855315/1002",
    )
    [found] = report["cases"]
    assert found["number"] == case["number"] and found["status"] == "otevřený"
    assert found["role"] == ROLE
    person, household = dict(found["person"]), dict(found["household"])
    assert person["Rodné číslo"] == "855315/1002" and person["Pohlaví"] == "Žena"
    assert household["Telefon"] == "+420601234567" and household["E-mail"] == EMAIL
    assert household["Zpracování údajů"].startswith("Úkol ve veřejném zájmu")
    assert found["other_members"] == 1
    assert [text for _, _, text in found["diary"]].count(NOTE) == 1
    assert found["contacts"] and "Osobně" in found["contacts"][0][1]
    assert [d[0] for d in found["documents"]] == ["nájemní smlouva.pdf"]
    assert found["referrals"] == [
        ["Sociální odbor Praha 7", "Sociální práce", "přijato", "předáno 2. 3. 2026, odpověď do 9. 3. 2026"]
    ]
    # every view of the case: (who, what, how); the latest first, this report's opening included
    seen = [(who, what, how) for _, who, what, how in found["views"]]
    assert seen[0] == ("auditor-1, kmb-praha7", "výpis pro subjekt údajů", "API")
    assert ("auditor-1, kmb-praha7", "otevřený dokument", "API") in seen
    assert ("worker-7, kmb-praha7", "detail případu", "API") in seen
    assert all(MOMENT.match(when) for when, _, _, _ in found["views"])
    # the other member's data are theirs; no code value anywhere
    for text in ("Zbyněk", "Hronek", "public_task", "applicant", "in_person", "female"):
        assert text not in response.text, text

    by_name = await _report(intake, {"name": "květoslava HRONKOVÁ", "birth_date": "1985-03-15"})
    assert by_name.status_code == 200 and [c["number"] for c in by_name.json()["cases"]] == [case["number"]]
    views_now = [what for _, _, what, _ in by_name.json()["cases"][0]["views"]]
    assert views_now[:2] == ["výpis pro subjekt údajů", "výpis pro subjekt údajů"], "each opening is logged"


async def test_another_organisations_person_is_not_found_and_only_auditors_may_ask(intake: Intake) -> None:
    await _a_case_with_everything(intake)
    other_auditor = bearer(Role.AUDITOR, organisation="kmb-brno", user="auditor-9")

    assert (await _report(intake, {"birth_number": BIRTH_NUMBER}, other_auditor)).status_code == 404
    assert (
        await _report(intake, {"name": "Květoslava Hronková", "birth_date": "1985-03-16"})
    ).status_code == 404
    assert (await _report(intake, {"birth_number": BIRTH_NUMBER}, worker("worker-7"))).status_code == 403
    missing = await _report(intake, {"name": "Květoslava Hronková"})
    assert missing.status_code == 422
    [problem] = missing.json()["detail"]
    assert (problem["field"], problem["code"]) == ("birth_number", "subject_query_required")
    assert problem["message_cs"].startswith("Zadejte rodné číslo")


async def test_the_pdf_holds_the_persons_data_and_the_views(intake: Intake) -> None:
    case, _ = await _a_case_with_everything(intake)

    response = await _report(intake, {"birth_number": BIRTH_NUMBER, "format": "pdf"})

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for value in (
        "Květoslava Hronková",
        "855315/1002",
        case["number"],
        "+420601234567",
        NOTE,
        "nájemní smlouva.pdf",
        "Sociální odbor Praha 7",
        "výpis pro subjekt údajů",
        "otevřený dokument",
        "worker-7, kmb-praha7",
        "detail případu",
    ):
        assert value in text, value
    assert "Zbyněk" not in text


async def test_the_page_shows_the_report_and_gives_the_pdf(intake: Intake) -> None:
    case, _ = await _a_case_with_everything(intake)
    async with signed_in(intake, "eva.auditorka", "auditor") as browser:
        form = await browser.get("/audit/subject-report")
        assert form.status_code == 200 and "Výpis pro subjekt údajů" in form.text
        token = csrf_of(form.text, "/audit/subject-report")
        data = {"csrf_token": token, "birth_number": BIRTH_NUMBER, "name": "", "birth_date": ""}

        page = await browser.post("/audit/subject-report", data={**data, "format": "html"})
        pdf = await browser.post("/audit/subject-report", data={**data, "format": "pdf"})
        unknown = await browser.post("/audit/subject-report", data={**data, "birth_number": "8553151013"})
        empty = await browser.post("/audit/subject-report", data={"csrf_token": token})

    assert page.status_code == 200, page.text
    assert f"Případ {case['number']}" in page.text and NOTE in page.text
    assert "Nahlížení do osobních údajů" in page.text and "výpis pro subjekt údajů" in page.text
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert unknown.status_code in (404, 422) and "Květoslava" not in unknown.text.split("<form")[0]
    assert empty.status_code == 422 and "Zadejte rodné číslo" in empty.text
