"""Security headers on every response of every service, and the API docs served from the package.

:class:`SecurityHeaders` (pure ASGI, so streamed responses and files pass untouched) adds to every HTTP
response, page, API, file or error alike, unless the route set its own:

- ``Content-Security-Policy``: everything from the service itself; no inline script at all and no
  ``eval``; an inline ``<style>`` only with the response's nonce (``request.state.csp_nonce``, offered to
  templates as ``csp_nonce``; charts drawn on the server get it through :func:`svg_inline`); images also
  as ``data:`` (Swagger UI's icons); forms post only to this service and the other installed services
  (sign-in and sign-out live in intake); no framing (``frame-ancestors 'none'``), no ``<base>``, no plugins.
- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` (for browsers without CSP level 2) and
  ``Referrer-Policy: same-origin`` (addresses of case pages hold case ids; another origin, a peer
  service on another port included, gets no referrer).

:func:`install_api_docs` serves ``/docs`` (Swagger UI) from the assets the ``fastapi-offline`` package
ships, started by a script of ours instead of FastAPI's inline one, so the page works on a network
without the internet and under the policy above. ReDoc is not offered: its styles are injected at run
time as inline ``<style>`` elements without a nonce.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HERE = Path(__file__).parent
NONCE_KEY = "csp_nonce"
DOCS_ASSETS = "/docs/assets"
DOCS_INIT = "/docs/init.js"
#: Swagger UI 5 (bundle, css) and ReDoc, as files of the fastapi-offline package
SWAGGER_ASSETS = Path(str(files("fastapi_offline") / "static"))

#: the body of a 500 answered for an unhandled error (no detail of the error reaches the caller)
INTERNAL_ERROR_BODY = json.dumps(
    {
        "detail": {
            "code": "internal_error",
            "message_cs": "Služba narazila na vnitřní chybu; zkuste to prosím znovu, případně kontaktujte správce.",
            "message_en": "The service hit an internal error; please try again or contact the administrator.",
        }
    },
    ensure_ascii=False,
).encode()
FIXED_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def origins(urls: Iterable[str]) -> list[str]:
    """``scheme://host[:port]`` of each address (a CSP source without a path matches the whole origin)."""
    out: list[str] = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in out:
                out.append(origin)
    return out


def content_security_policy(nonce: str, form_targets: Sequence[str] = ()) -> str:
    forms = " ".join(["'self'", *form_targets])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"form-action {forms}",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeaders:
    """ASGI middleware: a fresh nonce per request and the security headers on its response."""

    def __init__(self, app: ASGIApp, form_targets: Sequence[str] = ()) -> None:
        self.app = app
        self.form_targets = list(form_targets)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})[NONCE_KEY] = nonce
        policy = content_security_policy(nonce, self.form_targets)

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["content-security-policy"] = policy
                for name, value in FIXED_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # An unhandled error reaches Starlette's ServerErrorMiddleware, which sits outside every
            # middleware and would answer 500 without these headers: answer it here (the same body as
            # every KMB error), then re-raise so that the error is still logged with its traceback.
            if not started:
                await send_with_headers(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": INTERNAL_ERROR_BODY})
            raise


def csp_nonce(request: Request | None) -> str:
    """The nonce of this response's policy ('' outside a request, e.g. a PDF drawn from a template)."""
    if request is None:
        return ""
    return str(getattr(request.state, NONCE_KEY, ""))


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_STYLE_TAG = re.compile(r"<style\b", re.IGNORECASE)
_STYLE_ATTR = re.compile(r"""\sstyle=("[^"]*"|'[^']*')""", re.IGNORECASE)


def nonced_svg(svg: str, nonce: str) -> str:
    """An SVG drawn on the server (pygal), made to pass the policy: its ``<style>`` elements carry
    ``nonce``, its scripts (pygal's tooltip configuration, useless without pygal's script) and style
    attributes (a hidden tooltip's ``opacity: 0``) are dropped."""
    svg = _STYLE_ATTR.sub("", _SCRIPT.sub("", svg))
    if nonce:
        svg = _STYLE_TAG.sub(f'<style nonce="{escape(nonce)}"', svg)
    return svg


@pass_context
def svg_inline(context: Context, svg: str) -> Markup:
    """Jinja filter ``svg_inline``: ``{{ chart.svg | svg_inline }}`` (trusted server-drawn SVG only)."""
    return Markup(nonced_svg(svg, csp_nonce(context.get("request"))))  # the SVG is drawn by us


def install_security_headers(app: FastAPI, form_targets: Sequence[str] = ()) -> None:
    app.add_middleware(SecurityHeaders, form_targets=origins(form_targets))


def docs_page(title: str, openapi_url: str) -> str:
    return f"""<!doctype html>
<html lang="cs">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} – API</title>
<link rel="stylesheet" href="{DOCS_ASSETS}/swagger-ui.css">
<link rel="icon" href="{DOCS_ASSETS}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></div>
<script src="{DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script src="{DOCS_INIT}"></script>
</body>
</html>
"""


def install_api_docs(app: FastAPI) -> None:
    """``/docs`` from local files; build the app with ``docs_url=None, redoc_url=None``."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=SWAGGER_ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def api_docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return HTMLResponse(docs_page(app.title, f"{root}{app.openapi_url or '/openapi.json'}"))

    @app.get(DOCS_INIT, include_in_schema=False)
    async def api_docs_init() -> Any:
        return FileResponse(HERE / "static" / "swagger-init.js", media_type="text/javascript")
