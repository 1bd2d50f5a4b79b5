"""The sign-in check every service's pages share: a signed-out visitor is sent to intake's login page
(and comes back afterwards), a missing role or a form without its CSRF token gets a Czech 403 page.

A service builds its page dependencies with :func:`page_guard` and turns the two exceptions into
responses with :func:`login_redirect` and :func:`forbidden_page` (or :func:`install_page_errors`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from kmb_shared.auth import Principal, authenticate, check_csrf

from .pages import Pages, service_urls

#: A link that may depend on the public addresses (read when the page is shown)
Link = str | Callable[[], str]
ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]

FORBIDDEN_TITLE = "Přístup odepřen"
FORBIDDEN_TEXT = "K této stránce nemáte oprávnění. Pokud ho potřebujete, obraťte se na administrátora."
EXPIRED_FORM_TITLE = "Formulář nelze přijmout"
EXPIRED_FORM_TEXT = (
    "Formulář vypršel nebo nepochází z KMB. Načtěte stránku znovu a odešlete jej ještě jednou."
)


class LoginRequired(Exception):
    """The visitor is not signed in: send them to the login page, then back to ``next_url``."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class SignInUnavailable(Exception):
    """Whether the sign-in still holds cannot be told now (intake does not answer): a Czech 503 page."""


class PageForbidden(Exception):
    """Signed in without the role a page needs (``csrf=False``), or a form without its CSRF token."""

    def __init__(self, csrf: bool = False) -> None:
        super().__init__("csrf" if csrf else "role")
        self.csrf = csrf


def page_address(request: Request, base: str = "") -> str:
    """``base`` followed by the requested path and query (``base=""``: a path on this service)."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{base}{request.url.path}{query}"


def return_address(request: Request, service: str) -> str:
    """Where to come back after signing in: this page's public address for a GET; nothing after a
    form (a form sent while signed out cannot be replayed)."""
    if request.method != "GET":
        return ""
    return page_address(request, service_urls()[service])


def page_guard(
    service: str,
    *roles: str,
    return_to: Callable[[Request], str] | None = None,
    active: Callable[[Request, Principal], Awaitable[bool]] | None = None,
) -> Callable[[Request], Awaitable[Principal]]:
    """A page's dependency: signed in (else :class:`LoginRequired` with ``return_to(request)``, by
    default :func:`return_address` on ``service``) and, with ``active``, still allowed to be; holding
    one of ``roles`` (none: any signed-in user), else :class:`PageForbidden`; and a form sent with the
    session's CSRF token, else :class:`PageForbidden` with ``csrf=True``."""

    async def dependency(request: Request) -> Principal:
        try:
            principal = await authenticate(request)
        except HTTPException as exc:
            if exc.status_code == 503:
                raise SignInUnavailable() from exc
            raise
        if principal is None or (active is not None and not await active(request, principal)):
            next_url = return_to(request) if return_to else return_address(request, service)
            raise LoginRequired(next_url)
        if roles and not principal.has(*roles):
            raise PageForbidden()
        try:
            await check_csrf(request, principal)
        except HTTPException as exc:
            raise PageForbidden(csrf=True) from exc
        return principal

    return dependency


def login_url(next_url: str, *, safe: str = "", intake: str | None = None) -> str:
    """Intake's login page (at ``intake``, by default its public address), with ``next`` percent-encoded
    (``safe``: the characters left as they are) when there is a page to come back to."""
    target = f"{service_urls()['intake'] if intake is None else intake}/login"
    return f"{target}?next={quote(next_url, safe=safe)}" if next_url else target


def login_redirect(login: Callable[[str], str] = login_url) -> ErrorHandler:
    """The handler of :class:`LoginRequired`: 303 to ``login(next_url)``."""

    async def on_login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(login(exc.next_url), status_code=303)

    return on_login_required


def _resolve(link: Link) -> str:
    return link if isinstance(link, str) else link()


def forbidden_page(back: Link = "", csrf_back: Link | None = None) -> ErrorHandler:
    """The handler of :class:`PageForbidden`: a Czech 403 page with a link ``back`` (``csrf_back`` after
    a refused form; by default the same)."""

    async def on_forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageForbidden)
        pages: Pages = request.app.state.pages
        if exc.csrf:
            link = _resolve(back if csrf_back is None else csrf_back)
            title, text = EXPIRED_FORM_TITLE, EXPIRED_FORM_TEXT
        else:
            link, title, text = _resolve(back), FORBIDDEN_TITLE, FORBIDDEN_TEXT
        return pages.render(request, "message.html", 403, title=title, message=text, back=link)

    return on_forbidden


UNAVAILABLE_TITLE = "Přihlášení teď nelze ověřit"
UNAVAILABLE_TEXT = (
    "Služba, která ověřuje přihlášení, právě neodpovídá. Vaše práce se neztratila: zkuste stránku "
    "za chvíli načíst znovu. Pokud potíž trvá, obraťte se na správce systému."
)


async def on_sign_in_unavailable(request: Request, exc: Exception) -> Response:
    """The handler of :class:`SignInUnavailable` (every service's app has it): a Czech 503 page."""
    pages: Pages | None = getattr(request.app.state, "pages", None)
    if pages is None:
        detail = {
            "code": "auth_unavailable",
            "message_cs": UNAVAILABLE_TEXT,
            "message_en": "Sign-in cannot be checked now.",
        }
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "5"})
    response = pages.render(
        request, "message.html", 503, title=UNAVAILABLE_TITLE, message=UNAVAILABLE_TEXT, back=""
    )
    response.headers["Retry-After"] = "5"
    return response


def install_page_errors(
    app: FastAPI,
    login: Callable[[str], str] = login_url,
    back: Link = "",
    csrf_back: Link | None = None,
) -> None:
    """Register the handlers of :class:`LoginRequired` and :class:`PageForbidden` on ``app``."""
    app.add_exception_handler(LoginRequired, login_redirect(login))
    app.add_exception_handler(PageForbidden, forbidden_page(back, csrf_back))
