"""What the application pages need beside the use cases: the kinds of the running service, the
contact point's header, the latest assessment read from the assessment service, and the A4 PDF of an
application (WeasyPrint through :func:`kmb_shared.web.pdf.html_to_pdf`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import Request

from kmb_shared.formatting import format_date
from kmb_shared.web.pdf import html_to_pdf

from ..application.applications import ApplicationView
from ..application.queries import CaseRow
from ..domain.applications import ApplicationKind, shown
from .deps import credentials, deps_of

#: where ``bootstrap`` puts the kinds (shipped, with the contact point's folder) on the app
KINDS_STATE = "application_kinds"
#: the view log's kinds of a printed application and of a downloaded version
VIEW_PRINT = "application_print"
VIEW_PDF = "application_pdf"


def kinds_of(request: Request) -> Mapping[str, ApplicationKind]:
    kinds: Mapping[str, ApplicationKind] = getattr(request.app.state, KINDS_STATE)
    return kinds


def contact_point(request: Request) -> dict[str, str]:
    settings = deps_of(request).settings
    return {
        "name": settings.contact_point_name,
        "address": settings.contact_point_address or "",
        "phone": settings.contact_point_phone or "",
        "email": settings.contact_point_email or "",
    }


async def latest_assessment(request: Request, case_id: UUID) -> dict[str, Any] | None:
    """The case's latest submitted assessment from the assessment service (None when it has none, or
    cannot be reached: the fields it would fill are left for the worker)."""
    found = await deps_of(request).peers.list_from(
        "assessment", f"/api/cases/{case_id}/assessments", credentials=credentials(request)
    )
    submitted = [a for a in found or [] if a.get("status") == "submitted"]
    return max(submitted, key=lambda a: str(a.get("submitted_at") or "")) if submitted else None


def printable(kind: ApplicationKind, values: Mapping[str, str]) -> list[dict[str, Any]]:
    """The kind's sections with each field's value as printed."""
    return [
        {
            "title": section.title,
            "fields": [
                {
                    "label": f.label,
                    "value": shown(f.type, values.get(f.key, "")),
                    "multiline": f.type == "textarea",
                }
                for f in section.fields
            ],
        }
        for section in kind.sections
    ]


async def application_pdf(
    request: Request, case: CaseRow, shown_view: ApplicationView, *, final: bool, number: int, today: date
) -> bytes:
    """The application as an A4 PDF in Czech: the contact point's header, the household's values, the
    attachments, the place, date and signature line; a draft is marked KONCEPT on every page."""
    html = request.app.state.pages.env.get_template("application_print.html").render(
        kind=shown_view.kind,
        sections=printable(shown_view.kind, shown_view.values),
        checklist=shown_view.checklist,
        contact_point=contact_point(request),
        case=case,
        final=final,
        number=number,
        today=format_date(today),
    )
    return await html_to_pdf(html)
