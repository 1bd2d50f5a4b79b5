"""Signing in with a local account: the session cookie, CSRF, throttling, logout, deactivation, and
the first administrator created from the command line."""

from __future__ import annotations

import httpx
import pytest

from kmb_intake.bootstrap import create_admin
from kmb_shared.auth import SESSION_COOKIE, Role

from .support import (
    ADMIN,
    BASE_URL,
    PASSWORD,
    Intake,
    add_user,
    case_body,
    csrf_of,
    log_in,
    signed_in,
)

pytestmark = pytest.mark.kafka


def session_cookie_header(response: httpx.Response) -> str:
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{SESSION_COOKIE}=")]
    return header


async def test_signing_in_sets_an_http_only_same_site_cookie_that_works_on_the_api(intake: Intake) -> None:
    user = await add_user(intake, "eva.mala", Role.WORKER)

    async with intake.new_client() as browser:
        response = await log_in(browser, "Eva.Mala")  # the username ignores case
        header = session_cookie_header(response)
        me = await browser.get("/api/me")
        opened = await browser.post(
            "/api/cases", json=case_body(), headers={"X-CSRF-Token": me.json()["csrf_token"]}
        )
        without_token = await browser.post("/api/cases", json=case_body())

    assert (response.status_code, response.headers["location"]) == (303, "/desk")
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert {"httponly", "path"} <= attributes and "secure" not in attributes
    assert "samesite=lax" in header.lower()
    assert me.status_code == 200
    assert (me.json()["user_id"], me.json()["roles"], me.json()["via"]) == (user["id"], ["worker"], "session")
    assert user["id"].startswith("u-") and "eva" not in user["id"]  # pseudonymous
    assert opened.status_code == 201
    assert opened.json()["number"].startswith("KMB-")
    assert without_token.status_code == 403  # a cookie-authenticated change needs the CSRF token
    assert without_token.json()["detail"]["code"] == "csrf"


async def test_the_cookie_is_secure_when_served_over_https_behind_a_proxy(intake: Intake) -> None:
    await add_user(intake, "eva.mala", Role.WORKER)

    async with intake.new_client({"X-Forwarded-Proto": "https"}) as browser:
        form = await browser.get("/login")
        token = csrf_of(form.text, "/login")
        # the browser talks HTTPS to the proxy, so it sends the Secure login cookie back
        browser.cookies.set("kmb_login_csrf", token)
        response = await browser.post(
            "/login", data={"csrf_token": token, "username": "eva.mala", "password": PASSWORD}
        )

    assert "secure" in form.headers["set-cookie"].lower()
    assert response.status_code == 303
    assert "secure" in {part.strip().lower() for part in session_cookie_header(response).split(";")}


async def test_a_wrong_password_is_refused_with_a_czech_message(intake: Intake) -> None:
    await add_user(intake, "eva.mala", Role.WORKER)

    async with intake.new_client() as browser:
        wrong = await log_in(browser, "eva.mala", "špatné-heslo")
        unknown = await log_in(browser, "nikdo", PASSWORD)

    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Nesprávné uživatelské jméno nebo heslo." in response.text
        assert SESSION_COOKIE not in response.cookies
    assert 'value="eva.mala"' in wrong.text  # the username stays filled in


async def test_the_login_form_without_its_csrf_token_is_refused(intake: Intake) -> None:
    await add_user(intake, "eva.mala", Role.WORKER)

    async with intake.new_client() as browser:
        response = await browser.post("/login", data={"username": "eva.mala", "password": PASSWORD})

    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


