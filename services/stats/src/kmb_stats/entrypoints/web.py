"""What stats' pages share: the shared layout, the sign-in check (a signed-out visitor goes to intake's
login page and comes back), Czech pages for a missing role or an expired form, and number formats."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from kmb_shared.auth import Principal, check_csrf, principal_of
from kmb_shared.web import Pages, pages_for, service_urls

from ..clock import TIMEZONE
from ..domain.render import czech_date

PACKAGE = Path(__file__).resolve().parents[1]
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
#: stats' own styles (charts, figures, print), next to the shared ``/static``
STATIC_PATH = "/stats-static"


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    def __init__(self, csrf: bool = False) -> None:
        super().__init__("csrf" if csrf else "role")
        self.csrf = csrf


def page_guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """The server-side check of a page: signed in (else to the login page), one of ``roles`` (else a
    Czech 403 page), and a form sent with the session's CSRF token (else a Czech 403 page)."""

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


def this_page(request: Request) -> str:
    """The full address of the page asked for (on stats' public URL), to come back to after sign-in;
    after a refused POST, the page the form is on."""
    path = request.url.path if request.method == "GET" else "/reports"
    query = f"?{request.url.query}" if request.url.query and request.method == "GET" else ""
    return f"{service_urls()['stats']}{path}{query}"


def login_url(next_url: str) -> str:
    return f"{service_urls()['intake']}/login?next={quote(next_url, safe='')}"


def pages(request: Request) -> Pages:
    return request.app.state.pages  # type: ignore[no-any-return]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return pages(request).render(request, template, status_code=status_code, **context)


def message_page(
    request: Request, status_code: int, title: str, message: str, back: str = ""
) -> HTMLResponse:
    return render(request, "message.html", status_code, title=title, message=message, back=back)


def redirect(url: str) -> RedirectResponse:
    """After a POST or a lookup: the browser GETs ``url`` (303), so a reload never repeats a change."""
    return RedirectResponse(url, status_code=303)


async def on_login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return redirect(login_url(exc.next_url))


async def on_forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden)
    if exc.csrf:
        text = "Formulář vypršel nebo nepochází z KMB. Načtěte stránku znovu a odešlete jej ještě jednou."
        return message_page(request, 403, "Formulář nelze přijmout", text, back="/reports")
    text = "K této stránce nemáte oprávnění. Pokud ho potřebujete, obraťte se na administrátora."
    return message_page(request, 403, "Přístup odepřen", text, back=f"{service_urls()['intake']}/")


def cell(value: object) -> str:
    """A table cell in Czech notation: 1 234, 2,5; hidden cells ("<5", "x") as they are."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


def czech_moment(value: str | datetime, seconds: bool = False) -> str:
    """A moment in the office's time: ``5. 3. 2026 14:05`` (``14:05:07`` with seconds)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment.astimezone(ZoneInfo(TIMEZONE))
    return f"{czech_date(local)} {local:%H:%M:%S}" if seconds else f"{czech_date(local)} {local:%H:%M}"


def install_web(app: FastAPI, routers: list[Any]) -> Pages:
    """Mount the shared and stats' static files, the page routers and their error pages."""
    site = pages_for(app, "stats", [TEMPLATES])
    site.env.trim_blocks = True
    site.env.lstrip_blocks = True
    site.env.filters.update(cell=cell, czech_date=czech_date, czech_moment=czech_moment)
    site.env.globals["stats_css"] = f"{STATIC_PATH}/stats.css"
    app.mount(STATIC_PATH, StaticFiles(directory=str(STATIC)), name="stats-static")
    for router in routers:
        app.include_router(router)
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(PageForbidden, on_forbidden)
    return site
