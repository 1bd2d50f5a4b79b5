"""Is this sign-in still valid? Asked of intake on every authenticated request of the other services.

A signed cookie or API token proves who signed it, not that it still holds: intake keeps the truth
(a session ended by logout, a token revoked, an account deactivated or whose password or roles changed,
see ``kmb_intake.application.accounts``). Why ask intake rather than announce revocations by event: the
answer is then never older than the cache (2 s), a service that was down or lagging cannot miss a
revocation, and there is no second copy of the accounts to keep in step. The price is that intake must
answer: when it does not, an authenticated request gets 503 ``auth_unavailable`` (refusing is safer
than trusting a credential that may have been revoked).

Each app has a checker on ``app.state.session_checker``; :func:`kmb_shared.auth.require` and the
pages' guard call it once per request through :func:`kmb_shared.auth.authenticate`. Intake installs its
own (its database); any other app gets :class:`IntakeSessionChecker` on first use, which forwards the
credential exactly as received to intake's ``GET /internal/auth/check`` and remembers the answer per
credential for at most ``ttl_s`` (2 s), in a bounded cache. The test kit installs :data:`ALWAYS_ACTIVE`
for apps built in-process without an intake.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from fastapi import FastAPI, HTTPException, Request

from kmb_shared.auth import SESSION_COOKIE, Principal, http_error

#: intake's answer to "is this credential still valid?"
CHECK_PATH = "/internal/auth/check"
#: the longest a service trusts intake's answer about one credential
MAX_TTL_S = 2.0
DEFAULT_TIMEOUT_S = 1.0
DEFAULT_CACHE_SIZE = 10_000
DEFAULT_INTAKE_PORT = 8001


@dataclass(frozen=True)
class Verdict:
    active: bool
    #: active, logout, revoked, user_inactive, superseded, expired or invalid
    reason: str


ACTIVE = Verdict(True, "active")


class SessionChecker(Protocol):
    async def check(self, request: Request, principal: Principal) -> Verdict:
        """Whether the request's (signature-checked) credential is still valid."""
        ...


class AlwaysActive:
    """Every signed credential is valid (in-process tests, which run no intake)."""

    async def check(self, request: Request, principal: Principal) -> Verdict:
        return ACTIVE


ALWAYS_ACTIVE = AlwaysActive()


def auth_unavailable() -> HTTPException:
    return http_error(
        503,
        "auth_unavailable",
        "Přihlášení teď nelze ověřit, služba příjmu neodpovídá. Zkuste to za chvíli znovu.",
        "The sign-in cannot be verified now: intake does not answer. Try again shortly.",
        {"Retry-After": "5"},
    )


def forwarded_credential(request: Request) -> dict[str, str]:
    """The request's credential as intake must see it: the Authorization header when it carries a bearer
    token (what :func:`kmb_shared.auth.principal_of` reads first), else the session cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return {"Authorization": header}
    cookie = request.cookies.get(SESSION_COOKIE)
    return {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}


def intake_url(service: str = "", env: Mapping[str, str] | None = None) -> str:
    """Where a service reaches intake: ``KMB_<SERVICE>_INTAKE_URL`` (the setting referrals already has),
    else ``KMB_INTAKE_URL``, else 127.0.0.1 on intake's port (``KMB_INTAKE_PORT``, else its manifest's)."""
    env = os.environ if env is None else env
    for name in (f"KMB_{service.upper()}_INTAKE_URL" if service else "", "KMB_INTAKE_URL"):
        if name and env.get(name):
            return env[name].rstrip("/")
    port = env.get("KMB_INTAKE_PORT") or str(_manifest_port())
    return f"http://127.0.0.1:{port}"


def _manifest_port() -> int:
    from kmb_shared.web.navigation import installed_services

    manifest = installed_services().get("intake")
    return manifest.port if manifest is not None else DEFAULT_INTAKE_PORT


class IntakeSessionChecker:
    """Asks intake, remembering each answer for ``ttl_s`` (at most :data:`MAX_TTL_S`) per credential
    (keyed by its SHA-256, never kept itself), for at most ``max_entries`` credentials (the oldest
    answers go first). Intake unreachable, slow (``timeout_s``) or answering anything but 200: 503."""

    def __init__(
        self,
        base_url: str,
        *,
        ttl_s: float = MAX_TTL_S,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_entries: int = DEFAULT_CACHE_SIZE,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = base_url.rstrip("/") + CHECK_PATH
        self.ttl_s = min(ttl_s, MAX_TTL_S)
        self.timeout_s = timeout_s
        self.max_entries = max(1, max_entries)
        self._transport = transport
        self._clock = clock
        self._cache: OrderedDict[str, tuple[float, Verdict]] = OrderedDict()
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        #: how many times intake was asked (tests read it)
        self.asked = 0

    async def check(self, request: Request, principal: Principal) -> Verdict:
        headers = forwarded_credential(request)
        key = hashlib.sha256(repr(sorted(headers.items())).encode()).hexdigest()
        now = self._clock()
        cached = self._cache.get(key)
        if cached is not None and now - cached[0] < self.ttl_s:
            return cached[1]
        verdict = await self._ask(headers)
        self._cache[key] = (self._clock(), verdict)
        self._cache.move_to_end(key)
        while len(self._cache) > self.max_entries:
            self._cache.popitem(last=False)
        return verdict

    def __len__(self) -> int:
        return len(self._cache)

    def _http(self) -> httpx.AsyncClient:
        """One client (and its connection pool) per event loop."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = httpx.AsyncClient(transport=self._transport, timeout=self.timeout_s)
            self._loop = loop
        return self._client

    async def _ask(self, headers: dict[str, str]) -> Verdict:
        self.asked += 1
        try:
            response = await self._http().get(self.url, headers=headers)
            data: Any = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as exc:
            raise auth_unavailable() from exc
        if not isinstance(data, dict) or not isinstance(data.get("active"), bool):
            raise auth_unavailable()
        return Verdict(data["active"], str(data.get("reason", "")))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def default_checker(app: FastAPI) -> SessionChecker:
    """The checker of an app that did not install one: intake's, over HTTP."""
    runtime = getattr(app.state, "runtime", None)
    if runtime is None:
        return IntakeSessionChecker(intake_url())
    settings = runtime.settings
    env = dict(os.environ)
    if settings.sign_in_check_url:  # KMB_INTAKE_URL, as the settings read it
        env["KMB_INTAKE_URL"] = settings.sign_in_check_url
    return IntakeSessionChecker(intake_url(settings.service_name, env))


#: what :func:`checker_of` installs on an app without a checker (the test kit swaps it)
_default_factory: list[Callable[[FastAPI], SessionChecker]] = [default_checker]


def use_default_checker(factory: Callable[[FastAPI], SessionChecker] | None) -> None:
    """Make ``factory`` (``None``: the HTTP checker) what apps without a checker get from now on."""
    _default_factory[0] = factory or default_checker


def checker_of(app: FastAPI) -> SessionChecker:
    """The app's checker, installed on first use when the app has none."""
    checker: SessionChecker | None = getattr(app.state, "session_checker", None)
    if checker is None:
        checker = _default_factory[0](app)
        app.state.session_checker = checker
    return checker
