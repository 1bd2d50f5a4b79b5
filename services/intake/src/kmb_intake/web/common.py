"""What every intake page shares: the sign-in check (redirect to the login page, 403 page), rendering
with the shared layout, redirects after a successful POST, and the mapping of errors to form fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from kmb_shared.auth import Principal, Role, check_csrf, principal_of
from kmb_shared.web import Pages, service_urls

from ..entrypoints.security import still_active
from ..handlers import LOCAL_TIME

#: ``?saved=<key>`` after a successful form: the message shown on the next page
FLASH: Mapping[str, str] = {
    "contact": "Kontakt byl zaznamenán.",
    "opened": "Případ byl založen.",
    "closed": "Případ byl uzavřen.",
    "reopened": "Případ byl znovu otevřen.",
    "user": "Uživatel byl založen.",
    "deactivated": "Účet byl deaktivován.",
    "activated": "Účet byl znovu aktivován.",
    "bye": "Byli jste odhlášeni.",
}


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    def __init__(self, csrf: bool = False) -> None:
        super().__init__("csrf" if csrf else "role")
        self.csrf = csrf


def page_guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """Like the API's check, but a page sends a signed-out visitor to the login page and shows a
    Czech page for a missing role or a form without its CSRF token."""

    async def dependency(request: Request) -> Principal:
        principal = principal_of(request)
        if principal is None or not await still_active(request, principal):
            raise LoginRequired(_this_page(request))
        if roles and not principal.has(*roles):
            raise PageForbidden()
        try:
            await check_csrf(request, principal)
        except HTTPException as exc:
            raise PageForbidden(csrf=True) from exc
        return principal

    return dependency


def _this_page(request: Request) -> str:
    if request.method != "GET":
        return ""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}{query}"


as_worker = page_guard(Role.WORKER)
as_reader = page_guard(Role.WORKER, Role.AUDITOR)
as_admin = page_guard(Role.ADMIN)
as_auditor = page_guard(Role.AUDITOR)


def pages(request: Request) -> Pages:
    return request.app.state.pages  # type: ignore[no-any-return]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    saved = request.query_params.get("saved", "")
    context.setdefault("flash", FLASH.get(saved))
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
    target = "/login" + (f"?next={quote(exc.next_url, safe='/')}" if exc.next_url else "")
    return redirect(target)


async def on_forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden)
    if exc.csrf:
        text = "Formulář vypršel nebo nepochází z KMB. Načtěte stránku znovu a odešlete jej ještě jednou."
        return message_page(request, 403, "Formulář nelze přijmout", text, back="/")
    text = "K této stránce nemáte oprávnění. Pokud ho potřebujete, obraťte se na administrátora."
    return message_page(request, 403, "Přístup odepřen", text, back="/")


def now_utc() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    return now_utc().astimezone(LOCAL_TIME).date()


def form_values(form: FormData) -> dict[str, str]:
    """The single-valued fields of a form (strings only; files are ignored)."""
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def form_list(form: FormData, name: str) -> list[str]:
    return [value for value in form.getlist(name) if isinstance(value, str) and value.strip()]


def errors_by_field(items: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Field -> the first Czech message about it (from the localizer's ``{field, message_cs}`` items)."""
    out: dict[str, str] = {}
    for item in items:
        out.setdefault(item["field"] or "body", item["message_cs"])
    return out


def parse_uuid(text: str) -> UUID | None:
    try:
        return UUID(text.strip())
    except ValueError:
        return None


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this service, or a page of another KMB service —
    never another site (an open redirect would help phishing)."""
    if not target:
        return ""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    for base in service_urls().values():
        if target == base or target.startswith(base + "/"):
            return target
    return ""


def landing(principal: Principal) -> str:
    """The first page of a signed-in user, by role."""
    urls = service_urls()
    if principal.has(Role.WORKER):
        return "/desk"
    if principal.has(Role.ADMIN):
        return "/admin/users"
    if principal.has(Role.AUDITOR):
        return "/audit/views"
    if principal.has(Role.ANALYST):
        return f"{urls['stats']}/dashboard"
    if principal.has(Role.CATALOGUE_EDITOR):
        return f"{urls['catalogue']}/catalogue"
    return f"{urls['referrals']}/partner/inbox"
