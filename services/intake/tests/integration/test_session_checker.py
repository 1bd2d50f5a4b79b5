"""Intake's ``/internal/auth/check`` and the shared checker the other services ask it through
(``kmb_shared.sessions.IntakeSessionChecker``), against a real intake app over HTTP (ASGI transport):
a deactivated or logged-out credential is refused by a peer within the cache's 2 s, the cache is
bounded, and an intake that does not answer makes the peer answer 503 auth_unavailable."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI

from kmb_shared.auth import SESSION_COOKIE, Principal, Role, Signer, require
from kmb_shared.sessions import CHECK_PATH, MAX_TTL_S, IntakeSessionChecker, default_checker, intake_url
from kmb_shared.settings import ServiceSettings
from kmb_testkit.fixtures import TEST_SECRET, bearer

from .support import ADMIN, BASE_URL, Intake, add_user, csrf_of, log_in

pytestmark = pytest.mark.kafka


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def peer_app(checker: IntakeSessionChecker) -> FastAPI:
    """Another service: its route is guarded by the shared ``require`` and asks intake."""
    app = FastAPI()
    app.state.signer = Signer(TEST_SECRET)
    app.state.session_checker = checker

    @app.get("/api/me")
    async def me(principal: Annotated[Principal, Depends(require())]) -> dict[str, str]:
        return {"user": principal.user_id}

    return app


@pytest.fixture
async def peer(intake: Intake) -> AsyncIterator[tuple[httpx.AsyncClient, IntakeSessionChecker, Clock]]:
    clock = Clock()
    checker = IntakeSessionChecker(BASE_URL, transport=intake.transport, clock=clock)
    transport = httpx.ASGITransport(app=peer_app(checker))
    async with httpx.AsyncClient(transport=transport, base_url="http://peer.test") as client:
        yield client, checker, clock
    await checker.aclose()


async def test_intake_answers_whether_a_credential_is_still_valid(intake: Intake) -> None:
    user = await add_user(intake, "eva.mala", Role.WORKER)
    async with intake.new_client() as browser:
        assert (await log_in(browser, "eva.mala")).status_code == 303
        cookie = {"Cookie": f"{SESSION_COOKIE}={browser.cookies[SESSION_COOKIE]}"}
    token = bearer(Role.WORKER, user=user["id"])
    async with intake.new_client() as anonymous:
        answers = {
            "cookie": await anonymous.get(CHECK_PATH, headers=cookie),
            "token": await anonymous.get(CHECK_PATH, headers=token),
            "none": await anonymous.get(CHECK_PATH),
            "forged": await anonymous.get(CHECK_PATH, headers={"Authorization": "Bearer kmb_forged"}),
        }
        await intake.client.post(f"/api/users/{user['id']}/deactivate", headers=ADMIN)
        after = await anonymous.get(CHECK_PATH, headers=cookie)

    assert {name: (r.status_code, r.json()) for name, r in answers.items()} == {
        "cookie": (200, {"active": True, "reason": "active"}),
        "token": (200, {"active": True, "reason": "active"}),
        "none": (200, {"active": False, "reason": "invalid"}),
        "forged": (200, {"active": False, "reason": "invalid"}),
    }
    assert (after.status_code, after.json()) == (200, {"active": False, "reason": "user_inactive"})


async def test_a_peer_refuses_a_deactivated_users_cookie_once_its_cached_answer_is_2_s_old(
    intake: Intake, peer: tuple[httpx.AsyncClient, IntakeSessionChecker, Clock]
) -> None:
    client, checker, clock = peer
    user = await add_user(intake, "eva.mala", Role.WORKER)
    async with intake.new_client() as browser:
        assert (await log_in(browser, "eva.mala")).status_code == 303
        client.cookies.set(SESSION_COOKIE, browser.cookies[SESSION_COOKIE])

    first = await client.get("/api/me")
    again = await client.get("/api/me")
    assert (first.status_code, again.status_code, checker.asked) == (200, 200, 1)  # the second from the cache

    await intake.client.post(f"/api/users/{user['id']}/deactivate", headers=ADMIN)
    clock.now += MAX_TTL_S - 0.01
    cached = await client.get("/api/me")
    asked_while_cached = checker.asked
    clock.now += 0.01
    refused = await client.get("/api/me")

    assert cached.status_code == 200 and asked_while_cached == 1
    assert refused.status_code == 401 and checker.asked == 2  # no answer 2 s old is used
    assert refused.json()["detail"]["code"] == "unauthenticated"


async def test_a_peer_refuses_a_logged_out_session(
    intake: Intake, peer: tuple[httpx.AsyncClient, IntakeSessionChecker, Clock]
) -> None:
    client, _, clock = peer
    await add_user(intake, "eva.mala", Role.WORKER)
    async with intake.new_client() as browser:
        assert (await log_in(browser, "eva.mala")).status_code == 303
        client.cookies.set(SESSION_COOKIE, browser.cookies[SESSION_COOKIE])
        assert (await client.get("/api/me")).status_code == 200
        desk = await browser.get("/desk")
        await browser.post("/logout", data={"csrf_token": csrf_of(desk.text)})

    assert (await client.get("/api/me")).status_code == 200  # the answer of a moment ago
    clock.now += MAX_TTL_S
    assert (await client.get("/api/me")).status_code == 401


async def test_the_cache_holds_at_most_max_entries_and_at_most_2_s(intake: Intake) -> None:
    checker = IntakeSessionChecker(BASE_URL, transport=intake.transport, max_entries=2, ttl_s=60)
    assert checker.ttl_s == MAX_TTL_S
    transport = httpx.ASGITransport(app=peer_app(checker))
    async with httpx.AsyncClient(transport=transport, base_url="http://peer.test") as client:
        for user in ("u-a", "u-b", "u-c"):
            response = await client.get("/api/me", headers=bearer(Role.WORKER, user=user))
            assert response.status_code == 200
    await checker.aclose()
    assert len(checker) == 2 and checker.asked == 3


async def test_intake_unreachable_means_503_auth_unavailable_in_czech_and_english() -> None:
    checker = IntakeSessionChecker("http://127.0.0.1:9")  # nothing listens there
    transport = httpx.ASGITransport(app=peer_app(checker))
    async with httpx.AsyncClient(transport=transport, base_url="http://peer.test") as client:
        response = await client.get("/api/me", headers=bearer(Role.WORKER))
        anonymous = await client.get("/api/me")
    await checker.aclose()

    assert response.status_code == 503
    detail = response.json()["detail"]
    assert detail["code"] == "auth_unavailable"
    assert "nelze ověřit" in detail["message_cs"] and "cannot be verified" in detail["message_en"]
    assert anonymous.status_code == 401  # no credential: nothing to ask


def test_the_intake_address_follows_the_settings() -> None:
    assert (
        intake_url("referrals", {"KMB_REFERRALS_INTAKE_URL": "http://intake:8001/"}) == "http://intake:8001"
    )
    assert intake_url("stats", {"KMB_INTAKE_URL": "http://i:1", "KMB_INTAKE_PORT": "7"}) == "http://i:1"
    assert intake_url("stats", {"KMB_INTAKE_PORT": "18001"}) == "http://127.0.0.1:18001"
    assert intake_url("stats", {}) == "http://127.0.0.1:8001"


def test_a_service_without_a_checker_asks_the_intake_its_settings_name(tmp_path: Path) -> None:
    app = FastAPI()
    settings = ServiceSettings(var_dir=tmp_path, KMB_INTAKE_URL="http://intake:8001")
    app.state.runtime = SimpleNamespace(settings=settings)  # what build_service_app sets
    checker = default_checker(app)
    assert isinstance(checker, IntakeSessionChecker)
    assert checker.url == "http://intake:8001" + CHECK_PATH
    assert (checker.ttl_s, checker.timeout_s) == (MAX_TTL_S, 1.0)
