"""The documents of a case on a page and as PDF: the client's personal plan "Můj plán bydlení" (in
Czech, Ukrainian or English, ``?lang=``; the worker picks) and the case summary for the file.
Workers and auditors of the case's organisation; another organisation's case is not found. Each
opening of a page and each print is written to the view log (kinds ``plan``/``plan_print``,
``summary``/``summary_print``): they show personal data."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from jinja2 import FileSystemLoader
from markupsafe import Markup

from kmb_shared.web.i18n import LANGUAGES, DocumentTemplates, language
from kmb_shared.web.pdf import PRINT_FONTS_CSS, html_to_pdf

from ...application.client_documents import (
    VIEW_PLAN,
    VIEW_PLAN_PRINT,
    VIEW_SUMMARY,
    VIEW_SUMMARY_PRINT,
    case_summary,
    client_plan,
)
from ...application.queries import CaseRow
from ..casework import attachment
from ..deps import credentials, deps_of
from ..security import log_views
from .case_pages import _load, _not_found
from .common import PageCall, ReaderCall, render

router = APIRouter(include_in_schema=False)

TEMPLATES = Path(__file__).parents[2] / "templates"
LOCALE_DIR = Path(__file__).parents[2] / "locale"
DOMAIN = "kmb_intake"
PLAN_TITLE = "Můj plán bydlení"
Lang = Annotated[str, Query(description="cs, uk or en (default cs)")]


@cache
def documents() -> DocumentTemplates:
    """Intake's document templates in each client language (its catalogue ``kmb_intake``)."""
    return DocumentTemplates(FileSystemLoader(TEMPLATES), LOCALE_DIR, DOMAIN)


def print_html(templates: DocumentTemplates, body: str, lang: str, title: str) -> str:
    """A document's body as a complete HTML document with the print layout and the fonts."""
    return templates.render(
        "documents/print.html", lang, body=Markup(body), title=title, fonts_css=PRINT_FONTS_CSS
    )


def plan_html(plan: Any, lang: str, templates: DocumentTemplates | None = None) -> str:
    """The plan's body in ``lang`` (``templates``: another catalogue, e.g. in a test)."""
    return (templates or documents()).render("documents/plan_body.html", lang, plan=plan)


async def _opened(call: PageCall, case_id: UUID, kind: str) -> CaseRow | HTMLResponse:
    """The organisation's case with its opening (``kind``) in the view log, or the 404 page."""
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    log_views(call.session, call.principal, [case], kind=kind, channel="page", at=call.context.now)
    await call.session.commit()
    return case


async def _plan(call: PageCall, case: CaseRow) -> Any:
    deps = deps_of(call.request)
    settings = deps.settings
    contact = (getattr(settings, "contact_point_phone", None), getattr(settings, "contact_point_email", None))
    return await client_plan(
        call.session, deps.peers, credentials(call.request), case, today=deps.clock.today(), contact=contact
    )


async def _document(call: PageCall, case: CaseRow, body: str, lang: str, *, pdf: bool, name: str) -> Response:
    """The document's page (with the language links of the plan) or its PDF (``name``)."""
    title = f"{PLAN_TITLE} – případ {case.number}" if name == "plan" else f"Shrnutí případu {case.number}"
    if pdf:
        html = print_html(documents(), body, lang, title)
        # named as the document is titled (and in which language), not by the route's word
        filename = f"{title} ({LANGUAGES[lang]}).pdf" if name == "plan" else f"{title}.pdf"
        headers = {"Content-Disposition": attachment(filename), "Cache-Control": "no-store"}
        return Response(await html_to_pdf(html), media_type="application/pdf", headers=headers)
    return render(
        call.request,
        "client_document.html",
        title=title,
        case_id=case.id,
        body=Markup(body),
        lang=lang,
        languages=LANGUAGES if name == "plan" else None,
        pdf_url=f"/cases/{case.id}/{name}.pdf" + (f"?lang={lang}" if name == "plan" else ""),
    )


async def _plan_document(call: PageCall, case_id: UUID, lang: str, *, pdf: bool) -> Response:
    case = await _opened(call, case_id, VIEW_PLAN_PRINT if pdf else VIEW_PLAN)
    if not isinstance(case, CaseRow):
        return case
    lang = language(lang)
    return await _document(call, case, plan_html(await _plan(call, case), lang), lang, pdf=pdf, name="plan")


async def _summary_document(call: PageCall, case_id: UUID, *, pdf: bool) -> Response:
    case = await _opened(call, case_id, VIEW_SUMMARY_PRINT if pdf else VIEW_SUMMARY)
    if not isinstance(case, CaseRow):
        return case
    deps = deps_of(call.request)
    summary = await case_summary(
        call.session,
        deps.peers,
        credentials(call.request),
        case,
        user_id=call.principal.user_id,
        now=call.context.now,
    )
    body = documents().render("documents/summary_body.html", "cs", s=summary)
    return await _document(call, case, body, "cs", pdf=pdf, name="summary")


@router.get("/cases/{case_id}/plan", response_class=HTMLResponse)
async def plan_page(case_id: UUID, call: ReaderCall, lang: Lang = "cs") -> Response:
    return await _plan_document(call, case_id, lang, pdf=False)


@router.get("/cases/{case_id}/plan.pdf", response_class=Response)
async def plan_pdf(case_id: UUID, call: ReaderCall, lang: Lang = "cs") -> Response:
    return await _plan_document(call, case_id, lang, pdf=True)


@router.get("/cases/{case_id}/summary", response_class=HTMLResponse)
async def summary_page(case_id: UUID, call: ReaderCall) -> Response:
    return await _summary_document(call, case_id, pdf=False)


@router.get("/cases/{case_id}/summary.pdf", response_class=Response)
async def summary_pdf(case_id: UUID, call: ReaderCall) -> Response:
    return await _summary_document(call, case_id, pdf=True)
