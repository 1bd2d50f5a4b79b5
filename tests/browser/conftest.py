"""The five services as separate processes on the real broker, a browser (Debian's Chromium driven by
Playwright) and the accounts of the people who use them.

Every service listens on 127.0.0.1 so that the one session cookie intake sets is sent to all five
(cookies belong to a host, not to a port); the pages build their links to each other from the
``KMB_<SERVICE>_PORT`` variables set here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, ViewportSize, expect, sync_playwright

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer
from kmb_testkit.system import System, running_system

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--lang=cs-CZ",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

#: The administrator's token that sets the system up (accounts, demo catalogue, demo partners)
ADMIN = bearer(Role.ADMIN, organisation="kmb", user="browser-admin")
#: The demo partner the worker refers to, and another one whose user must not see its referrals
PARTNER_ORG = "socialni-odbor"
OTHER_PARTNER_ORG = "ngo-domov"


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    name: str
    roles: tuple[str, ...]
    organisation: str = "kmb"


#: The people of the scenario (local accounts in intake, created through its API)
ACCOUNTS: dict[str, Account] = {
    "worker": Account("eva.pracovnice", "heslo-pracovnice-1", "Eva Pracovnice", (Role.WORKER,)),
    "partner": Account("petr.socialni", "heslo-partnera-12", "Petr Sociální", (Role.PARTNER,), PARTNER_ORG),
    "other_partner": Account(
        "olga.domov", "heslo-partnerky-3", "Olga Domov", (Role.PARTNER,), OTHER_PARTNER_ORG
    ),
    "analyst": Account("adam.analytik", "heslo-analytika-4", "Adam Analytik", (Role.ANALYST,)),
}


@pytest.fixture(scope="module")
def system(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with running_system(kafka_bootstrap, tmp_path_factory.mktemp("kmb-browser"), "br") as running:
        yield running


def create_account(system: System, account: Account) -> None:
    """Create ``account`` in intake (as the administrator)."""
    body = {
        "username": account.username,
        "name": account.name,
        "password": account.password,
        "roles": list(account.roles),
        "organisation": account.organisation,
    }
    created = httpx.post(f"{system.urls['intake']}/api/users", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text


@pytest.fixture(scope="module")
def accounts(system: System) -> dict[str, Account]:
    """The scenario's accounts, the demo catalogue and the demo partners, created once per module."""
    for account in ACCOUNTS.values():
        create_account(system, account)
    loaded = httpx.post(f"{system.urls['catalogue']}/api/demo/load", headers=ADMIN, timeout=30)
    assert loaded.status_code == 200, loaded.text
    partners = httpx.post(f"{system.urls['referrals']}/api/demo/partners", headers=ADMIN, timeout=30)
    assert partners.status_code in (200, 201), partners.text
    return ACCOUNTS


#: Playwright's expect() waits 5 s by default, too short for a page rendered by a busy machine
expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; Playwright never downloads a browser of its own here."""
    with sync_playwright() as playwright:
        # Czech user interface: date inputs show 15.03.1985 as a Czech worker sees them (needs Debian's
        # chromium-l10n; without it Chromium falls back to English formats and the tests still pass)
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={**os.environ, "LANGUAGE": "cs"}
        )
        try:
            yield chromium
        finally:
            chromium.close()


def new_context(browser: Browser) -> BrowserContext:
    """A fresh profile (no cookies) with a desktop window, Czech locale and the office's time zone."""
    context = browser.new_context(
        viewport=VIEWPORT, locale="cs-CZ", timezone_id="Europe/Prague", accept_downloads=True
    )
    # Page actions wait for an element at most this long (generous: on a busy CI machine the five
    # services answer slowly; a passing step does not wait for it).
    context.set_default_timeout(60_000)
    return context


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser)
    try:
        yield context
    finally:
        context.close()
