"""Signed-in browser sessions for the page tests: the session cookie intake would set, and the CSRF
token every form of that session must carry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

from kmb_shared.auth import CSRF_FIELD, SESSION_COOKIE, Role, Signer
from kmb_testkit.fixtures import TEST_SECRET

from .support import Referrals


@dataclass(frozen=True)
class Browser:
    """One signed-in person's requests to the pages (cookie sign-in, forms with the CSRF token)."""

    referrals: Referrals
    cookie: dict[str, str]
    csrf: str

    async def get(self, path: str) -> httpx.Response:
        return await self.referrals.client.get(path, headers=self.cookie)

    async def post(self, path: str, form: dict[str, Any] | None = None, csrf: bool = True) -> httpx.Response:
        data = {**(form or {}), **({CSRF_FIELD: self.csrf} if csrf else {})}
        return await self.referrals.client.post(path, data=data, headers=self.cookie)


def browser(
    referrals: Referrals, *roles: str, organisation: str = "kmb-lipovec", user: str = "u-1"
) -> Browser:
    signer = Signer(TEST_SECRET)
    value = signer.session(user, set(roles), organisation, name="Jana Pracovnice")
    principal = signer.read_session(value)
    assert principal is not None
    return Browser(referrals, {"Cookie": f"{SESSION_COOKIE}={value}"}, principal.csrf)


def worker(referrals: Referrals) -> Browser:
    return browser(referrals, Role.WORKER, user="worker-7")


def h1(html: str) -> str:
    """The page's main heading, without markup."""
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found, "the page has no h1"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()
