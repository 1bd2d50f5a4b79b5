"""What every referrals page shares: the sign-in check (a signed-out visitor goes to intake's login page
and comes back here), a Czech 403 page, rendering with the shared layout, redirects after a successful
POST, and Czech error texts by form field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from kmb_shared.auth import Principal, Role, check_csrf, principal_of
from kmb_shared.errors import localize
from kmb_shared.web import Pages, service_urls

from ..application.errors import TopicUnavailable
from ..domain import ReferralError
from ..entrypoints.access import ADMINS, READERS, WORKERS

#: ``?saved=<key>`` after a successful form: the message shown on the next page
FLASH: Mapping[str, str] = {
    "referred": "Předání bylo odesláno partnerovi.",
    "conference": "Pozvánky na případovou konferenci byly odeslány.",
    "cancelled": "Předání bylo zrušeno.",
    "dismissed": "Upozornění bylo vzato na vědomí.",
    "accepted": "Předání bylo přijato.",
    "declined": "Předání bylo odmítnuto.",
    "completed": "Předání bylo uzavřeno s výsledkem.",
    "opinion": "Závazné stanovisko bylo zaznamenáno.",
    "partner": "Partner byl zaregistrován a jeho téma v Kafce založeno.",
    "changed": "Změny partnera byly uloženy.",
    "deactivated": "Partner byl deaktivován a nové předání nepřijímá.",
    "activated": "Partner byl znovu aktivován.",
    "demo": "Ukázkoví partneři byli načteni.",
}
#: Errors that belong to the form as a whole (shown above it)
FORM = "form"
#: Domain error codes that concern one field
FIELD_BY_CODE = {"note_required": "note", "partner_does_not_accept": "partner"}


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    def __init__(self, csrf: bool = False) -> None:
        super().__init__("csrf" if csrf else "role")
        self.csrf = csrf


def page_guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """The API's check for pages: a signed-out visitor is sent to the login page, a missing role or a
    form without its CSRF token gets a Czech 403 page."""

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


as_worker = page_guard(*WORKERS)
as_reader = page_guard(*READERS)
as_partner = page_guard(Role.PARTNER)
as_admin = page_guard(*ADMINS)

WorkerPage = Annotated[Principal, Depends(as_worker)]
ReaderPage = Annotated[Principal, Depends(as_reader)]
PartnerPage = Annotated[Principal, Depends(as_partner)]
AdminPage = Annotated[Principal, Depends(as_admin)]


def _this_page(request: Request) -> str:
    """The absolute address of this page (login lives on intake, another origin's port)."""
    if request.method != "GET":
        return ""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{service_urls()['referrals']}{request.url.path}{query}"


async def on_login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    target = f"{service_urls()['intake']}/login"
    if exc.next_url:
        target += f"?next={quote(exc.next_url, safe='')}"
    return RedirectResponse(target, status_code=303)


async def on_forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden)
    if exc.csrf:
        text = "Formulář vypršel nebo nepochází z KMB. Načtěte stránku znovu a odešlete jej ještě jednou."
        return message_page(request, 403, "Formulář nelze přijmout", text)
    text = "K této stránce nemáte oprávnění. Pokud ho potřebujete, obraťte se na administrátora."
    return message_page(request, 403, "Přístup odepřen", text)


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


def form_values(form: FormData) -> dict[str, str]:
    """The single-valued fields of a form, stripped (strings only; files are ignored)."""
    return {key: value.strip() for key, value in form.multi_items() if isinstance(value, str)}


def form_list(form: FormData, name: str) -> list[str]:
    return [value.strip() for value in form.getlist(name) if isinstance(value, str) and value.strip()]


def blank_to_none(text: str | None) -> str | None:
    return text if text else None


def parse_uuid(text: str) -> UUID | None:
    try:
        return UUID(text.strip())
    except ValueError:
        return None


def errors_by_field(items: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Field -> the first Czech message about it; nested fields become ``parent_child`` form names."""
    out: dict[str, str] = {}
    for item in items:
        name = (item.get("field") or FORM).replace(".", "_")
        out.setdefault(FORM if name == "body" else name, item["message_cs"])
    return out


def problems(exc: Exception, plain: Mapping[str, str] | None = None) -> dict[str, str]:
    """A refused form's errors by field, in Czech: validation, domain and Kafka errors. ``plain`` gives
    a field's own wording for any validation error of it (clearer than the generic texts)."""
    if isinstance(exc, ValidationError):
        found = errors_by_field(localize(list(exc.errors())))  # type: ignore[arg-type]
        return {name: (plain or {}).get(name, message) for name, message in found.items()}
    if isinstance(exc, ReferralError):
        name = getattr(exc, "field", None) or FIELD_BY_CODE.get(exc.code) or FORM
        return {name: exc.message}
    if isinstance(exc, TopicUnavailable):
        return {FORM: "Téma partnera v Kafce nyní nelze založit; zkuste to prosím později."}
    raise exc
