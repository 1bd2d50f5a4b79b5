"""The Czech pages: they render for the right roles, forms keep values and show errors next to the
fields, successful forms redirect, and the desk reads other services as the signed-in user."""

from __future__ import annotations

import re

import httpx
import pytest

from kmb_shared.auth import SESSION_COOKIE, Role

from .support import AUDITOR, Intake, csrf_of, signed_in

pytestmark = pytest.mark.kafka


def case_form(csrf: str, **overrides: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf,
        "members.0.first_name": "Květoslava",
        "members.0.last_name": "Hronková",
        "members.0.date_of_birth": "1985-03-15",
        "members.0.relationship": "applicant",
        "members.0.incomes.0.source": "employment",
        "members.0.incomes.0.amount_monthly": "18 500,50",
        "address.district": "Praha 7",
        "address.orp_code": "1000",
        "dwelling.kind": "flat",
        "dwelling.legal_title": "lease",
        "costs.rent": "11 000",
        "legal_basis": "public_task",
    }
    data.update(overrides)
    return data


def error_next_to(html: str, field: str) -> str:
    """The inline error message rendered for ``field`` (empty if none)."""
    match = re.search(rf'<p class="error" id="e-{re.escape(field)}"[^>]*>([^<]*)</p>', html)
    return match.group(1).strip() if match else ""


async def test_each_page_renders_its_czech_heading_for_a_worker(intake: Intake) -> None:
    case = await intake.open_case()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        pages = {
            "/desk": "<h1>Můj stůl</h1>",
            "/contacts/new": "<h1>Nový kontakt</h1>",
            "/cases/new": "<h1>Nový případ</h1>",
            "/cases": "<h1>Vyhledat případy</h1>",
            f"/cases/{case['id']}": f"<h1>Případ {case['number']}",
        }
        for path, heading in pages.items():
            response = await browser.get(path)
            assert response.status_code == 200, path
            assert heading in response.text, path
            assert 'lang="cs"' in response.text and "Odhlásit" in response.text


async def test_the_login_page_and_the_root_redirect(intake: Intake) -> None:
    async with intake.new_client() as anonymous:
        root = await anonymous.get("/")
        login = await anonymous.get("/login")
        desk = await anonymous.get("/desk?x=1")
        styles = await anonymous.get("/static/kmb.css")

    assert (root.status_code, root.headers["location"]) == (303, "/login")
    assert login.status_code == 200 and "<h1>Přihlášení</h1>" in login.text
    assert '<label for="f-username">Uživatelské jméno' in login.text
    assert (desk.status_code, desk.headers["location"]) == (303, "/login?next=/desk%3Fx%3D1")
    assert styles.status_code == 200  # the shared layout's styles are served by intake too


async def test_pages_check_roles_on_the_server(intake: Intake) -> None:
    async with signed_in(intake, "ana.lyticka", Role.ANALYST) as analyst:
        desk = await analyst.get("/desk")
        users = await analyst.get("/admin/users")
    async with signed_in(intake, "audit.or", Role.AUDITOR) as auditor:
        views = await auditor.get("/audit/views")
        search = await auditor.get("/cases")
        new_case = await auditor.get("/cases/new")

    assert (desk.status_code, users.status_code, new_case.status_code) == (403, 403, 403)
    assert "Přístup odepřen" in desk.text
    assert views.status_code == 200 and "<h1>Nahlížení do osobních údajů</h1>" in views.text
    assert search.status_code == 200


async def test_the_case_form_keeps_the_values_and_shows_the_birth_number_error_next_to_it(
    intake: Intake,
) -> None:
    # 850315/1230: 850315123 mod 11 = 850315123 - 11 * 77301374 = 9, so the check digit must be 9, not 0
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        form = await browser.get("/cases/new")
        response = await browser.post(
            "/cases/new",
            data=case_form(
                csrf_of(form.text),
                **{"members.1.first_name": "Tomáš", "members.1.birth_number": "850315/1230"},
            ),
        )

    assert response.status_code == 422
    assert error_next_to(response.text, "members.1.birth_number") == (
        "Rodné číslo nemá platnou kontrolní číslici (dělitelnost 11)."
    )
    # the second row also lacks its last name, date of birth and relationship
    assert error_next_to(response.text, "members.1.last_name") == "Povinný údaj chybí."
    assert error_next_to(response.text, "members.0.first_name") == ""
    for kept in ('value="Květoslava"', 'value="Tomáš"', 'value="850315/1230"', 'value="18 500,50"'):
        assert kept in response.text
    assert '<option value="flat" selected>' in response.text
    assert "Formulář obsahuje chyby" in response.text
    assert await intake.count("intake_case") == 0


