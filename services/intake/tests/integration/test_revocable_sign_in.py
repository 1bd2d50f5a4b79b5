"""Sessions and tokens end in intake (issue 13 items 2 and 3): logout ends that session; deactivation,
a password change and a role change end every earlier session and token of the user; a token intake
issues carries its id and an expiry of KMB_API_TOKEN_DAYS."""

from __future__ import annotations

import time

import pytest

from kmb_intake.bootstrap import build_app
from kmb_shared.auth import SESSION_COOKIE, Role, Signer
from kmb_testkit.apps import serving
from kmb_testkit.fixtures import TEST_SECRET, bearer

from .support import ADMIN, BASE_URL, Intake, add_user, csrf_of, intake_settings, log_in

pytestmark = pytest.mark.kafka

DAY_S = 86400


async def _session(intake: Intake, username: str) -> str:
    """A fresh sign-in of ``username``: its session cookie."""
    async with intake.new_client() as browser:
        response = await log_in(browser, username)
        assert response.status_code == 303, response.text
        return str(browser.cookies[SESSION_COOKIE])


async def _me(intake: Intake, cookie: str) -> int:
    async with intake.new_client() as browser:
        browser.cookies.set(SESSION_COOKIE, cookie)
        return (await browser.get("/api/me")).status_code


async def test_logout_ends_that_session_only(intake: Intake) -> None:
    await add_user(intake, "eva.mala", Role.WORKER)
    other = await _session(intake, "eva.mala")
    async with intake.new_client() as browser:
        assert (await log_in(browser, "eva.mala")).status_code == 303
        cookie = str(browser.cookies[SESSION_COOKIE])
        desk = await browser.get("/desk")
        assert (await browser.post("/logout", data={"csrf_token": csrf_of(desk.text)})).status_code == 303

    assert await _me(intake, cookie) == 401  # the old cookie, kept by someone, no longer works
    async with intake.new_client() as browser:
        browser.cookies.set(SESSION_COOKIE, cookie)
        page = await browser.get("/desk")
    assert (page.status_code, page.headers["location"]) == (303, "/login?next=/desk")
    assert await _me(intake, other) == 200  # the user's other session goes on
    assert await intake.count("intake_credential") == 2


@pytest.mark.parametrize(
    ("change", "body"),
    [
        ("deactivate", None),
        ("password", {"password": "nové-heslo-12345"}),
        ("roles", {"roles": ["worker", "auditor"]}),
    ],
)
async def test_a_change_of_the_account_ends_every_earlier_session_and_token(
    intake: Intake, change: str, body: dict[str, object] | None
) -> None:
    user = await add_user(intake, "eva.mala", Role.WORKER)
    bystander = await add_user(intake, "jan.novy", Role.WORKER)
    first, second = await _session(intake, "eva.mala"), await _session(intake, "eva.mala")
    kept = await _session(intake, "jan.novy")
    token = bearer(Role.WORKER, user=user["id"])  # minted with the secret: unknown to intake's table
    assert (await intake.client.get("/api/me", headers=token)).status_code == 200

    if change == "deactivate":
        response = await intake.client.post(f"/api/users/{user['id']}/deactivate", headers=ADMIN)
    else:
        response = await intake.client.put(f"/api/users/{user['id']}/{change}", json=body, headers=ADMIN)
    assert response.status_code == 200, response.text

    assert (await _me(intake, first), await _me(intake, second)) == (401, 401)
    assert (await intake.client.get("/api/me", headers=token)).status_code == 401
    assert await _me(intake, kept) == 200 and bystander["active"]
    if change == "deactivate":
        return
    password = body["password"] if change == "password" and body else None
    async with intake.new_client() as browser:
        signed = await (
            log_in(browser, "eva.mala", str(password)) if password else log_in(browser, "eva.mala")
        )
        assert signed.status_code == 303, signed.text
        me = await browser.get("/api/me")  # a sign-in after the change works at once
    assert me.status_code == 200
    assert me.json()["roles"] == (["auditor", "worker"] if change == "roles" else ["worker"])


async def test_reactivation_does_not_revive_the_old_sessions(intake: Intake) -> None:
    user = await add_user(intake, "eva.mala", Role.WORKER)
    cookie = await _session(intake, "eva.mala")
    await intake.client.post(f"/api/users/{user['id']}/deactivate", headers=ADMIN)
    await intake.client.post(f"/api/users/{user['id']}/activate", headers=ADMIN)

    assert await _me(intake, cookie) == 401
    assert await _me(intake, await _session(intake, "eva.mala")) == 200


async def test_a_bad_password_or_role_change_is_refused_in_czech(intake: Intake) -> None:
    user = await add_user(intake, "eva.mala", Role.WORKER)
    short = await intake.client.put(
        f"/api/users/{user['id']}/password", json={"password": "krátké"}, headers=ADMIN
    )
    mixed = await intake.client.put(
        f"/api/users/{user['id']}/roles", json={"roles": ["partner", "worker"]}, headers=ADMIN
    )
    missing = await intake.client.put("/api/users/u-nikdo/roles", json={"roles": ["worker"]}, headers=ADMIN)
    worker = await intake.client.put(f"/api/users/{user['id']}/roles", json={"roles": ["admin"]})

    assert short.status_code == 422 and short.json()["detail"][0]["code"] == "account_password_short"
    assert mixed.status_code == 422 and mixed.json()["detail"][0]["code"] == "account_partner_alone"
    assert missing.status_code == 404
    assert worker.status_code == 403
    assert await _me(intake, await _session(intake, "eva.mala")) == 200  # nothing changed


async def test_a_token_issued_by_intake_is_recorded_and_expires_after_kmb_api_token_days(
    kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    settings = intake_settings(kafka_bootstrap, topic_prefix, database_url).model_copy(
        update={"api_token_days": 3}
    )
    app = build_app(settings)
    before = int(time.time())
    async with serving(app, BASE_URL, ADMIN) as (client, _):
        issued = await client.post("/api/tokens", json={"organisation": "charita", "roles": ["partner"]})
    assert issued.status_code == 201, issued.text
    principal = Signer(TEST_SECRET).read_token(issued.json()["token"])
    assert principal is not None and principal.sid is not None and principal.issued_at is not None
    assert before <= principal.issued_at <= int(time.time())
    assert principal.extra["expires_at"] == principal.issued_at + 3 * DAY_S
