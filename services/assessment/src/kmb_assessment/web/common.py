"""What every assessment page shares: the sign-in check (to intake's login page and back), the Czech
403 and 404 pages, rendering with the shared layout, and redirects after a successful form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kmb_shared.auth import Principal, Role, check_csrf, principal_of
from kmb_shared.web import Pages, service_urls

from ..entrypoints.deps import READERS, WRITERS

#: ``?saved=<key>`` after a successful form: the message shown on the next page
FLASH: Mapping[str, str] = {
    "survey": "Šetření bylo uloženo.",
    "submitted": "Šetření bylo odesláno a vyhodnoceno.",
}


class LoginRequired(Exception):
    """The visitor is not signed in: send them to intake's login page, then back here."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    """Signed in without the role this page needs, or a form without its CSRF token."""

    def __init__(self, csrf: bool = False) -> None:
        super().__init__("csrf" if csrf else "role")
        self.csrf = csrf


def this_page(request: Request) -> str:
    """The public address of the requested page (the service's public URL, path and query)."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{service_urls()['assessment']}{request.url.path}{query}"


def login_url(next_url: str) -> str:
    return f"{service_urls()['intake']}/login?next={quote(next_url, safe=':/')}"


def page_guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """Like the API's check, but a signed-out visitor goes to the login page, and a missing role or
    a form without its CSRF token gets a Czech page instead of JSON."""

    async def dependency(request: Request) -> Principal:
        principal = principal_of(request)
        if principal is None:
            raise LoginRequired(this_page(request))
        if roles and not principal.has(*roles):
            raise PageForbidden()
        try:
            await check_csrf(request, principal)
        except HTTPException as exc:
            raise PageForbidden(csrf=True) from exc
        return principal

    return dependency


#: the survey and the case's assessments: workers only
as_worker = page_guard(*WRITERS)
#: one assessment's result: workers, auditors, administrators
as_reader = page_guard(*READERS)
#: the register: workers and administrators
as_registrar = page_guard(Role.WORKER, Role.ADMIN)

WorkerPage = Annotated[Principal, Depends(as_worker)]
ReaderPage = Annotated[Principal, Depends(as_reader)]
RegistrarPage = Annotated[Principal, Depends(as_registrar)]


def pages(request: Request) -> Pages:
    return request.app.state.pages  # type: ignore[no-any-return]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("flash", FLASH.get(request.query_params.get("saved", "")))
    return pages(request).render(request, template, status_code=status_code, **context)


def message_page(
    request: Request, status_code: int, title: str, message: str, back: str = ""
) -> HTMLResponse:
    return render(request, "message.html", status_code, title=title, message=message, back=back)


def not_found(request: Request) -> HTMLResponse:
    text = "Šetření neexistuje. Zkontrolujte odkaz, nebo se vraťte na případ."
    return message_page(request, 404, "Šetření nenalezeno", text, back=f"{service_urls()['intake']}/cases")


def redirect(url: str) -> RedirectResponse:
    """After a POST: the browser GETs ``url`` (303), so a reload never repeats the change."""
    return RedirectResponse(url, status_code=303)


async def on_login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return redirect(login_url(exc.next_url))


async def on_forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden)
    back = f"{service_urls()['intake']}/"
    if exc.csrf:
        text = "Formulář vypršel nebo nepochází z KMB. Načtěte stránku znovu a odešlete jej ještě jednou."
        return message_page(request, 403, "Formulář nelze přijmout", text, back=back)
    text = "K této stránce nemáte oprávnění. Pokud ho potřebujete, obraťte se na administrátora."
    return message_page(request, 403, "Přístup odepřen", text, back=back)
