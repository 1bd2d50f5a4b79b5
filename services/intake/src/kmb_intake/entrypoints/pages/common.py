"""What every intake page shares: the sign-in check (redirect to the login page, 403 page), rendering
with the shared layout, redirects after a successful POST, and the mapping of errors to form fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from uuid import UUID

from fastapi import Request
from starlette.datastructures import FormData

from kmb_shared.auth import Principal, Role
from kmb_shared.clock import SystemClock
from kmb_shared.clock import prague_today as local_today
from kmb_shared.web import login_url
from kmb_shared.web.guard import LoginRequired, PageForbidden, forbidden_page, login_redirect, page_address
from kmb_shared.web.guard import page_guard as shared_page_guard
from kmb_shared.web.pages import PageHelpers, see_other, service_urls

from ..security import still_active

__all__ = ["LoginRequired", "PageForbidden", "local_today", "now_utc"]

#: ``?saved=<key>`` after a successful form: the message shown on the next page
FLASH: Mapping[str, str] = {
    "contact": "Kontakt byl zaznamenán.",
    "opened": "Případ byl založen.",
    "household": "Změna domácnosti byla uložena.",
    "closed": "Případ byl uzavřen.",
    "reopened": "Případ byl znovu otevřen.",
    "user": "Uživatel byl založen.",
    "deactivated": "Účet byl deaktivován.",
    "activated": "Účet byl znovu aktivován.",
    "bye": "Byli jste odhlášeni.",
}


def page_guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """The shared page check; a deactivated account counts as signed out, and the login page is
    intake's own, so the way back is a path here."""
    return shared_page_guard("intake", *roles, return_to=_this_page, active=still_active)


def _this_page(request: Request) -> str:
    return page_address(request) if request.method == "GET" else ""


as_worker = page_guard(Role.WORKER)
as_reader = page_guard(Role.WORKER, Role.AUDITOR)
as_admin = page_guard(Role.ADMIN)
as_auditor = page_guard(Role.AUDITOR)


_helpers = PageHelpers(FLASH)
render = _helpers.render
message_page = _helpers.message_page
#: after a POST: 303 to the next page, so a reload never repeats the change
redirect = see_other
#: the login page is on this service: a relative address, ``next`` keeping its slashes
on_login_required = login_redirect(partial(login_url, safe="/", intake=""))
on_forbidden = forbidden_page(back="/")


def now_utc() -> datetime:
    """The current moment (UTC), from the shared clock."""
    return SystemClock().now()


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
    if principal.has(Role.RULES_EDITOR):
        return f"{urls['assessment']}/rules"
    return f"{urls['referrals']}/partner/inbox"
