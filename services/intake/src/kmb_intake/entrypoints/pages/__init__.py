"""Intake's Czech pages, rendered on the server with the shared layout; usable without JavaScript.

Sign-in (``/login``, ``/logout``), the worker's desk, a new contact, a new case, the case page, the
case's diary and documents, the case search, administration of accounts and the auditors' view log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI

from kmb_shared.contracts.vocabulary import vocabulary
from kmb_shared.web import pages_for

from ...application.casework import size_text
from ...application.subject_report import VIEW_KINDS_CS
from ...domain import CODE_LISTS, DEPENDENT_CHILD, records_dependent_child
from ...domain.birth_number import written_birth_number
from ...domain.documents import kind_label
from ...domain.erasure import erasure_line
from . import (
    admin_pages,
    application_pages,
    auth_pages,
    case_pages,
    casework_pages,
    desk,
    erasure_pages,
    lists,
)
from .case_form import date_text
from .client_document_pages import router as client_documents_router
from .common import (
    LoginRequired,
    PageForbidden,
    local_today,
    on_forbidden,
    on_login_required,
)
from .subject_report_pages import router as subject_report_router

TEMPLATES = Path(__file__).parents[2] / "templates"


def options(code_list: str) -> list[tuple[str, str]]:
    """(code, Czech label) of a code list of the intake domain, for selects and checkboxes."""
    return CODE_LISTS[code_list].choices()


def label(code_list: str, code: Any) -> str:
    """The Czech label of a stored code, also of one intake no longer offers; "" when missing."""
    if code is None or code == "":
        return ""
    return vocabulary(code_list).label(code, capital=True)


def dependent_child_text(member: Any) -> str:
    """The Czech answer to "dependent child?" of a stored member: for a member aged 15-25 today the
    recorded answer ("Nezjištěno" when none), for anyone else "–" (not asked)."""
    if not isinstance(member, dict):
        return "–"
    try:
        born = date.fromisoformat(str(member.get("date_of_birth") or member.get("birth_date")))
    except ValueError:
        return "–"
    if not records_dependent_child(born, local_today()):
        return "–"
    code = member.get("dependent_child") or "unknown"
    return label("dependent_child", code if code in DEPENDENT_CHILD else "unknown")


def asks_dependent_child(date_of_birth: str) -> bool:
    """Whether a member row of the form gets the "Nezaopatřené dítě" select: when the date of birth
    is not (yet) known or the member is 15 to 25 today."""
    try:
        born = date.fromisoformat(date_text(date_of_birth or ""))
    except ValueError:
        return True
    return born > local_today() or records_dependent_child(born, local_today())


def page_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for module in (
        auth_pages,
        desk,
        case_pages,
        casework_pages,
        lists,
        admin_pages,
        erasure_pages,
        application_pages,
    ):
        router.include_router(module.router)
    router.include_router(subject_report_router)
    router.include_router(client_documents_router)
    return router


def install_pages(app: FastAPI) -> None:
    """Mount the shared static files and intake's pages on ``app``."""
    pages = pages_for(app, "intake", [TEMPLATES])
    pages.env.globals.update(
        view_kinds=VIEW_KINDS_CS,
        options=options,
        label=label,
        dependent_child_text=dependent_child_text,
        asks_dependent_child=asks_dependent_child,
        document_kind=kind_label,
        document_size=size_text,
        erasure_line=erasure_line,
        birth_number_text=written_birth_number,
    )
    app.include_router(page_router())
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(PageForbidden, on_forbidden)
    app.add_exception_handler(casework_pages.UploadTooLarge, casework_pages.on_upload_too_large)
