"""The Czech pages: who may see them, the case's assessments, the survey form (prefilled, errors next
to the fields with the values kept, CSRF), save and submit through the form, the explained result
and the register."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import quote

import pytest
from assessment_support import ORGANISATION, TODAY, AssessmentService, case_opened, household, of_type

from kmb_shared.auth import Role
from kmb_shared.contracts import CaseOpened, DwellingSnapshot
from kmb_shared.web import service_urls
from kmb_testkit.fixtures import bearer


@pytest.fixture
def service(offline_service: AssessmentService) -> AssessmentService:
    """No broker needed: the events a test needs are applied by the application's handlers."""
    return offline_service


NBSP = "\u00a0"
NO_CREDENTIALS = {"Authorization": ""}


def error_next_to(html: str, field: str) -> str:
    """The inline error message rendered for ``field`` (empty if none)."""
    match = re.search(rf'<p class="error" id="e-{re.escape(field)}"[^>]*>([^<]*)</p>', html)
    return match.group(1).strip() if match else ""


def input_value(html: str, field: str) -> str | None:
    match = re.search(rf'<input id="f-{re.escape(field)}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def hostel_case() -> CaseOpened:
    """A single adult in a commercial hostel of 12 m², net income 8,000, rent 5,000 and energy 1,000."""
    snapshot = household(
        dwelling=DwellingSnapshot(kind="commercial_hostel", legal_title="lodging_contract", size_m2=12),
        income_monthly=8000,
        rent_monthly=5000,
        energy_monthly=1000,
    )
    return case_opened(snapshot)


async def _pending(service: AssessmentService, event: CaseOpened | None = None) -> dict[str, Any]:
    event = event or case_opened()
    await service.publish(event)
    return dict((await service.assessments(event.case_id))[0])


async def _survey(service: AssessmentService, event: CaseOpened | None = None) -> tuple[dict[str, Any], str]:
    """A pending assessment (of ``event``'s case) and the address of its survey form."""
    pending = await _pending(service, event)
    return pending, f"/assessments/{pending['id']}/survey"


async def test_a_signed_out_visitor_is_sent_to_the_login_page_and_back(service: AssessmentService) -> None:
    some = uuid.uuid4()
    urls = service_urls()
    for path in (f"/cases/{some}", f"/assessments/{some}", f"/assessments/{some}/survey", "/register"):
        response = await service.client.get(path, headers=NO_CREDENTIALS)
        assert response.status_code == 303, path
        back = quote(f"{urls['assessment']}{path}", safe=":/")
        assert response.headers["location"] == f"{urls['intake']}/login?next={back}"


async def test_pages_check_roles_on_the_server_with_a_czech_page(service: AssessmentService) -> None:
    pending = await _pending(service)
    case_page, result_page = f"/cases/{pending['case_id']}", f"/assessments/{pending['id']}"
    survey_page = f"{result_page}/survey"
    expected = {
        # role -> page -> status
        Role.ANALYST: {case_page: 403, result_page: 403, survey_page: 403, "/register": 403},
        Role.PARTNER: {case_page: 403, result_page: 403, survey_page: 403, "/register": 403},
        Role.AUDITOR: {case_page: 200, result_page: 200, survey_page: 403, "/register": 200},
        Role.ADMIN: {case_page: 403, result_page: 403, survey_page: 403, "/register": 403},
        Role.CATALOGUE_EDITOR: {case_page: 403, result_page: 403, survey_page: 403, "/register": 403},
        Role.RULES_EDITOR: {case_page: 403, result_page: 403, survey_page: 403, "/register": 403},
        Role.WORKER: {case_page: 200, result_page: 200, survey_page: 200, "/register": 200},
    }
    for role, pages in expected.items():
        for path, status in pages.items():
            response = await service.client.get(path, headers=bearer(role, organisation=ORGANISATION))
            assert response.status_code == status, (role, path)
            if status == 403:
                assert "<h1>Přístup odepřen</h1>" in response.text
    # the auditor reads the case's assessments but is not offered the survey, which it may not fill
    as_auditor = await service.client.get(case_page, headers=bearer(Role.AUDITOR, organisation=ORGANISATION))
    as_worker = await service.client.get(case_page, headers=bearer(Role.WORKER, organisation=ORGANISATION))
    assert f'{survey_page}"' in as_worker.text and survey_page not in as_auditor.text


async def test_the_case_page_says_the_assessment_is_being_prepared_before_it_arrives(
    service: AssessmentService,
) -> None:
    response = await service.client.get(f"/cases/{uuid.uuid4()}")

    assert response.status_code == 200
    assert "Šetření se připravuje, obnovte stránku za chvíli" in response.text


async def test_the_case_page_lists_the_assessments_and_links_the_pending_one(
    service: AssessmentService,
) -> None:
    pending = await _pending(service)
    response = await service.client.get(f"/cases/{pending['case_id']}")

    assert response.status_code == 200
    assert "<h1>Šetření případu KMB-2026-00001</h1>" in response.text
    assert '<span class="badge badge-pending">čeká na šetření</span>' in response.text
    assert f'href="/assessments/{pending["id"]}/survey">Vyplnit šetření</a>' in response.text
    assert f'href="{service_urls()["intake"]}/cases/{pending["case_id"]}"' in response.text


async def test_the_survey_form_is_prefilled_from_the_household_and_labels_every_field(
    service: AssessmentService,
) -> None:
    pending = await _pending(service, hostel_case())
    html = (await service.client.get(f"/assessments/{pending['id']}/survey")).text

    assert "<h1>Šetření bytové situace KMB-2026-00001" in html
    assert input_value(html, "surveyed_on") == TODAY.isoformat()
    assert '<option value="commercial_hostel" selected>komerční ubytovna</option>' in html
    assert '<option value="lodging_contract" selected>smlouva o ubytování</option>' in html
    assert input_value(html, "size_m2") == "12"
    for field in re.findall(r'<(?:input|select|textarea) id="f-([\w.]+)"', html):
        labelled = f'<label for="f-{field}"' in html or re.search(
            rf'<label><input type="checkbox" id="f-{re.escape(field)}"', html
        )
        assert labelled, field
    assert 'name="action" value="save"' in html and ">Odeslat a vyhodnotit</button>" in html


async def test_a_bad_date_re_renders_the_form_with_the_error_next_to_it_and_the_values_kept(
    service: AssessmentService,
) -> None:
    pending, url = await _survey(service)
    async with service.browser(Role.WORKER) as browser:
        form = {
            "csrf_token": browser.csrf,
            "surveyed_on": "31. 2. 2026",
            "dwelling_kind": "flat",
            "size_m2": "34,5",
            "checked_documents": ["lease_contract", "income_statement"],
            "notes": "Byt ve 3. patře bez výtahu.",
            "action": "save",
        }
        response = await browser.client.post(url, data=form)
        future = await browser.client.post(url, data={**form, "surveyed_on": "1. 10. 2026"})

    assert response.status_code == 422
    html = response.text
    assert error_next_to(html, "surveyed_on") == "Zadejte platné datum, např. 30. 9. 2026."
    assert error_next_to(html, "size_m2") == ""
    assert input_value(html, "surveyed_on") == "31. 2. 2026"
    assert input_value(html, "size_m2") == "34,5"
    assert '<option value="flat" selected>byt</option>' in html
    assert 'value="lease_contract" checked' in html and 'value="income_statement" checked' in html
    assert 'value="notice" checked' not in html
    assert ">Byt ve 3. patře bez výtahu.</textarea>" in html
    assert '<a href="#f-surveyed_on">Datum šetření</a>' in html
    # The service's today is 2026-09-30: 1 October is in the future.
    assert future.status_code == 422
    assert error_next_to(future.text, "surveyed_on") == "Datum šetření nesmí být v budoucnosti."
    stored = (await service.client.get(f"/api/assessments/{pending['id']}")).json()
    assert stored["survey"] is None


async def test_a_form_sent_without_its_csrf_token_is_refused_and_nothing_is_saved(
    service: AssessmentService,
) -> None:
    pending, url = await _survey(service)
    async with service.browser(Role.WORKER) as browser:
        missing = await browser.client.post(url, data={"dwelling_kind": "street", "action": "submit"})
        forged = await browser.client.post(
            url, data={"csrf_token": "forged", "dwelling_kind": "street", "action": "submit"}
        )

    for response in (missing, forged):
        assert response.status_code == 403
        assert "<h1>Formulář nelze přijmout</h1>" in response.text
    stored = (await service.client.get(f"/api/assessments/{pending['id']}")).json()
    assert (stored["status"], stored["survey"]) == ("pending", None)


async def test_saving_then_submitting_through_the_form_shows_the_explained_result_and_emits_need_assessed(
    service: AssessmentService,
) -> None:
    pending, url = await _survey(service, hostel_case())
    async with service.browser(Role.WORKER, user="eva.mala", organisation="kmb-praha7") as browser:
        form = {
            "csrf_token": browser.csrf,
            "surveyed_on": "30. 9. 2026",
            "dwelling_kind": "commercial_hostel",
            "legal_title": "lodging_contract",
            "size_m2": "12",
            "missing_facts": "debts",
            "notes": "Šetření na ubytovně.",
        }
        saved = await browser.client.post(url, data={**form, "action": "save"})
        assert (saved.status_code, saved.headers["location"]) == (303, f"{url}?saved=survey")
        again = await browser.client.get(saved.headers["location"])
        # "Odeslat a vyhodnotit" saves and asks to confirm what will be recorded; nothing is sent yet.
        asked = await browser.client.post(url, data={**form, "action": "submit"})
        assert asked.status_code == 200 and "Odeslat šetření případu KMB-2026-00001?" in asked.text
        assert "<dd><strong>Nejisté bydlení</strong></dd>" in asked.text  # as the result below says
        assert "<dt>Priorita</dt><dd>30 bodů</dd>" in asked.text
        assert 'value="confirm">Ano, odeslat a vyhodnotit</button>' in asked.text
        assert of_type(await service.events(expect=0, timeout_s=0.5), "need_assessed") == []
        submitted = await browser.client.post(url, data={"csrf_token": browser.csrf, "action": "confirm"})
        result_url = f"/assessments/{pending['id']}?saved=submitted"
        assert (submitted.status_code, submitted.headers["location"]) == (303, result_url)
        twice = await browser.client.post(url, data={"csrf_token": browser.csrf, "action": "confirm"})
        assert twice.status_code == 409  # a second confirmation (a double click) submits nothing
        html = (await browser.client.get(result_url)).text

    assert "Šetření bylo uloženo." in again.text and input_value(again.text, "surveyed_on") == "2026-09-30"
    assert 'value="debts" checked' in again.text
    assert "Šetření bylo odesláno a vyhodnoceno." in html
    assert "<h1>Výsledek šetření KMB-2026-00001" in html
    # Commercial hostel: ETHOS 8 (insecure housing), no ETHOS Light category.
    assert "<strong>8 – v nejistém bydlení</strong> (u příbuzných nebo známých, bez nájmu, ubytovna)" in html
    assert "<dd><strong>nejisté bydlení</strong></dd>" in html
    # Rule set 2026.3 (from 2026-07-01): single person 5,500; ceiling 1.6 × 5,500 = 8,800;
    # 8,000 / 8,800 = 0.90909 -> 90.9 % of the ceiling, 800 Kč under it.
    assert f"8{NBSP}000{NBSP}Kč" in html and f"8{NBSP}800{NBSP}Kč" in html
    assert f"90,9{NBSP}% hranice – pod hranicí o 800{NBSP}Kč" in html
    # Costs 6,000 / 8,000 = 75 %; energy 1,000 / 8,000 = 12.5 %; 12 m² for one person.
    assert f">75{NBSP}%</td>" in html and f">12,5{NBSP}%</td>" in html and ">12 m²</td>" in html
    # Priority 20 (insecure) + 10 (costs over 50 % of income) = 30.
    assert '<h2 id="h-priority">Priorita: 30 bodů</h2>' in html
    assert re.search(r"<td>Úroveň bytové nouze</td><td class=\"num\">20</td><td>[^<]+</td>", html)
    assert re.search(r"<td>Náklady na bydlení ohrožují domácnost</td><td class=\"num\">10</td>", html)
    assert "Požádat Úřad práce o příspěvek na bydlení" in html
    assert "podle sady pravidel 2026.3" in html
    # In need (ETHOS 8) and within the ceiling: entered in the register on 2026-09-30.
    assert "Domácnost splňuje podmínky zápisu a byla zapsána</strong> dne 30." in html
    case_id = pending["case_id"]
    assert f'href="{service_urls()["catalogue"]}/cases/{case_id}/suggestions">Návrhy řešení</a>' in html
    assert f'href="{service_urls()["intake"]}/cases/{case_id}">Zpět na případ</a>' in html

    [assessed] = of_type(await service.events(expect=1), "need_assessed")
    assert (assessed["assessment_id"], assessed["ethos_category"]) == (pending["id"], 8)
    assert assessed["actor"] == {"user_id": "eva.mala", "organisation": "kmb-praha7"}


async def test_the_register_page_lists_a_qualifying_household_and_a_submitted_survey_stays_unchanged(
    service: AssessmentService,
) -> None:
    # A rough sleeper without income: ETHOS 1, within the ceiling, so entered in the register.
    submitted = await service.assess(
        case_opened(number=7), {"dwelling_kind": "street", "legal_title": "none"}
    )
    register = await service.client.get("/register", headers=bearer(Role.AUDITOR, organisation=ORGANISATION))
    survey = await service.client.get(f"/assessments/{submitted['id']}/survey")
    late = await service.client.post(
        f"/assessments/{submitted['id']}/survey", data={"dwelling_kind": "flat", "action": "save"}
    )

    assert register.status_code == 200 and "<h1>Evidence osob v bytové nouzi</h1>" in register.text
    active = register.text.split('id="active"')[1].split('id="due"')[0]
    assert f'<a href="/assessments/{submitted["id"]}">KMB-2026-00007</a>' in active
    # Registered 2026-09-30, valid 12 months (rule set 2026.2): through 30. 9. 2027.
    assert "<td>30.\u00a09.\u00a02027</td>" in active
    assert "<h2>Šetření už nelze měnit</h2>" in survey.text and '<form method="post"' not in survey.text
    assert late.status_code == 409
    assert '<p class="alert" role="alert">Šetření už bylo odesláno.</p>' in late.text
