"""Sign-in shared by all services: who is calling and what they may do.

One sign-in is valid on every service of the same host: intake signs a session cookie with the
secret all services share (``KMB_SECRET_KEY``, or ``var/secret.key`` created on first use), and
every service validates it here. Partner systems use per-organisation API tokens, signed the same way.
Every page and endpoint checks role and organisation on the server with :func:`require`, and, through
:func:`authenticate`, that intake still holds the credential valid (not logged out, revoked, or of a
deactivated account; :mod:`kmb_shared.sessions`).
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from fastapi import HTTPException, Request
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from kmb_shared.contracts import Actor

SESSION_COOKIE = "kmb_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class Role(StrEnum):
    WORKER = "worker"
    PARTNER = "partner"
    ANALYST = "analyst"
    CATALOGUE_EDITOR = "catalogue_editor"
    RULES_EDITOR = "rules_editor"
    ADMIN = "admin"
    AUDITOR = "auditor"


ROLE_LABELS: dict[str, str] = {
    Role.WORKER: "Pracovník kontaktního místa",
    Role.PARTNER: "Partnerská organizace",
    Role.ANALYST: "Analytik (jen statistika)",
    Role.CATALOGUE_EDITOR: "Správce katalogu",
    Role.RULES_EDITOR: "Správce pravidel",
    Role.ADMIN: "Administrátor",
    Role.AUDITOR: "Auditor",
}


@dataclass(frozen=True)
class Principal:
    """The signed-in user (or partner system) behind a request."""

    user_id: str
    roles: frozenset[str]
    organisation: str
    name: str = ""
    csrf: str = ""
    via: Literal["session", "token"] = "session"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    #: the credential's id (``s``) and issue time (``t``, epoch seconds); absent on older credentials
    sid: str | None = None
    issued_at: int | None = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, organisation=self.organisation)


def load_secret(var_dir: Path, configured: str | None) -> str:
    """The shared signing secret: configured, or generated once into ``var/secret.key`` (mode 600)."""
    if configured:
        return configured
    path = var_dir / "secret.key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        try:
            tmp.rename(path) if not path.exists() else tmp.unlink()
        except OSError:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()


#: how long an API token lasts when its issuer does not say (``KMB_API_TOKEN_DAYS`` where tokens are issued)
DEFAULT_API_TOKEN_DAYS = 90


def new_credential_id() -> str:
    return uuid.uuid4().hex


class Signer:
    """Signs and verifies session cookies and API tokens with the shared secret.

    Every credential carries its id (``s``, uuid4 hex) and issue time (``t``, epoch seconds) so intake
    can end it before it expires; an API token also carries its expiry (``x``, epoch seconds) and is
    refused once it has passed. A token signed before expiries existed (no ``x``) is refused: it would
    never end and has no id to revoke it by; a session cookie without ``s``/``t`` lasts out its 8 hours.
    """

    def __init__(self, secret: str, session_max_age_s: int = 8 * 3600) -> None:
        self._sessions = URLSafeTimedSerializer(secret, salt="kmb.session.v1")
        self._tokens = URLSafeSerializer(secret, salt="kmb.api-token.v1")
        self.session_max_age_s = session_max_age_s

    def session(
        self,
        user_id: str,
        roles: set[str] | frozenset[str],
        organisation: str,
        name: str = "",
        *,
        sid: str | None = None,
        now: float | None = None,
    ) -> str:
        payload = {
            "u": user_id,
            "r": sorted(roles),
            "o": organisation,
            "n": name,
            "c": secrets.token_urlsafe(16),
            "s": sid or new_credential_id(),
            "t": int(time.time() if now is None else now),
        }
        return str(self._sessions.dumps(payload))

    def read_session(self, value: str) -> Principal | None:
        try:
            data = self._sessions.loads(value, max_age=self.session_max_age_s)
        except (BadSignature, SignatureExpired):
            return None
        return Principal(
            data["u"],
            frozenset(data["r"]),
            data["o"],
            data.get("n", ""),
            data["c"],
            "session",
            sid=data.get("s"),
            issued_at=data.get("t"),
        )

    def api_token(
        self,
        user_id: str,
        roles: set[str] | frozenset[str],
        organisation: str,
        *,
        days: float = DEFAULT_API_TOKEN_DAYS,
        sid: str | None = None,
        now: float | None = None,
    ) -> str:
        issued = int(time.time() if now is None else now)
        payload = {
            "u": user_id,
            "r": sorted(roles),
            "o": organisation,
            "s": sid or new_credential_id(),
            "t": issued,
            "x": issued + int(days * 86400),
        }
        return "kmb_" + str(self._tokens.dumps(payload))

    def read_token(self, value: str, *, now: float | None = None) -> Principal | None:
        """The token's principal; None when it is not ours, forged, without an expiry or past it (``x``)."""
        if not value.startswith("kmb_"):
            return None
        try:
            data = self._tokens.loads(value[4:])
        except BadSignature:
            return None
        expires = data.get("x")
        if not isinstance(expires, int | float) or expires <= (time.time() if now is None else now):
            return None
        return Principal(
            data["u"],
            frozenset(data["r"]),
            data["o"],
            via="token",
            sid=data.get("s"),
            issued_at=data.get("t"),
            extra={"expires_at": expires},
        )


