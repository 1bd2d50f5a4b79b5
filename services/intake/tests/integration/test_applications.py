"""Applications of a case through intake's pages (issue 12), on SQLite and PostgreSQL with the real
broker: a housing-allowance and a register application are opened pre-filled from the case (and its
assessment, read from the assessment service), corrected without changing the case, refused as final
while a required value is missing (the page lists it; the draft printout says KONCEPT), printed as
versions that stay downloadable, every print in the view log; the PDFs read back hold the names,
incomes and costs as entered; submission and answer go out as events without personal data; a
document's category ticks the checklist; the signed scan is attached back to its version."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from kmb_shared.formatting import format_date

from .casework_support import small_pdf, views
from .support import ADMIN, TODAY, Intake, case_body, days_from_today, member, worker
from .test_erasure import REASON, database_text, referrals_answer

pytestmark = pytest.mark.kafka

#: the answer is due 30 days after the submission (the housing allowance's answer_days), as printed
TODAY_PLUS_30 = format_date(TODAY + timedelta(days=30))
STRANGER = worker("worker-9", organisation="kmb-brno")


def earning(
    first_name: str, last_name: str, born: str, source: str, amount: int, **more: str
) -> dict[str, Any]:
    """A member with one monthly income."""
    income = [{"source": source, "amount_monthly": amount}]
    return member(first_name=first_name, last_name=last_name, date_of_birth=born, incomes=income, **more)


APPLICANT = earning("Radka", "Šimůnková", "1987-06-04", "employment", 18500, birth_number="8756040007")
FATHER = earning("Oldřich", "Šimůnek", "1952-11-20", "pension", 14250, relationship="parent")
ADDRESS = {
    "street": "Dělnická 1187/14",
    "municipality": "Praha",
    "postal_code": "17000",
    "district": "Praha 7",
    "orp_code": "1000",
}
PERSONAL = (
    "Radka",
    "Šimůnková",
    "Oldřich",
    "Šimůnek",
    "8756040007",
    "875604/0007",
    "Dělnická",
    "604 112 233",
)


def household() -> dict[str, Any]:
    return case_body(
        members=[APPLICANT, FATHER],
        address=ADDRESS,
        phone="604 112 233",
        costs={"rent": 12400, "services": 2600, "energy": 1900},
    )


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"[ \u00a0]+", " ", text)


async def open_application(intake: Intake, case_id: str, kind: str) -> str:
    response = await intake.client.post(f"/cases/{case_id}/applications", data={"kind": kind})
    assert response.status_code == 303, response.text
    return response.headers["location"].split("?")[0]


def field_value(html: str, key: str) -> str:
    found = re.search(rf'name="{key}"[^>]*value="([^"]*)"', html) or re.search(
        rf'name="{key}"[^>]*>([^<]*)</textarea>', html
    )
    assert found, key
    return found.group(1)


def form_values(html: str) -> dict[str, str]:
    """What the application form sends back unchanged (its inputs and text areas as shown; a checkbox
    only when ticked, as a browser does)."""
    form = html.split('action="/cases/', 2)[1].split("</form>")[0]
    unticked = re.findall(r'<input type="checkbox"[^>]*name="([a-z_]+)"(?![^>]*checked)', form)
    keys = re.findall(r'<(?:input|textarea)[^>]*name="([a-z_]+)"', form)
    return {key: field_value(form, key) for key in keys if key != "csrf_token" and key not in unticked}


async def latest_pdf(intake: Intake, path: str, number: int) -> httpx.Response:
    response = await intake.client.get(f"{path}/versions/{number}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return response


async def test_housing_allowance_prefilled_corrected_printed_submitted_and_granted(intake: Intake) -> None:
    case = await intake.open_case(household())
    intake.peers_answer({})  # the assessment service has nothing for this case
    path = await open_application(intake, case["id"], "housing_allowance")

    page = await intake.client.get(path)
    assert page.status_code == 200
    # pre-filled as entered: incomes by source and costs (no code shown: the legal title in Czech)
    assert [field_value(page.text, k) for k in ("first_name", "last_name", "birth_number")] == [
        "Radka",
        "Šimůnková",
        "875604/0007",  # written as people write it, the case keeps the digits
    ]
    assert field_value(page.text, "income_employment") == "18500"
    assert field_value(page.text, "income_pension") == "14250"
    assert field_value(page.text, "income_total") == "32750"
    assert [field_value(page.text, k) for k in ("rent", "services", "energy", "costs_total")] == [
        "12400",
        "2600",
        "1900",
        "16900",
    ]
    assert field_value(page.text, "legal_title") == "nájemní smlouva"
    # the period is required and has no source: final print refused, listed in Czech
    assert "Co ještě chybí" in page.text and 'href="#f-period"' in page.text
    values = form_values(page.text)

    refused = await intake.client.post(path, data={**values, "action": "print"})
    assert refused.status_code == 422
    assert "nelze vytisknout jako konečnou, chybí: Období, za které se žádá" in refused.text

    draft = await intake.client.post(path, data={**values, "action": "draft"})
    assert draft.status_code == 303
    draft_text = pdf_text((await latest_pdf(intake, path, 1)).content)
    assert "KONCEPT" in draft_text

    # the worker corrects the rent for this application only, fills the period and prints the final one
    corrected = {**values, "rent": "12900", "period": "1. čtvrtletí 2026", "action": "print"}
    printed = await intake.client.post(path, data=corrected)
    assert printed.status_code == 303, printed.text
    final = pdf_text((await latest_pdf(intake, path, 2)).content)
    assert "KONCEPT" not in final
    for expected in (
        "Žádost o příspěvek na bydlení",
        "Radka",
        "Šimůnková",
        "Oldřich Šimůnek",
        "18 500 Kč",
        "14 250 Kč",
        "32 750 Kč",
        "12 900 Kč",
        "2 600 Kč",
        "1 900 Kč",
        "Kontaktní místo pro bydlení",
        "podpis žadatele",
    ):
        assert expected in final, expected
    assert f"dne {TODAY.day}. {TODAY.month}. {TODAY.year}" in final
    assert "Nájemní smlouva nebo jiný doklad o užívání bytu" in final  # the attachments' list
    # the old version stays as it was; the case kept its own rent
    assert "KONCEPT" in pdf_text((await latest_pdf(intake, path, 1)).content)
    stored = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    assert stored["household"]["costs"]["rent"] in (12400, "12400", "12400.00")
    # every print and download in the view log
    kinds = [kind for _user, kind, _channel in await views(intake, case["id"])]
    assert kinds.count("application_print") == 2 and kinds.count("application_pdf") == 3

    submitted = await intake.client.post(
        f"{path}/submitted",
        data={"submitted_on": TODAY.isoformat(), "channel": "data_box", "submitted_to": "ÚP Praha 7"},
    )
    assert submitted.status_code == 303, submitted.text
    # the personal plan and the case summary name it with its deadline
    due = f"odpověď do {TODAY_PLUS_30}"
    for document in ("plan", "summary"):
        shown_in = await intake.client.get(f"/cases/{case['id']}/{document}")
        assert shown_in.status_code == 200, document
        assert "Žádost o příspěvek na bydlení – podaná, čeká na odpověď" in shown_in.text, document
        assert due in shown_in.text, document
    desk = await intake.client.get("/desk")
    assert "Očekávané odpovědi na žádosti" not in desk.text  # due in 30 days: beyond the desk's two weeks
    decided = await intake.client.post(
        f"{path}/decision",
        data={
            "outcome": "granted",
            "decided_on": days_from_today(1),
            "decision_note": "Radka Šimůnková: přiznáno od března",
        },
    )
    assert decided.status_code == 303, decided.text
    shown = await intake.client.get(path)
    assert "vyhověno" in shown.text
    assert "Uložit opravy" not in shown.text and "Vytisknout žádost" not in shown.text  # granted: done
    versions_before = await intake.count("intake_application_version")
    changed = await intake.client.post(path, data={**corrected, "action": "print"})
    assert changed.status_code == 409 and "vyřízená" in changed.text, changed.text
    assert await intake.count("intake_application_version") == versions_before
    plan = await intake.client.get(f"/cases/{case['id']}/plan")
    assert "Žádost o příspěvek na bydlení" not in plan.text  # answered: no longer in progress
    summary = await intake.client.get(f"/cases/{case['id']}/summary")
    assert "Žádost o příspěvek na bydlení – vyřízená (vyhověno)" in summary.text

    events = await intake.events(expect=3)
    steps = [e for e in events if e.type.startswith("kmb.intake.application_")]
    assert [e.type for e in steps] == [
        "kmb.intake.application_submitted.v1",
        "kmb.intake.application_decided.v1",
    ]
    assert steps[0].payload["group"] == "housing_allowance" and steps[0].payload["channel"] == "data_box"
    assert steps[1].payload["outcome"] == "granted" and steps[1].payload["submitted_on"] == TODAY.isoformat()
    for event in steps:
        for value in (*PERSONAL, "ÚP Praha 7", "přiznáno", "12900"):
            assert value.encode() not in event.raw, value


async def test_a_register_application_takes_the_assessment_and_ticks_attachments_from_documents(
    intake: Intake,
) -> None:
    case = await intake.open_case(household())
    assessment = {
        "id": "a-1",
        "status": "submitted",
        "submitted_at": "2026-03-02T10:00:00Z",
        "need_level": "insecure",
        "assessed_on": "2026-03-02",
    }
    intake.peers_answer({f"/api/cases/{case['id']}/assessments": [assessment]})
    # a payslip with its category (the case page's upload form)
    uploaded = await intake.client.post(
        f"/cases/{case['id']}/documents",
        data={"category": "income_proof"},
        files={"file": ("vyplata.pdf", small_pdf(), "application/pdf")},
    )
    assert uploaded.status_code == 303, uploaded.text
    path = await open_application(intake, case["id"], "register")

    page = await intake.client.get(path)
    assert field_value(page.text, "need_level") == "nejisté bydlení"
    assert field_value(page.text, "assessed_on") == "2026-03-02"
    assert "☑ Doklady o příjmech všech členů domácnosti za poslední 3 měsíce" in page.text
    assert "☐ Průkaz totožnosti žadatele" in page.text
    values = form_values(page.text)
    printed = await intake.client.post(
        path, data={**values, "reason": "Výpověď z nájmu ke konci dubna.", "action": "print"}
    )
    assert printed.status_code == 303, printed.text
    text = pdf_text((await latest_pdf(intake, path, 1)).content)
    for expected in (
        "Žádost o zápis do evidence osob v bytové nouzi",
        "Radka",
        "Šimůnková",
        "32 750 Kč",
        "16 900 Kč",
        "nejisté bydlení",
    ):
        assert expected in text, expected

    # the signed copy scanned back: a document of the case, linked to version 1
    signed = await intake.client.post(
        f"{path}/versions/1/signed", files={"file": ("podepsana.pdf", small_pdf(), "application/pdf")}
    )
    assert signed.status_code == 303, signed.text
    documents = (await intake.client.get(f"/api/cases/{case['id']}/documents")).json()
    assert sorted(d["filename"] for d in documents) == ["podepsana.pdf", "vyplata.pdf"]
    page = await intake.client.get(path)
    assert "přiložena" in page.text


async def test_another_organisation_finds_no_application(intake: Intake) -> None:
    case = await intake.open_case(household())
    path = await open_application(intake, case["id"], "emergency_aid")
    assert (await intake.client.get(path, headers=STRANGER)).status_code == 404
    assert (await intake.client.post(path, data={"action": "draft"}, headers=STRANGER)).status_code == 404
    assert (
        await intake.client.post(
            f"/cases/{case['id']}/applications", data={"kind": "register"}, headers=STRANGER
        )
    ).status_code == 404


async def test_also_correcting_the_case_changes_its_household_and_a_refused_value_changes_nothing(
    intake: Intake,
) -> None:
    case = await intake.open_case(household())
    intake.peers_answer({})
    path = await open_application(intake, case["id"], "housing_allowance")
    values = form_values((await intake.client.get(path)).text)

    wrong = await intake.client.post(path, data={**values, "birth_number": "8756040008", "also_case": "1"})
    assert wrong.status_code == 422
    assert "Případ nelze opravit" in wrong.text
    corrected = await intake.client.post(
        path, data={**values, "rent": "13100", "phone": "604 999 000", "also_case": "1"}
    )
    assert corrected.status_code == 303, corrected.text

    stored = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    assert float(stored["household"]["costs"]["rent"]) == 13100
    assert stored["household"]["phone"].replace(" ", "") in ("604999000", "+420604999000")
    assert stored["household"]["members"][0]["birth_number"] == "8756040007"  # the refused value was not kept
    assert stored["version"] == case["version"] + 1  # one household change


async def test_erasing_a_case_erases_its_applications_and_their_printouts(intake: Intake) -> None:
    case = await intake.open_case(household())
    intake.peers_answer({})
    path = await open_application(intake, case["id"], "emergency_aid")
    assert (await intake.client.post(path, data={"action": "draft"})).status_code == 303
    closed = await intake.client.post(f"/api/cases/{case['id']}/close", json={"reason": "moved_away"})
    assert closed.status_code == 200, closed.text
    referrals_answer(intake, 0)

    erased = await intake.client.post(f"/api/cases/{case['id']}/erasure", json=REASON, headers=ADMIN)

    assert erased.status_code == 201, erased.text
    assert (await intake.count("intake_application"), await intake.count("intake_application_version")) == (
        0,
        0,
    )


async def test_erasing_one_member_erases_the_applications_that_name_them(intake: Intake) -> None:
    """An application holds every member's values and its printouts show them: erasing the father
    (member 1) of a closed case leaves no application, printout or scan of that case, and his name
    in none of intake's tables."""
    case = await intake.open_case(household())
    intake.peers_answer({})
    path = await open_application(intake, case["id"], "housing_allowance")
    assert (await intake.client.post(path, data={"action": "draft"})).status_code == 303
    assert await intake.count("intake_application_version") == 1
    closed = await intake.client.post(f"/api/cases/{case['id']}/close", json={"reason": "moved_away"})
    assert closed.status_code == 200, closed.text
    referrals_answer(intake, 0)

    erased = await intake.client.post(
        f"/api/cases/{case['id']}/members/1/erasure", json=REASON, headers=ADMIN
    )

    assert erased.status_code == 201, erased.text
    assert (await intake.count("intake_application"), await intake.count("intake_application_version")) == (
        0,
        0,
    )
    text = await database_text(intake)
    assert "Oldřich" not in text and "1952-11-20" not in text and "Šimůnková" in text
