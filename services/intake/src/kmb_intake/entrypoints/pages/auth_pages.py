"""Signing in and out. Intake signs the session cookie for every service of the host (the cookie is
host-wide; each service checks it with the shared secret).

The login form has its own CSRF protection (there is no session yet): a random value in a short-lived
cookie must come back in the form's hidden field (double submit).
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import CSRF_FIELD, SESSION_COOKIE, Signer, authenticate, check_csrf, principal_of
from kmb_shared.service import SessionDep

from ...application.accounts import EndReason, Outcome, end_credential, record_session, sign_in
from ..deps import accounts_of, deps_of
from ..security import client_address, trusted_networks
from .common import PageForbidden, form_values, landing, redirect, render, safe_next

router = APIRouter(include_in_schema=False)

LOGIN_CSRF_COOKIE = "kmb_login_csrf"
LOGIN_CSRF_MAX_AGE_S = 2 * 3600

WRONG = "Nesprávné uživatelské jméno nebo heslo."
INACTIVE = "Tento účet byl deaktivován. Obraťte se na administrátora."
EXPIRED = "Přihlašovací formulář vypršel. Zkuste se přihlásit znovu."


def is_https(request: Request) -> bool:
    """Served over HTTPS, directly or behind a proxy that says so."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def _login_page(
    request: Request,
    status_code: int = 200,
    *,
    username: str = "",
    next_url: str = "",
    error: str = "",
    errors: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    token = secrets.token_urlsafe(16)
    response = render(
        request,
        "login.html",
        status_code,
        title="Přihlášení",
        login_token=token,
        login_field=CSRF_FIELD,
        username=username,
        next_url=next_url,
        error=error,
        errors=errors or {},
    )
    _set_cookie(response, request, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_MAX_AGE_S)
    response.headers.update(headers or {})
    return response


@router.get("/")
async def home(request: Request) -> RedirectResponse:
    principal = await authenticate(request)
    return redirect(landing(principal) if principal else "/login")


@router.get("/login")
async def login_form(request: Request, next: str = "") -> HTMLResponse:
    return _login_page(request, next_url=safe_next(next))


def _client_address(request: Request) -> str:
    """The throttle's address: forwarded headers count only from ``KMB_TRUSTED_PROXIES``."""
    peer = request.client.host if request.client else None
    trusted = trusted_networks(deps_of(request).settings.trusted_proxies)
    return client_address(peer, request.headers.get("x-forwarded-for"), trusted)


@router.post("/login")
async def login(request: Request, session: AsyncSession = SessionDep) -> Response:
    values = form_values(await request.form())
    username, password = values.get("username", "").strip(), values.get("password", "")
    page: dict[str, Any] = {"username": username, "next_url": safe_next(values.get("next"))}
    sent, expected = values.get(CSRF_FIELD, ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not sent or not expected or not secrets.compare_digest(sent, expected):
        return _login_page(request, 403, error=EXPIRED, **page)
    missing = {name: "Povinný údaj chybí." for name in ("username", "password") if not values.get(name)}
    if missing:
        return _login_page(request, 422, errors=missing, **page)
    deps = deps_of(request)
    result = await sign_in(
        accounts_of(request, session),
        username,
        password,
        address=_client_address(request),
        now=deps.clock.now(),
        throttle=deps.throttle,
    )
    await session.commit()
    if result.outcome is Outcome.THROTTLED:
        minutes = -(-result.retry_after_s // 60)
        text = (
            "Příliš mnoho neúspěšných pokusů o přihlášení. "
            f"Zkuste to znovu za {minutes} min, nebo požádejte administrátora o nové heslo."
        )
        retry = {"Retry-After": str(result.retry_after_s)}
        return _login_page(request, 429, error=text, headers=retry, **page)
    if result.outcome is Outcome.WRONG:
        return _login_page(request, 401, error=WRONG, **page)
    if result.outcome is Outcome.INACTIVE:
        return _login_page(request, 403, error=INACTIVE, **page)
    user = result.user
    assert user is not None
    signer: Signer = request.app.state.signer
    now = deps.clock.now()
    cookie = signer.session(user.id, user.role_set, user.organisation, user.name, now=now.timestamp())
    principal = signer.read_session(cookie)
    assert principal is not None
    record_session(accounts_of(request, session), principal, now=now, max_age_s=signer.session_max_age_s)
    await session.commit()
    response = redirect(page["next_url"] or landing(principal))
    _set_cookie(response, request, SESSION_COOKIE, cookie, signer.session_max_age_s)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
async def logout(request: Request, session: AsyncSession = SessionDep) -> Response:
    """Sign out (the form carries the session's CSRF token): the session ends on every service (its id
    is recorded as ended) and the cookie is cleared on the whole host."""
    principal = principal_of(request)
    if principal is not None:
        try:
            await check_csrf(request, principal)
        except HTTPException as exc:
            raise PageForbidden(csrf=True) from exc
        if principal.via == "session" and principal.sid:
            now = deps_of(request).clock.now()
            await end_credential(
                accounts_of(request, session),
                principal.sid,
                EndReason.LOGOUT,
                now=now,
                kind="session",
                user_id=principal.user_id,
            )
            await session.commit()
    response = redirect("/login?saved=bye")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response