def _signer(request: Request) -> Signer:
    signer = getattr(request.app.state, "signer", None)
    if signer is None:
        raise RuntimeError("the app has no signer (build it with kmb_shared.service.build_service_app)")
    return signer  # type: ignore[no-any-return]


def principal_of(request: Request) -> Principal | None:
    """The caller, from a bearer token or the session cookie; None when not signed in (or when
    :func:`authenticate` found the credential ended in this request). The signature only: the
    dependencies check with :func:`authenticate` that the credential still holds."""
    if getattr(request.state, "credential_refused", False):
        return None
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    signer = _signer(request)
    principal = None
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal = signer.read_token(header[7:].strip())
    elif SESSION_COOKIE in request.cookies:
        principal = signer.read_session(request.cookies[SESSION_COOKIE])
    request.state.principal = principal
    return principal


async def authenticate(request: Request) -> Principal | None:
    """The caller, as :func:`principal_of`, whose credential the app's session checker (intake's rule,
    :mod:`kmb_shared.sessions`) still holds valid; once per request. An ended credential counts as
    signed out for the rest of the request; intake unreachable raises 503 ``auth_unavailable``."""
    principal = principal_of(request)
    if principal is None or getattr(request.state, "credential_checked", False):
        return principal
    from kmb_shared.sessions import checker_of

    verdict = await checker_of(request.app).check(request, principal)
    if not verdict.active:
        request.state.principal = None
        request.state.credential_refused = True
        return None
    request.state.credential_checked = True
    return principal


def http_error(
    status: int, code: str, message_cs: str, message_en: str, headers: dict[str, str] | None = None
) -> HTTPException:
    """The shared error body ``{"detail": {code, message_cs, message_en}}``."""
    detail = {"code": code, "message_cs": message_cs, "message_en": message_en}
    return HTTPException(status_code=status, detail=detail, headers=headers)


def unauthenticated() -> HTTPException:
    return http_error(
        401, "unauthenticated", "Přihlaste se, prosím.", "Please sign in.", {"WWW-Authenticate": "Bearer"}
    )


def _forbidden() -> HTTPException:
    return http_error(403, "forbidden", "K této akci nemáte oprávnění.", "You are not allowed to do this.")


async def check_csrf(request: Request, principal: Principal) -> None:
    """Unsafe requests authenticated by the cookie must carry the session's CSRF token."""
    if request.method in SAFE_METHODS or principal.via != "session":
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not secrets.compare_digest(sent, principal.csrf):
        raise HTTPException(
            status_code=403,
            detail={
                "code": "csrf",
                "message_cs": "Formulář vypršel nebo nepochází z KMB; načtěte stránku znovu.",
                "message_en": "The form expired or did not come from KMB; reload the page.",
            },
        )


def require(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency: the caller must be signed in and hold one of ``roles`` (any role if none given)."""

    async def dependency(request: Request) -> Principal:
        principal = await authenticate(request)
        if principal is None:
            raise unauthenticated()
        if roles and not principal.has(*roles):
            raise _forbidden()
        await check_csrf(request, principal)
        return principal

    return dependency


def require_organisation(principal: Principal, slug: str) -> None:
    """A partner user or token may act only for its own organisation."""
    if principal.has(Role.ADMIN):
        return
    if principal.organisation != slug:
        raise _forbidden()
