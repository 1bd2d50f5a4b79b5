"""What stats' pages share: the shared layout, the sign-in check (a signed-out visitor goes to intake's
login page and comes back), Czech pages for a missing role or an expired form, and number formats."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from kmb_shared.auth import Principal
from kmb_shared.formatting import format_number
from kmb_shared.web import Pages, pages_for
from kmb_shared.web.guard import install_page_errors, page_address
from kmb_shared.web.guard import page_guard as shared_page_guard
from kmb_shared.web.pages import PageHelpers, see_other, service_urls

PACKAGE = Path(__file__).resolve().parents[2]
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
#: stats' own styles (charts, figures, print), next to the shared ``/static``
STATIC_PATH = "/stats-static"


def page_guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """The shared page check (sign-in, one of ``roles``, the form's CSRF token), coming back to
    :func:`this_page` after signing in."""
    return shared_page_guard("stats", *roles, return_to=this_page)


def this_page(request: Request) -> str:
    """The full address of the page asked for (on stats' public URL), to come back to after sign-in;
    after a refused POST, the page the form is on."""
    base = service_urls()["stats"]
    return page_address(request, base) if request.method == "GET" else f"{base}/reports"


def pages(request: Request) -> Pages:
    return request.app.state.pages  # type: ignore[no-any-return]


_helpers = PageHelpers()
render = _helpers.render
message_page = _helpers.message_page
#: after a POST or a lookup: 303 to ``url``, so a reload never repeats a change
redirect = see_other


def _intake_home() -> str:
    return f"{service_urls()['intake']}/"


def cell(value: object) -> str:
    """A table cell in Czech notation: 1 234, 2,5 (a value always with one decimal, so a column
    lines up); hidden cells ("<5", "x") as they are."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value, 1, min_decimals=1)
    if isinstance(value, int):
        return format_number(value, 0)
    return str(value)


def install_web(app: FastAPI, routers: list[Any]) -> Pages:
    """Mount the shared and stats' static files, the page routers and their error pages."""
    site = pages_for(app, "stats", [TEMPLATES])
    site.env.trim_blocks = True
    site.env.lstrip_blocks = True
    site.env.filters.update(cell=cell)
    site.env.globals["stats_css"] = f"{STATIC_PATH}/stats.css"
    app.mount(STATIC_PATH, StaticFiles(directory=str(STATIC)), name="stats-static")
    for router in routers:
        app.include_router(router)
    install_page_errors(app, back=_intake_home, csrf_back="/reports")
    return site
