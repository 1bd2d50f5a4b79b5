"""Sign-in throttling that a forged X-Forwarded-For does not escape, and a limit per account over all
addresses (defaults: 5 failures per username and address, 20 per username, in 15 minutes)."""

from __future__ import annotations

import httpx
import pytest

from kmb_shared.auth import SESSION_COOKIE, Role

from .support import BASE_URL, PASSWORD, Intake, add_user, log_in

pytestmark = pytest.mark.kafka


def _from(intake: Intake, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=intake.transport.app, client=(address, 50000))  # type: ignore[attr-defined]
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL)


async def test_x_forwarded_for_from_an_untrusted_peer_does_not_change_the_throttle_key(
    intake: Intake,
) -> None:
    await add_user(intake, "eva.mala", Role.WORKER)

    async with _from(intake, "127.0.0.1") as browser:  # KMB_TRUSTED_PROXIES is empty: not even localhost
        failures = []
        for n in range(5):
            browser.headers["X-Forwarded-For"] = f"198.51.100.{n}"
            failures.append((await log_in(browser, "eva.mala", f"špatně-{n}")).status_code)
        browser.headers["X-Forwarded-For"] = "198.51.100.99"
        paused = await log_in(browser, "eva.mala", PASSWORD)

    assert failures == [401] * 5
    assert paused.status_code == 429
    assert SESSION_COOKIE not in paused.cookies


async def test_failures_from_many_addresses_pause_the_account(intake: Intake) -> None:
    await add_user(intake, "eva.mala", Role.WORKER)

    failures = []
    for host in range(4):  # 4 addresses x 5 failures = the account's 20
        async with _from(intake, f"10.0.0.{host + 10}") as browser:
            for n in range(5):
                failures.append((await log_in(browser, "eva.mala", f"špatně-{n}")).status_code)
    async with _from(intake, "10.0.0.99") as fresh:
        paused = await log_in(fresh, "eva.mala", PASSWORD)  # a new address, the right password

    assert failures == [401] * 20
    assert paused.status_code == 429
    assert "Příliš mnoho neúspěšných pokusů o přihlášení" in paused.text
    assert SESSION_COOKIE not in paused.cookies
