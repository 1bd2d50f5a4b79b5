"""What every catalogue page shares: the sign-in check (a signed-out visitor goes to intake's login
page and comes back here afterwards; a missing role or CSRF token gets a Czech 403 page), rendering
with the shared layout, and redirects after a successful form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from kmb_shared.auth import Principal, Role, check_csrf, principal_of
from kmb_shared.web import Pages, service_urls

from ..entrypoints.access import EDITORS

#: ``?saved=<key>`` after a successful form: the message shown on the next page
FLASH: Mapping[str, str] = {
    "created": "Záznam byl přidán do katalogu.",
    "changed": "Změny záznamu byly uloženy.",
    "withdrawn": "Záznam byl stažen z katalogu.",
    "capacity": "Kapacita byla změněna.",
}


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    def __init__(self, csrf: bool = False) -> None:
        super().__init__("csrf" if csrf else "role")
        self.csrf = csrf


def _this_page(request: Request) -> str:
    """The public address to come back to after signing in: this page for a GET, else the list
    (a form sent while signed out cannot be replayed)."""
    base = service_urls()["catalogue"]
    if request.method != "GET":
        return f"{base}/catalogue"
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{base}{request.url.path}{query}"


def page_guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """The pages' check: signed in (else to the login page), holding one of ``roles`` (else a 403
    page), and a form sent with the session's CSRF token (else a 403 page)."""

    async def dependency(request: Request) -> Principal:
        principal = principal_of(request)
        if principal is None:
            raise LoginRequired(_this_page(request))
        if roles and not principal.has(*roles):
            raise PageForbidden()
        try:
            await check_csrf(request, principal)
        except HTTPException as exc:
            raise PageForbidden(csrf=True) from exc
        return principal

    return dependency


def can_edit(principal: Principal) -> bool:
    return principal.has(*EDITORS)


def pages(request: Request) -> Pages:
    return request.app.state.pages  # type: ignore[no-any-return]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("flash", FLASH.get(request.query_params.get("saved", "")))
    return pages(request).render(request, template, status_code=status_code, **context)


def message_page(
    request: Request, status_code: int, title: str, message: str, back: str = ""
) -> HTMLResponse:
    return render(request, "message.html", status_code, title=title, message=message, back=back)


def redirect(url: str) -> RedirectResponse:
    """After a POST: the browser GETs ``url`` (303), so a reload never repeats the change."""
    return RedirectResponse(url, status_code=303)


async def on_login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return redirect(f"{service_urls()['intake']}/login?{urlencode({'next': exc.next_url})}")


async def on_forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden)
    if exc.csrf:
        text = "Formulář vypršel nebo nepochází z KMB. Načtěte stránku znovu a odešlete jej ještě jednou."
        return message_page(request, 403, "Formulář nelze přijmout", text, back="/catalogue")
    text = "K této stránce nemáte oprávnění. Pokud ho potřebujete, obraťte se na administrátora."
    return message_page(request, 403, "Přístup odepřen", text)


def form_values(form: FormData) -> dict[str, str]:
    """The single-valued fields of a form (strings only; files are ignored)."""
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def form_lists(form: FormData) -> dict[str, list[str]]:
    """Every field's non-empty values, for checkbox groups."""
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str) and value.strip():
            out.setdefault(key, []).append(value.strip())
    return out


#: the suggestions of a case are a worker's tool; the catalogue is read by workers and its editors
WorkerPage = Annotated[Principal, Depends(page_guard(Role.WORKER))]
ReaderPage = Annotated[Principal, Depends(page_guard(Role.WORKER, *EDITORS))]
EditorPage = Annotated[Principal, Depends(page_guard(*EDITORS))]