async def test_a_valid_case_form_opens_the_case_and_shows_its_page(intake: Intake) -> None:
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        form = await browser.get("/cases/new")
        response = await browser.post("/cases/new", data=case_form(csrf_of(form.text)))
        page = await browser.get(response.headers["location"])

    assert response.status_code == 303
    case_id = response.headers["location"].removeprefix("/cases/").removesuffix("?saved=opened")
    detail = (await intake.client.get(f"/api/cases/{case_id}")).json()
    # "18 500,50" typed the Czech way is 18500.50 CZK
    assert detail["household"]["members"][0]["incomes"] == [
        {"source": "employment", "amount_monthly": "18500.50"}
    ]
    assert detail["household"]["costs"]["rent"] == "11000"
    assert page.status_code == 200
    assert "Případ byl založen." in page.text
    assert "Hronková" in page.text and "otevřený" in page.text
    assert "Eva Malá · kmb-praha7" in page.text  # the history names the worker (stats is not reachable)
    for link in (f'/cases/{case_id}"', f"/cases/{case_id}/suggestions"):
        assert link in page.text


async def test_closing_and_reopening_from_the_case_page(intake: Intake) -> None:
    case = await intake.open_case()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        page = await browser.get(f"/cases/{case['id']}")
        csrf = csrf_of(page.text)
        no_note = await browser.post(
            f"/cases/{case['id']}/close", data={"csrf_token": csrf, "reason": "other", "version": "1"}
        )
        closed = await browser.post(
            f"/cases/{case['id']}/close", data={"csrf_token": csrf, "reason": "moved_away", "version": "1"}
        )
        stale = await browser.post(f"/cases/{case['id']}/reopen", data={"csrf_token": csrf, "version": "1"})
        reopened = await browser.post(
            f"/cases/{case['id']}/reopen", data={"csrf_token": csrf, "version": "2"}
        )

    assert no_note.status_code == 422
    assert error_next_to(no_note.text, "note") == "U důvodu „jiný“ uveďte poznámku."
    assert (closed.status_code, closed.headers["location"]) == (303, f"/cases/{case['id']}?saved=closed")
    assert stale.status_code == 409 and "mezitím změnil někdo jiný" in stale.text
    assert reopened.status_code == 303
    assert (await intake.client.get(f"/api/cases/{case['id']}")).json()["status"] == "open"


async def test_recording_a_contact_from_the_form(intake: Intake) -> None:
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        form = await browser.get("/contacts/new")
        empty = await browser.post(
            "/contacts/new", data={"csrf_token": csrf_of(form.text), "channel": "phone"}
        )
        data = {
            "csrf_token": csrf_of(form.text),
            "topics": ["debts", "benefits"],
            "channel": "phone",
            "contact_date": "5. 1. 2026",
            "duration_minutes": "15",
        }
        saved = await browser.post("/contacts/new", data=data)
        desk = await browser.get(saved.headers["location"])
        me = (await browser.get("/api/me")).json()

    assert 'value="15"' in form.text and "autofocus" in form.text  # sensible defaults
    assert empty.status_code == 422
    assert error_next_to(empty.text, "topics") == "Uveďte alespoň jedno téma kontaktu."
    assert (saved.status_code, saved.headers["location"]) == (303, "/desk?saved=contact")
    assert "Kontakt byl zaznamenán." in desk.text
    (contact,) = (await intake.client.get("/api/contacts", params={"date": "2026-01-05"})).json()
    assert (contact["channel"], contact["topics"], contact["worker_id"]) == (
        "phone",
        ["debts", "benefits"],
        me["user_id"],
    )


