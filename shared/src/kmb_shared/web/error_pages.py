"""Wrong addresses answered as a person reads them: on a page path (anything but ``/api/…`` and the
operations routes) a route that does not exist, a method the page does not take or an address whose
parts do not parse gets a Czech HTML page with a way back, not JSON; the API keeps its JSON errors.
Also the favicon every service serves (``/favicon.ico``: a small house, SVG)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .pages import Pages, service_urls

HERE = Path(__file__).parent
FAVICON = HERE / "static" / "favicon.svg"

#: the path prefixes every service serves besides its own routes: operations, documents, files
OPERATIONS_PREFIXES = (
    "/internal/",
    "/asyncapi",
    "/healthz",
    "/readyz",
    "/metrics",
    "/docs",
    "/redoc",
    "/openapi",
    "/static",
    "/favicon.ico",
)
#: paths that answer programs (JSON), not people: the API and the operations routes
MACHINE_PREFIXES = ("/api/", *OPERATIONS_PREFIXES)

#: status -> (title, sentence) of the page
MESSAGES: dict[int, tuple[str, str]] = {
    404: (
        "Stránka nenalezena",
        "Stránka na této adrese neexistuje. Možná byla adresa napsána s chybou nebo odkaz už neplatí; "
        "pokračujte prosím z\u00a0úvodní stránky.",
    ),
    405: (
        "Stránku nelze takto otevřít",
        "Tuto stránku nelze otevřít tímto způsobem (např. odesláním formuláře). Pokračujte prosím "
        "z\u00a0úvodní stránky.",
    ),
    400: (
        "Neplatná adresa",
        "Adresa stránky obsahuje údaj, kterému nerozumíme (např. neúplný odkaz na případ). "
        "Zkontrolujte ji, nebo pokračujte z\u00a0úvodní stránky.",
    ),
    422: (
        "Formulář nelze přijmout",
        "Odeslaný formulář neobsahuje potřebné údaje. Vraťte se prosím zpět a vyplňte jej znovu.",
    ),
}


def is_page_path(path: str) -> bool:
    """Whether ``path`` is one people open in a browser (not the API or an operations route)."""
    return not path.startswith(MACHINE_PREFIXES)


def error_page(request: Request, status_code: int, headers: dict[str, str] | None = None) -> Response | None:
    """The Czech page for ``status_code`` on a page path of an app with pages; None otherwise (the
    caller answers JSON as before)."""
    pages: Pages | None = getattr(request.app.state, "pages", None)
    if pages is None or status_code not in MESSAGES or not is_page_path(request.url.path):
        return None
    title, message = MESSAGES[status_code]
    home = f"{service_urls()['intake']}/" if "intake" in service_urls() else "/"
    response: HTMLResponse = pages.render(
        request,
        "message.html",
        status_code,
        title=title,
        message=message,
        back=home,
        back_label="Na úvodní stránku",
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def favicon_router() -> APIRouter:
    """``GET /favicon.ico``: the KMB house (SVG, which browsers take at that address too)."""
    router = APIRouter(include_in_schema=False)
    icon = FAVICON.read_bytes()

    @router.get("/favicon.ico")
    async def favicon() -> Response:
        return Response(icon, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})

    return router
