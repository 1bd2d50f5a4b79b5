"""What every catalogue page shares: the sign-in check (a signed-out visitor goes to intake's login
page and comes back here afterwards; a missing role or CSRF token gets a Czech 403 page), rendering
with the shared layout, and redirects after a successful form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from kmb_shared.auth import Principal, Role
from kmb_shared.web.guard import LoginRequired, PageForbidden, forbidden_page, login_redirect, page_address
from kmb_shared.web.guard import page_guard as shared_page_guard
from kmb_shared.web.pages import PageHelpers, see_other, service_urls

from ..api.access import EDITORS

__all__ = ["LoginRequired", "PageForbidden"]

#: ``?saved=<key>`` after a successful form: the message shown on the next page
FLASH: Mapping[str, str] = {
    "created": "Záznam byl přidán do katalogu.",
    "changed": "Změny záznamu byly uloženy.",
    "withdrawn": "Záznam byl stažen z katalogu.",
    "capacity": "Kapacita byla změněna.",
}


def _this_page(request: Request) -> str:
    """The public address to come back to after signing in: this page for a GET, else the list
    (a form sent while signed out cannot be replayed)."""
    base = service_urls()["catalogue"]
    return page_address(request, base) if request.method == "GET" else f"{base}/catalogue"


def page_guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """The shared page check (sign-in, one of ``roles``, the form's CSRF token), coming back to
    :func:`_this_page` after signing in."""
    return shared_page_guard("catalogue", *roles, return_to=_this_page)


def can_edit(principal: Principal) -> bool:
    return principal.has(*EDITORS)


_helpers = PageHelpers(FLASH)
render = _helpers.render
message_page = _helpers.message_page
#: after a POST: 303 to the next page, so a reload never repeats the change
redirect = see_other
on_login_required = login_redirect()
#: a refused form leads back to the list; a missing role has no way back
on_forbidden = forbidden_page(back="", csrf_back="/catalogue")


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