async def test_the_case_page_and_the_search_page_are_logged_as_views(intake: Intake) -> None:
    case = await intake.open_case()
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        await browser.get(f"/cases/{case['id']}")
        found = await browser.get("/cases", params={"name": "hronková", "birth_date": "15. 3. 1985"})
        nothing_asked = await browser.get("/cases")
        user_id = (await browser.get("/api/me")).json()["user_id"]

    assert case["number"] in found.text
    assert "Zadejte alespoň jedno kritérium" in nothing_asked.text
    views = (
        await intake.client.get("/api/audit/views", params={"case_id": case["id"]}, headers=AUDITOR)
    ).json()
    assert sorted((v["user_id"], v["kind"], v["channel"]) for v in views) == [
        (user_id, "detail", "page"),
        (user_id, "search", "page"),
    ]


async def test_the_desk_shows_what_other_services_flag_reading_them_as_the_user(intake: Intake) -> None:
    case = await intake.open_case()
    overdue = {"case_id": case["id"], "partner": "up-praha", "kind_label": "Dávky", "due_on": "2026-02-03"}
    due = {
        "case_id": case["id"],
        "case_number": case["number"],
        "valid_until": "2026-03-31",
        "reassess_from": "2026-03-01",
    }
    seen = intake.peers_answer({"/api/referrals": [overdue], "/api/register": [due]})
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        desk = await browser.get("/desk")
        cookie = browser.cookies[SESSION_COOKIE]

    assert desk.status_code == 200
    assert "up-praha" in desk.text and "3. 2. 2026" in desk.text and "31. 3. 2026" in desk.text
    assert desk.text.count(f">{case['number']}</a>") == 2
    asked = {
        (r.url.path, r.url.params.get("overdue") or r.url.params.get("status") or r.url.params.get("unread"))
        for r in seen
    }
    assert asked == {
        ("/api/referrals", "true"),  # overdue
        ("/api/register", "due"),
        ("/api/reassessments", None),
        ("/api/notifications", "true"),  # unread
    }
    assert all(r.headers["cookie"] == f"{SESSION_COOKIE}={cookie}" for r in seen)


async def test_the_desk_works_when_other_services_are_down(intake: Intake) -> None:
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        desk = await browser.get("/desk")

    assert desk.status_code == 200
    assert "služba předání neodpovídá" in desk.text and "služba šetření neodpovídá" in desk.text


async def test_an_admin_creates_a_user_on_the_page_and_sees_inline_errors(intake: Intake) -> None:
    async with signed_in(intake, "spravce", Role.ADMIN) as browser:
        page = await browser.get("/admin/users")
        csrf = csrf_of(page.text)
        bad = await browser.post(
            "/admin/users",
            data={"csrf_token": csrf, "username": "Jana Nová", "name": "Jana Nová", "password": "krátké"},
        )
        good = await browser.post(
            "/admin/users",
            data={
                "csrf_token": csrf,
                "username": "jana.nova",
                "name": "Jana Nová",
                "password": "dostatečně-dlouhé",
                "roles": ["worker", "auditor"],
            },
        )
        listed = await browser.get(good.headers["location"])

    assert bad.status_code == 422
    assert error_next_to(bad.text, "password") == "Heslo musí mít alespoň 10 znaků."
    assert error_next_to(bad.text, "roles") == "Vyberte alespoň jednu roli."
    assert error_next_to(bad.text, "username").startswith("Uživatelské jméno: 3–50 znaků")
    assert 'value="Jana Nová"' in bad.text and "krátké" not in bad.text  # no password sent back
    assert good.status_code == 303
    assert "jana.nova" in listed.text and "Uživatel byl založen." in listed.text


async def test_the_case_page_shows_the_timeline_of_all_services_from_stats(intake: Intake) -> None:
    case = await intake.open_case()
    event = {
        "time": "2026-02-03T10:15:00+01:00",
        "event": "Předání partnerovi",
        "actor": "worker-7",
        "organisation": "kmb-praha7",
        "summary": "Předáno: up-praha",
    }

    def stats(request: httpx.Request) -> httpx.Response:
        assert request.url.path == f"/api/audit/cases/{case['id']}"
        return httpx.Response(200, json={"case_id": case["id"], "events": [event]})

    intake.transport.app.state.peer_transport = httpx.MockTransport(stats)  # type: ignore[attr-defined]
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        page = await browser.get(f"/cases/{case['id']}")

    assert page.status_code == 200
    assert "Předání partnerovi" in page.text and "Předáno: up-praha" in page.text
    assert "3. 2. 2026 10:15" in page.text  # 10:15 in Prague (+01:00 in February)
    assert "Úplný průběh ze všech služeb teď není k dispozici" not in page.text
