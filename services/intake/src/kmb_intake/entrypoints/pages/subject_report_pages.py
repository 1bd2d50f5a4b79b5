"""The auditors' page of the data-subject report (GDPR Art. 15): a form (birth number, or name and date of
birth), the report on the page or as PDF. Sent by POST, so that no birth number lands in an address."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from kmb_shared.errors import NotFoundError

from ...application.subject_report import SubjectQuery
from ...domain import localize_errors
from ..subject_report import make_report, report_pdf
from .common import AuditorCall, errors_by_field, form_values, render

router = APIRouter(include_in_schema=False)
TITLE = "Výpis pro subjekt údajů"
NOT_FOUND = "Osoba s těmito údaji v případech vaší organizace není."
FIELDS = ("birth_number", "name", "birth_date")


@router.get("/audit/subject-report", response_class=HTMLResponse)
async def subject_report_form(call: AuditorCall) -> HTMLResponse:
    return render(call.request, "subject_report.html", title=TITLE, values={}, errors={}, report=None)


@router.post("/audit/subject-report", response_model=None)
async def subject_report_page(call: AuditorCall) -> Response:
    request, session = call.request, call.session
    form = form_values(await request.form())
    values = {name: form.get(name, "").strip()[:200] for name in FIELDS}
    try:
        query = SubjectQuery.model_validate({k: v for k, v in values.items() if v})
        report = await make_report(request, session, call.principal, query, channel="page")
    except ValidationError as exc:
        errors = errors_by_field(localize_errors(exc))
        return render(
            request, "subject_report.html", 422, title=TITLE, values=values, errors=errors, report=None
        )
    except NotFoundError:
        errors = {"birth_number": NOT_FOUND}
        return render(
            request, "subject_report.html", 404, title=TITLE, values=values, errors=errors, report=None
        )
    await session.commit()
    if form.get("format") == "pdf":
        return await report_pdf(request, report)
    return render(request, "subject_report.html", title=TITLE, values=values, errors={}, report=report)
