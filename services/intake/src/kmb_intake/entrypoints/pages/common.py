"""What every intake page shares: the sign-in check (redirect to the login page, 403 page), rendering
with the shared layout, redirects after a successful POST, and the mapping of errors to form fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import FormData

from kmb_shared.auth import Principal, Role
from kmb_shared.clock import SystemClock
from kmb_shared.clock import prague_today as local_today
from kmb_shared.service import SessionDep, get_runtime
from kmb_shared.web import login_url
from kmb_shared.web.guard import LoginRequired, PageForbidden, forbidden_page, login_redirect, page_address
from kmb_shared.web.guard import page_guard as shared_page_guard
from kmb_shared.web.pages import PageHelpers, see_other, service_urls

from ...application.cases import CommandContext
from ...application.ports import CaseStore
from ..deps import context_of, store_of
from ..security import still_active

__all__ = ["LoginRequired", "PageForbidden", "local_today", "now_utc"]

#: ``?saved=<key>`` after a successful form: the message shown on the next page
FLASH: Mapping[str, str] = {
    "contact": "Kontakt byl zaznamenán.",
    "opened": "Případ byl založen.",
    "household": "Změna domácnosti byla uložena.",
    "closed": "Případ byl uzavřen.",
    "reopened": "Případ byl znovu otevřen.",
    "diary": "Záznam byl zapsán do deníku.",
    "diary_edited": "Záznam v deníku byl opraven.",
    "document": "Dokument byl přiložen.",
    "document_deleted": "Dokument byl smazán; záznam o něm zůstává s důvodem.",
    "user": "Uživatel byl založen.",
    "deactivated": "Účet byl deaktivován.",
    "activated": "Účet byl znovu aktivován.",
    "bye": "Byli jste odhlášeni.",
    "token_revoked": "Token byl odvolán; žádná služba jej už nepřijme.",
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


@dataclass(frozen=True)
class PageCall:
    """What a page handler works with: the request, the signed-in user and the request's session,
    with the case store and command context the API's routes get too."""

    request: Request
    principal: Principal
    session: AsyncSession

    @property
    def store(self) -> CaseStore:
        return store_of(self.request, self.session)

    @property
    def context(self) -> CommandContext:
        return context_of(self.request, self.principal)

    async def form(self, *lists: str) -> tuple[dict[str, str], dict[str, list[str]]]:
        """The form's single values, and the named multi-valued fields."""
        form = await self.request.form()
        return form_values(form), {name: form_list(form, name) for name in lists}

    async def commit(self) -> None:
        """Commit the request's session and send its outbox."""
        await get_runtime(self.request).commit(self.session)


def _page_call(guard: Callable[[Request], Awaitable[Principal]]) -> Callable[..., Awaitable[PageCall]]:
    async def dependency(
        request: Request,
        principal: Principal = Depends(guard),  # a closure: a string annotation could not name it
        session: AsyncSession = SessionDep,
    ) -> PageCall:
        return PageCall(request, principal, session)

    return dependency


#: a page for workers / for workers and auditors
WorkerCall = Annotated[PageCall, Depends(_page_call(as_worker))]
ReaderCall = Annotated[PageCall, Depends(_page_call(as_reader))]
#: a page for auditors
AuditorCall = Annotated[PageCall, Depends(_page_call(as_auditor))]


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
