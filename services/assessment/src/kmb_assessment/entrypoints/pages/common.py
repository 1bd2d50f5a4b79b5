"""What every assessment page shares: the sign-in check (to intake's login page and back), the Czech
403 and 404 pages, rendering with the shared layout, and redirects after a successful form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from kmb_shared.auth import Principal
from kmb_shared.web import login_url
from kmb_shared.web.guard import LoginRequired, PageForbidden, forbidden_page, login_redirect, page_address
from kmb_shared.web.guard import page_guard as shared_page_guard
from kmb_shared.web.pages import PageHelpers, see_other, service_urls

from ..deps import READERS, WRITERS

__all__ = ["LoginRequired", "PageForbidden"]

#: ``?saved=<key>`` after a successful form: the message shown on the next page
FLASH: Mapping[str, str] = {
    "survey": "Šetření bylo uloženo.",
    "submitted": "Šetření bylo odesláno a vyhodnoceno.",
}


def this_page(request: Request) -> str:
    """The public address of the requested page (the service's public URL, path and query)."""
    return page_address(request, service_urls()["assessment"])


def page_guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """The shared page check; after sign-in the visitor comes back to this very address."""
    return shared_page_guard("assessment", *roles, return_to=this_page)


#: the survey and the case's assessments: workers only
as_worker = page_guard(*WRITERS)
#: one assessment's result and the register: workers and auditors (of the case's organisation)
as_reader = page_guard(*READERS)
as_registrar = as_reader

WorkerPage = Annotated[Principal, Depends(as_worker)]
ReaderPage = Annotated[Principal, Depends(as_reader)]
RegistrarPage = Annotated[Principal, Depends(as_registrar)]


_helpers = PageHelpers(FLASH)
render = _helpers.render
message_page = _helpers.message_page
#: after a POST: 303 to the next page, so a reload never repeats the change
redirect = see_other


def not_found(request: Request) -> HTMLResponse:
    text = "Šetření neexistuje. Zkontrolujte odkaz, nebo se vraťte na případ."
    return message_page(request, 404, "Šetření nenalezeno", text, back=f"{service_urls()['intake']}/cases")


def _intake_home() -> str:
    return f"{service_urls()['intake']}/"


on_login_required = login_redirect(partial(login_url, safe=":/"))
on_forbidden = forbidden_page(back=_intake_home)
