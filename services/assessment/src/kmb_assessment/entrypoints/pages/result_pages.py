"""The case's assessments (with the history of reassessments), one assessment's explained result, and
the register of people in need."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kmb_shared.auth import Role
from kmb_shared.clock import prague_today
from kmb_shared.contracts.vocabulary import NEED_LEVELS
from kmb_shared.errors import NotFoundError
from kmb_shared.formatting import format_date

from ...application import queries
from ...application.register_export import REGISTER_LIMIT, register_sections, register_workbook
from ...domain.register import RegisterFilter
from ..deps import StoreDep
from .common import ReaderPage, RegistrarPage, not_found, render
from .format import ethos_also, ethos_cs, ethos_hint, income_vs_ceiling

router = APIRouter(include_in_schema=False)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def case_assessments(
    case_id: UUID, request: Request, principal: ReaderPage, store: StoreDep
) -> HTMLResponse:
    """Every assessment of the case, oldest first, with a link to the one waiting for its survey (for
    workers; auditors read the page). Another organisation's case is not found."""
    try:
        assessments = await queries.case_file(store, case_id, principal.organisation)
    except NotFoundError:
        return not_found(request)
    pending = next((a for a in assessments if a.status == "pending"), None)
    case_number = assessments[-1].case_number if assessments else None
    return render(
        request,
        "case.html",
        title=f"Šetření případu {case_number}" if case_number else "Šetření případu",
        case_id=case_id,
        case_number=case_number,
        assessments=assessments,
        pending=pending,
        can_survey=principal.has(Role.WORKER),
        ethos_cs=ethos_cs,
    )


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
async def assessment_result(
    assessment_id: UUID, request: Request, principal: ReaderPage, store: StoreDep
) -> HTMLResponse:
    """The result with its explanation, readable enough to show the client, and print-friendly."""
    try:
        assessment = await queries.assessment(store, assessment_id, principal.organisation)
    except NotFoundError:
        return not_found(request)
    return render(
        request,
        "result.html",
        title=f"Výsledek šetření – {assessment.case_number}",
        a=assessment,
        r=assessment.result,
        is_worker=principal.has("worker"),
        income_vs_ceiling=income_vs_ceiling,
        ethos_also=ethos_also,
        ethos_cs=ethos_cs,
        ethos_hint=ethos_hint,
    )


def register_filter(request: Request) -> tuple[RegisterFilter, list[str]]:
    """The filter of the register page from its query (a GET form, so a filtered list has an
    address); a value that cannot be read is left out of the filter and named in Czech."""
    query = request.query_params
    problems: list[str] = []
    levels = tuple(v for v in query.getlist("need_level") if v)
    unknown = [v for v in levels if v not in NEED_LEVELS]
    if unknown:
        problems.append("Neznámá úroveň bytové nouze – vyberte ji ze seznamu.")
    valid_until_to = None
    if text := query.get("valid_until_to", "").strip():
        try:
            valid_until_to = date.fromisoformat(text)
        except ValueError:
            problems.append("Datum „Platí nejdéle do“ zadejte jako den, měsíc a rok (např. 31. 12. 2026).")
    priority_from = None
    if text := query.get("priority_from", "").strip():
        if text.isdigit() and int(text) <= 10_000:
            priority_from = int(text)
        else:
            problems.append("Priorita „alespoň“ musí být celé číslo od 0 do 10 000.")
    case_number = query.get("case_number", "").strip()[:30] or None
    where = RegisterFilter(
        need_levels=tuple(v for v in levels if v in NEED_LEVELS),
        valid_until_to=valid_until_to,
        case_number=case_number,
        priority_from=priority_from,
    )
    return where, problems


def filter_cs(where: RegisterFilter) -> str:
    """The filter in words ("bez střechy, bez bytu; platí nejdéle do 31. 12. 2026"), '' for none."""
    parts = []
    if where.need_levels:
        parts.append("bytová nouze: " + ", ".join(NEED_LEVELS.label(v) for v in where.need_levels))
    if where.valid_until_to:
        parts.append(f"platí nejdéle do {format_date(where.valid_until_to)}")
    if where.case_number:
        parts.append(f"číslo případu obsahuje „{where.case_number}“")
    if where.priority_from is not None:
        parts.append(f"priorita alespoň {where.priority_from} bodů")
    return "; ".join(parts)


@router.get("/register", response_class=HTMLResponse)
async def register_page(request: Request, principal: RegistrarPage, store: StoreDep) -> HTMLResponse:
    """The organisation's entries active, due for reassessment and expired, each highest priority
    first, filtered by need level, the last day of validity, the case number and the priority; the
    same list as a workbook (``/register.xlsx`` with the same query)."""
    where, problems = register_filter(request)
    sections = [
        {"status": status.value, "heading": heading, "entries": entries}
        for status, heading, entries in await register_sections(store, principal.organisation, where)
    ]
    return render(
        request,
        "register.html",
        title="Evidence osob v bytové nouzi",
        sections=sections,
        limit=REGISTER_LIMIT,
        is_worker=principal.has("worker"),
        ethos_cs=ethos_cs,
        where=where,
        filter_text=filter_cs(where),
        problems=problems,
        need_level_choices=NEED_LEVELS.choices(),
        query=request.url.query,
    )


@router.get("/register.xlsx", response_model=None)
async def register_xlsx(request: Request, principal: RegistrarPage, store: StoreDep) -> Response:
    """The register page's list (with its filter) as an XLSX workbook, one sheet per part."""
    where, _ = register_filter(request)
    sections = await register_sections(store, principal.organisation, where)
    content = await asyncio.to_thread(register_workbook, sections, filter_cs(where))
    name = f"evidence-bytove-nouze-{prague_today():%Y-%m-%d}.xlsx"
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
