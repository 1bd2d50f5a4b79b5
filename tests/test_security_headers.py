"""Every response of every service carries the security headers, and /docs works without the internet.

Fast tier: each service's app as its bootstrap builds it, called in process (no lifespan: the requests
below need neither the database nor the broker). What is expected comes from the rule (issue 13,
item 10), not from running the code: a policy that allows scripts only from the service itself, no
framing, nosniff, a referrer policy; and a /docs page whose every asset is a path of the service.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kmb_shared.runtime import parse_record
from kmb_testkit.fixtures import TEST_SECRET

SERVICES = {
    "intake": "IntakeSettings",
    "assessment": "AssessmentSettings",
    "catalogue": "CatalogueSettings",
    "referrals": "ReferralsSettings",
    "stats": "StatsSettings",
}
#: a page of each service that an anonymous visitor gets (a sign-in page, or the way to it)
PAGES = {
    "intake": "/login",
    "assessment": "/rules",
    "catalogue": "/catalogue",
    "referrals": "/partner/inbox",
    "stats": "/dashboard",
}


def build(service: str, tmp_path: Path) -> FastAPI:
    bootstrap = importlib.import_module(f"kmb_{service}.bootstrap")
    config = importlib.import_module(f"kmb_{service}.config")
    settings = getattr(config, SERVICES[service])(
        database_url=f"sqlite+aiosqlite:///{tmp_path / f'{service}.db'}",
        secret_key=TEST_SECRET,
        var_dir=tmp_path,
        kafka_bootstrap="127.0.0.1:1",
    )
    return bootstrap.build_app(settings)  # type: ignore[no-any-return]


@pytest.fixture(params=list(SERVICES))
async def service(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[str, Any]]:
    name = request.param
    app = build(name, tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield name, client
    await app.state.runtime.db.dispose()


def assert_security_headers(response: httpx.Response) -> None:
    h = response.headers
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    assert h.get("x-content-type-options") == "nosniff", where
    assert h.get("x-frame-options") == "DENY", where
    assert h.get("referrer-policy") == "same-origin", where
    policy = {
        part.split()[0]: part.split()[1:] for part in h.get("content-security-policy", "").split("; ") if part
    }
    assert policy.get("default-src") == ["'self'"], where
    assert policy.get("script-src") == ["'self'"], where  # no inline script, no eval, no other host
    assert policy.get("frame-ancestors") == ["'none'"], where
    assert policy.get("object-src") == ["'none'"], where
    style = policy.get("style-src", [])
    assert style[0] == "'self'" and "'unsafe-inline'" not in style, where
    assert [s for s in style[1:] if not s.startswith("'nonce-")] == [], where
    assert "'self'" in policy.get("form-action", []), where


async def test_pages_api_errors_files_and_docs_carry_the_security_headers(service: tuple[str, Any]) -> None:
    name, client = service
    responses = [
        await client.get(PAGES[name]),  # the page (or the redirect to sign in)
        await client.get("/healthz"),  # API, JSON
        await client.get("/openapi.json"),
        await client.get("/docs"),
        await client.get("/static/kmb.css"),  # a file
        await client.get("/no-such-page"),  # an error
        await client.get("/internal/consumer"),  # refused without a principal
    ]
    assert responses[0].status_code in (200, 303, 307, 401), responses[0].status_code
    assert [r.status_code for r in responses[1:5]] == [200, 200, 200, 200]
    assert responses[5].status_code == 404 and responses[6].status_code in (401, 403)
    for response in responses:
        assert_security_headers(response)


@pytest.mark.parametrize("name", list(SERVICES))
async def test_an_unhandled_error_is_a_500_with_the_headers_and_no_detail(
    name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in a route must not answer without the headers (Starlette's last-resort 500 sits outside
    every middleware) nor tell the caller what broke; the error is still raised to be logged."""
    app = build(name, tmp_path)

    async def broken() -> None:
        raise RuntimeError("secret detail of the failure")

    app.add_api_route("/broken-for-test", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/broken-for-test")
        method = await client.delete("/healthz")  # a method the route does not have
    await app.state.runtime.db.dispose()
    assert response.status_code == 500
    assert_security_headers(response)
    assert response.json()["detail"]["code"] == "internal_error"
    assert response.json()["detail"]["message_cs"] and response.json()["detail"]["message_en"]
    assert "secret detail" not in response.text
    assert method.status_code == 405
    assert_security_headers(method)


async def test_each_response_gets_its_own_nonce(service: tuple[str, Any]) -> None:
    _name, client = service
    first, second = await client.get("/healthz"), await client.get("/healthz")
    nonce = re.compile(r"'nonce-([^']+)'")
    a = nonce.search(first.headers["content-security-policy"])
    b = nonce.search(second.headers["content-security-policy"])
    assert a and b and a.group(1) != b.group(1) and len(a.group(1)) >= 16


async def test_docs_use_only_the_services_own_assets_and_they_are_served(service: tuple[str, Any]) -> None:
    _name, client = service
    page = await client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert refs, "the docs page loads its assets"
    # Every reference is a path of this service: no scheme, no other host, no protocol-relative URL.
    assert [r for r in refs if not r.startswith("/") or r.startswith("//")] == []
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", html)
    assert "<script>" not in html and "<style" not in html  # no inline script or style for the CSP
    for ref in refs:
        asset = await client.get(ref)
        assert asset.status_code == 200, ref
        assert_security_headers(asset)
    kinds = {ref.rsplit(".", 1)[-1]: (await client.get(ref)).headers["content-type"] for ref in refs}
    assert kinds["js"].startswith(("text/javascript", "application/javascript"))
    assert kinds["css"].startswith("text/css")
    # The script that starts Swagger UI reads the document's address from the page.
    init = next(r for r in refs if r.endswith("init.js"))
    assert "SwaggerUIBundle" in (await client.get(init)).text
    assert 'data-openapi-url="/openapi.json"' in html
    assert (await client.get("/redoc")).status_code == 404  # ReDoc would need a CDN and inline styles


def test_every_service_consumes_through_the_parser_that_keeps_bad_headers(tmp_path: Path) -> None:
    """The fix of FastStream's header decoding (item 9) is in every service's subscriber."""
    consuming = set()
    for name in SERVICES:
        app = build(name, tmp_path / name)
        for subscriber in app.state.runtime.broker.subscribers:
            # FastStream uses a handler's own parser, else the subscriber's (``broker.subscriber(parser=)``).
            parsers = [call.item_parser or subscriber._call_options.parser for call in subscriber.calls]
            assert parsers == [parse_record], (name, parsers)
            consuming.add(name)
    assert consuming >= {"assessment", "catalogue", "referrals", "stats"}  # intake consumes no topic yet


ROOT = Path(__file__).resolve().parents[1]
#: rendered to PDF on the server only (kmb_shared.web.pdf), never sent to a browser: stats' report,
#: intake's application, data-subject report and client documents (plan, case summary)
PDF_ONLY = {"report_pdf.html", "application_print.html", "subject_report_print.html", "documents/print.html"}


def test_no_template_has_an_inline_script_style_or_event_handler() -> None:
    """The policy allows neither, so a page that had one would lose it in the browser."""
    templates = [
        p
        for p in [
            *ROOT.glob("services/*/src/**/templates/**/*.html"),
            *ROOT.glob("shared/src/**/templates/*.html"),
        ]
        if p.name not in PDF_ONLY and f"{p.parent.name}/{p.name}" not in PDF_ONLY
    ]
    assert len(templates) > 30
    inline = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.I)
    found = {str(p.relative_to(ROOT)): inline.findall(p.read_text(encoding="utf-8")) for p in templates}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_a_server_drawn_chart_keeps_its_styles_by_the_nonce_and_loses_its_script() -> None:
    import pygal

    from kmb_shared.web.headers import nonced_svg

    chart = pygal.Bar(js=[], disable_xml_declaration=True)
    chart.add("a", [1, 2])
    svg = nonced_svg(chart.render(is_unicode=True), "N0nce")
    assert "<script" not in svg and " style=" not in svg
    assert svg.count("<style") == svg.count('<style nonce="N0nce"') >= 1
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
