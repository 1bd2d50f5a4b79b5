"""The worker's desk shows their unread notifications, asked of referrals over HTTP with the worker's own
credential: a partner's decline with its reason in Czech, on the desk of the worker who made the referral
and of no other worker; when referrals does not answer, the desk says so in Czech and still works.

Fast tier, in one process (``kmb_testkit.inprocess``): the five apps on SQLite, events handed over in
memory (the notification itself is tested on the real broker in referrals' integration tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer
from kmb_testkit.inprocess import InProcessSystem, in_process_system
from kmb_testkit.intake_bodies import case_body

ORG = "kmb"
WORKER = bearer(Role.WORKER, organisation=ORG, user="u-eva")
COLLEAGUE = bearer(Role.WORKER, organisation=ORG, user="u-jan")
ADMIN = bearer(Role.ADMIN, organisation=ORG, user="u-admin")
PARTNER = bearer(Role.PARTNER, organisation="ngo-domov", user="u-domov")
DECLINED = (
    "Azylový dům Domov odmítl předání „Sociální práce“ k případu {number}. Důvod: Nedostatečná kapacita."
)


async def call(
    system: InProcessSystem, service: str, method: str, path: str, headers: dict[str, str], **kw: object
) -> httpx.Response:
    async with system.client(service) as client:
        response = await client.request(method, path, headers=headers, **kw)  # type: ignore[arg-type]
    assert response.status_code < 300, f"{method} {path}: {response.text}"
    return response


@pytest.fixture
async def declined(tmp_path: Path) -> AsyncIterator[tuple[InProcessSystem, str]]:
    """A case of Eva's referred by her to a shelter that declined it for lack of capacity."""
    async with in_process_system(tmp_path) as system:
        case = (await call(system, "intake", "POST", "/api/cases", WORKER, json=case_body())).json()
        await system.pump()
        partner = {
            "slug": "ngo-domov",
            "name": "Azylový dům Domov",
            "kind": "ngo",
            "accepted_kinds": ["social_work"],
        }
        await call(system, "referrals", "POST", "/api/partners", ADMIN, json=partner)
        body = {"case_id": case["id"], "partner": "ngo-domov", "kind": "social_work"}
        made = (await call(system, "referrals", "POST", "/api/referrals", WORKER, json=body)).json()
        decline = {"reason": "no_capacity", "note": "momentálně plno"}
        await call(system, "referrals", "POST", f"/api/referrals/{made['id']}/decline", PARTNER, json=decline)
        yield system, case["number"]


async def test_the_desk_shows_the_partners_decline_to_the_worker_who_referred(
    declined: tuple[InProcessSystem, str],
) -> None:
    system, number = declined
    desk = (await call(system, "intake", "GET", "/desk", WORKER)).text
    assert "Upozornění (1 nové)" in desk
    assert DECLINED.format(number=number) in desk
    assert "momentálně plno" not in desk and "no_capacity" not in desk
    assert "/notifications" in desk

    theirs = (await call(system, "intake", "GET", "/desk", COLLEAGUE)).text
    assert "Žádná nová upozornění." in theirs and number not in theirs

    # read on referrals' page (the desk's link), the desk has nothing new; the colleague's did not change
    read = await call(system, "referrals", "POST", "/api/notifications/read", WORKER)
    assert read.json() == {"marked": 1}
    assert "Žádná nová upozornění." in (await call(system, "intake", "GET", "/desk", WORKER)).text


async def test_the_desk_says_so_in_czech_when_referrals_does_not_answer(
    declined: tuple[InProcessSystem, str],
) -> None:
    system, _ = declined
    system.apps["intake"].state.peer_transport = httpx.MockTransport(lambda _: httpx.Response(503))
    desk = await call(system, "intake", "GET", "/desk", WORKER)
    assert "Upozornění teď nejsou k dispozici (služba předání neodpovídá)." in desk.text
    assert "Moje otevřené případy" in desk.text
