"""What a person does in the browser again and again: sign in and out, wait for a page that is filled
by an event from another service, read a figure, and keep a screenshot of what they saw."""

from __future__ import annotations

import re
import time
from datetime import date

from playwright.sync_api import Locator, Page, expect

from kmb_shared.clock import prague_today

from .conftest import ARTIFACTS, Account, System

SCREENSHOTS = ARTIFACTS / "screenshots"
#: viewport-sized copies (1280×900) meant for docs/screenshots (curated by hand)
README_SHOTS = SCREENSHOTS / "readme"
#: How long to wait for a page filled by another service's event: the loops end as soon as it shows, so a
#: generous bound costs nothing when it passes and keeps a busy CI machine from failing them by chance.
PATIENCE_S = 120.0


def office_today() -> date:
    return prague_today()


def shoot(page: Page, name: str, readme: bool = False) -> None:
    """The whole page into test-artifacts/screenshots; with ``readme`` also the visible window, small
    enough to be linked from the README."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if readme:
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(README_SHOTS / f"{name}.png"), full_page=False)


def fill_login(page: Page, system: System, account: Account) -> None:
    page.goto(f"{system.urls['intake']}/login")
    page.get_by_label("Uživatelské jméno").fill(account.username)
    page.get_by_label("Heslo").fill(account.password)


def sign_in(page: Page, system: System, account: Account) -> None:
    """Sign in on intake's login page; the browser lands on the person's first page by role."""
    fill_login(page, system, account)
    page.get_by_role("button", name="Přihlásit se").click()
    expect(page.get_by_role("button", name="Odhlásit")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Odhlásit").click()
    expect(page.get_by_role("status")).to_have_text("Byli jste odhlášeni.")


def reload_until(page: Page, locator: Locator, timeout: float = PATIENCE_S) -> None:
    """Reload the page until ``locator`` shows (the page waits for an event from another service)."""
    deadline = time.monotonic() + timeout
    while not locator.first.is_visible():
        if time.monotonic() > deadline:
            raise AssertionError(f"{locator} did not appear on {page.url} within {timeout} s")
        page.wait_for_timeout(300)
        page.reload()


def figure(page: Page, label: str) -> int:
    """A key figure of the statistics dashboard, by its exact label ("–" reads as 0)."""
    box = page.locator(".figure").filter(has=page.get_by_text(label, exact=True))
    text = box.locator("dd").inner_text()
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else 0


def figures(page: Page, labels: tuple[str, ...]) -> dict[str, int]:
    return {label: figure(page, label) for label in labels}


def wait_for_figures(page: Page, expected: dict[str, int], timeout: float = PATIENCE_S) -> dict[str, int]:
    """Reload the dashboard until every figure reaches its expected value (stats reads Kafka)."""
    deadline = time.monotonic() + timeout
    while True:
        seen = figures(page, tuple(expected))
        if seen == expected:
            return seen
        if time.monotonic() > deadline:
            raise AssertionError(f"dashboard figures {seen} never became {expected}")
        page.wait_for_timeout(300)
        page.reload()
