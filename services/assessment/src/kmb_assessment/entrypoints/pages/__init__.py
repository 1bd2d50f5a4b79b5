"""Assessment's Czech pages, rendered on the server with the shared layout; usable without JavaScript.

The case's assessments (``/cases/{case_id}``), the survey form (``/assessments/{id}/survey``), the
explained result (``/assessments/{id}``) and the register (``/register``). Sign-in is intake's: a
signed-out visitor is sent to its login page and back.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI

from kmb_shared.contracts.vocabulary import NEED_LEVELS, RELATIONSHIPS
from kmb_shared.web import pages_for

from ...application.survey import DOCUMENTS, MISSING_FACTS
from . import result_pages, rules_pages, survey_pages
from .common import LoginRequired, PageForbidden, on_forbidden, on_login_required
from .format import ASSESSMENT_STATUS_CS, REGISTER_STATUS_CS, criterion_cs

TEMPLATES = Path(__file__).parents[2] / "templates"


def page_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for module in (result_pages, survey_pages, rules_pages):
        router.include_router(module.router)
    return router


def install_pages(app: FastAPI) -> None:
    """Mount the shared static files and assessment's pages on ``app`` (the Czech filters cz_date,
    cz_money, cz_number, cz_percent… are the shared pages')."""
    pages = pages_for(app, "assessment", [TEMPLATES])
    pages.env.globals.update(
        assessment_status=ASSESSMENT_STATUS_CS,
        register_status=REGISTER_STATUS_CS,
        relationship=RELATIONSHIPS.as_dict(),
        criterion_cs=criterion_cs,
        document_labels=DOCUMENTS,
        missing_labels=MISSING_FACTS,
        need_levels=NEED_LEVELS.as_dict(),
    )
    app.include_router(page_router())
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(PageForbidden, on_forbidden)
