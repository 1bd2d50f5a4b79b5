"""Rendering pages with the shared layout. Every service mounts ``/static`` and renders through
:class:`Pages`, which adds the signed-in user, the navigation (the links the installed services declare,
see :mod:`kmb_shared.web.navigation`), the CSRF token every form must carry, and the Czech filters
(``cz_date``, ``cz_money``…, :mod:`kmb_shared.web.filters`)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from kmb_shared.auth import CSRF_FIELD, ROLE_LABELS, Principal, principal_of

from .filters import CZECH_FILTERS
from .headers import csp_nonce, svg_inline
from .navigation import installed_services, navigation

HERE = Path(__file__).parent


def service_urls() -> dict[str, str]:
    """Public address of each installed service (``KMB_<SERVICE>_PUBLIC_URL``, else 127.0.0.1 and its
    port: ``KMB_<SERVICE>_PORT`` or the one its manifest declares)."""
    urls = {}
    for name, manifest in installed_services().items():
        upper = name.upper()
        port = os.environ.get(f"KMB_{upper}_PORT", str(manifest.port))
        urls[name] = os.environ.get(f"KMB_{upper}_PUBLIC_URL", f"http://127.0.0.1:{port}").rstrip("/")
    return urls


class Pages:
    """The template environment of one service: its own templates first, then the shared layout."""

    def __init__(self, service: str, template_dirs: Sequence[Path] = ()) -> None:
        self.service = service
        loaders = [FileSystemLoader(str(d)) for d in template_dirs] + [
            FileSystemLoader(str(HERE / "templates"))
        ]
        self.env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html"]))
        self.env.globals["role_labels"] = ROLE_LABELS
        self.env.filters.update(CZECH_FILTERS)
        self.env.filters["svg_inline"] = svg_inline

    def url(self, service: str, path: str = "/") -> str:
        return f"{service_urls()[service]}{path}"

    def render(self, request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        principal: Principal | None = principal_of(request)
        urls = service_urls()
        nav = [
            {"label": item.label, "href": f"{urls[service]}{item.path}"}
            for service, item in navigation()
            if principal is not None and principal.has(*item.roles)
        ]
        html = self.env.get_template(template).render(
            request=request,
            principal=principal,
            nav=nav,
            urls=urls,
            service=self.service,
            csrf_field=CSRF_FIELD,
            csrf_token=principal.csrf if principal else "",
            csp_nonce=csp_nonce(request),
            **context,
        )
        return HTMLResponse(html, status_code=status_code)


def pages_for(app: FastAPI, service: str, template_dirs: Sequence[Path] = ()) -> Pages:
    """Mount the shared static files on ``app`` and return its page renderer."""
    if not any(getattr(r, "path", None) == "/static" for r in app.routes):
        app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    pages = Pages(service, template_dirs)
    app.state.pages = pages
    return pages


def render_page(
    request: Request,
    template: str,
    status_code: int = 200,
    flashes: Mapping[str, str] | None = None,
    /,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` with the app's :class:`Pages`; with ``flashes``, the message for the
    ``?saved=<key>`` of a successful form is shown as ``flash`` (unless the context names one)."""
    if flashes is not None:
        context.setdefault("flash", flashes.get(request.query_params.get("saved", "")))
    pages: Pages = request.app.state.pages
    return pages.render(request, template, status_code=status_code, **context)


class PageHelpers:
    """A service's page helpers: :meth:`render` with its ``?saved=`` messages and :meth:`message_page`
    (a title, a sentence and a link back, e.g. a Czech 404)."""

    def __init__(self, flashes: Mapping[str, str] | None = None) -> None:
        self.flashes = flashes

    def render(self, request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return render_page(request, template, status_code, self.flashes, **context)

    def message_page(
        self, request: Request, status_code: int, title: str, message: str, back: str = ""
    ) -> HTMLResponse:
        return self.render(request, "message.html", status_code, title=title, message=message, back=back)


def see_other(url: str) -> RedirectResponse:
    """After a POST: the browser GETs ``url`` (303), so a reload never repeats the change."""
    return RedirectResponse(url, status_code=303)