async def test_sign_in_pauses_after_five_failures_from_one_address(intake: Intake) -> None:
    await add_user(intake, "eva.mala", Role.WORKER)

    async with intake.new_client() as browser:
        failures = [(await log_in(browser, "eva.mala", f"špatně-{n}")).status_code for n in range(5)]
        paused = await log_in(browser, "eva.mala", PASSWORD)  # even the right password waits
    other_address = httpx.ASGITransport(app=intake.transport.app, client=("10.0.0.8", 50000))  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=other_address, base_url=BASE_URL) as elsewhere:
        from_elsewhere = await log_in(elsewhere, "eva.mala", PASSWORD)

    assert failures == [401] * 5
    assert paused.status_code == 429
    assert "Příliš mnoho neúspěšných pokusů o přihlášení" in paused.text
    # the window is 15 minutes from the first failure, a moment ago: at most 900 s to wait
    assert 0 < int(paused.headers["retry-after"]) <= 900
    assert SESSION_COOKIE not in paused.cookies
    assert from_elsewhere.status_code == 303  # counted per username and address


async def test_a_form_post_without_the_csrf_token_is_refused_and_changes_nothing(intake: Intake) -> None:
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        form = await browser.get("/contacts/new")
        data = {"topics": "debts", "channel": "phone", "contact_date": "2026-01-05", "duration_minutes": "15"}
        refused = await browser.post("/contacts/new", data=data)
        forged = await browser.post("/contacts/new", data={**data, "csrf_token": "guessed"})

    assert form.status_code == 200 and csrf_of(form.text)
    assert (refused.status_code, forged.status_code) == (403, 403)
    assert "Formulář vypršel nebo nepochází z KMB" in refused.text
    assert await intake.count("intake_contact") == 0


async def test_logging_out_clears_the_cookie(intake: Intake) -> None:
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        desk = await browser.get("/desk")
        response = await browser.post("/logout", data={"csrf_token": csrf_of(desk.text)})
        after = await browser.get("/desk")

    assert (response.status_code, response.headers["location"]) == (303, "/login?saved=bye")
    cleared = session_cookie_header(response).lower()
    assert 'kmb_session=""' in cleared and "max-age=0" in cleared
    assert (after.status_code, after.headers["location"]) == (303, "/login?next=/desk")


async def test_a_deactivated_account_can_no_longer_sign_in_nor_use_its_session(intake: Intake) -> None:
    user = await add_user(intake, "eva.mala", Role.WORKER)
    async with intake.new_client() as browser:
        assert (await log_in(browser, "eva.mala")).status_code == 303

        deactivated = await intake.client.post(f"/api/users/{user['id']}/deactivate", headers=ADMIN)
        old_session = await browser.get("/api/cases")
        again = await log_in(browser, "eva.mala")

    assert deactivated.json()["active"] is False
    assert old_session.status_code == 401
    assert again.status_code == 403, again.text
    assert "deaktivován" in again.text


async def test_create_admin_makes_an_administrator_who_can_sign_in(intake: Intake) -> None:
    await create_admin(intake.runtime.settings, "spravce", "dlouhé-heslo-správce", "Petr Správce")  # type: ignore[arg-type]

    async with intake.new_client() as browser:
        response = await log_in(browser, "spravce", "dlouhé-heslo-správce")
        users = await browser.get("/api/users")
        page = await browser.get("/admin/users")

    assert (response.status_code, response.headers["location"]) == (303, "/admin/users")
    assert [(u["username"], u["name"], u["roles"]) for u in users.json()] == [
        ("spravce", "Petr Správce", ["admin"])
    ]
    assert page.status_code == 200 and "<h1>Uživatelé</h1>" in page.text


async def test_a_username_is_taken_once(intake: Intake) -> None:
    await add_user(intake, "eva.mala", Role.WORKER)

    again = await intake.client.post(
        "/api/users",
        json={"username": "eva.mala", "name": "Eva Jiná", "password": PASSWORD, "roles": ["worker"]},
        headers=ADMIN,
    )
    short = await intake.client.post(
        "/api/users",
        json={"username": "jan", "name": "Jan", "password": "krátké", "roles": []},
        headers=ADMIN,
    )

    assert again.status_code == 409
    assert again.json()["detail"]["message_cs"] == "Uživatelské jméno „eva.mala“ už existuje."
    assert short.status_code == 422
    assert {(e["field"], e["code"]) for e in short.json()["detail"]} == {
        ("password", "account_password_short"),
        ("roles", "account_no_roles"),
    }
