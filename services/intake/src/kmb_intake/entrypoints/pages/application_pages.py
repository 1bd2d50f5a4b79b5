"""Pages of a case's applications: open one of a kind (from the case page), review and correct its
pre-filled values, print it (a new version each time; final only when complete, else a KONCEPT draft;
written to the view log), download a version, record the submission and the office's answer, and
attach the scanned signed copy. Plain forms, POST and redirect."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import ValidationError

from kmb_shared.errors import ConflictError, NotFoundError

from ...application import applications as use
from ...application import cases
from ...application.applications import MissingValues
from ...application.casework import Refused
from ...application.queries import CaseRow
from ...domain import HouseholdChangeIn, localize_errors
from ...domain.applications import (
    CHANNELS,
    DOCUMENT_CATEGORIES,
    STATES,
    ApplicationKind,
    corrected_household,
    outcome_label,
)
from ..applications import VIEW_PDF, VIEW_PRINT, application_pdf, kinds_of, latest_assessment
from ..casework import attachment, max_document_bytes, uploaded
from ..schemas import household_of
from ..security import log_views
from .case_pages import _load, _not_found
from .casework_pages import refuse_declared_too_large
from .common import PageCall, ReaderCall, WorkerCall, message_page, redirect, render

router = APIRouter(include_in_schema=False)

SAVED = {
    "opened": "Žádost byla založena a předvyplněna z případu. Zkontrolujte údaje.",
    "saved": "Údaje žádosti byly uloženy (případ se nezměnil).",
    "printed": "Žádost byla vytištěna jako nová verze.",
    "draft": "Byl vytištěn koncept (KONCEPT), žádost zatím není úplná.",
    "submitted": "Podání žádosti bylo zaznamenáno.",
    "decided": "Odpověď úřadu byla zaznamenána.",
    "signed": "Podepsaná žádost byla přiložena k případu.",
}
OUTCOMES = (("granted", "vyhověno"), ("refused", "zamítnuto"), ("returned", "vráceno k doplnění"))


def _path(case_id: UUID, application_id: UUID) -> str:
    return f"/cases/{case_id}/applications/{application_id}"


async def _found(
    call: PageCall, case_id: UUID, application_id: UUID
) -> tuple[CaseRow, use.ApplicationRow] | Response:
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    try:
        return case, await use.application_of(call.session, case, application_id)
    except NotFoundError:
        text = "Žádost neexistuje, nebo k ní nemáte přístup."
        return message_page(
            call.request, 404, "Žádost nenalezena", text, back=f"/cases/{case_id}#h-applications"
        )


async def _posted(
    call: PageCall, case_id: UUID, application_id: UUID
) -> tuple[dict[str, str], CaseRow, use.ApplicationRow] | Response:
    """A form sent about an application: its values, the case and the application (or the 404 page)."""
    values, _ = await call.form()
    found = await _found(call, case_id, application_id)
    return found if isinstance(found, Response) else (values, *found)


async def _version(
    call: PageCall, case_id: UUID, application_id: UUID, number: int
) -> tuple[CaseRow, use.ApplicationRow, use.ApplicationVersionRow] | Response:
    """The case, the application and its printed version ``number`` (or the 404 page)."""
    found = await _found(call, case_id, application_id)
    if isinstance(found, Response):
        return found
    try:
        return (*found, await use.printed(call.session, found[1], number))
    except NotFoundError:
        return _no_version(call, case_id, application_id)


def _no_version(call: PageCall, case_id: UUID, application_id: UUID) -> Response:
    text = "Tato verze žádosti neexistuje."
    return message_page(call.request, 404, "Verze nenalezena", text, back=_path(case_id, application_id))


async def _page(
    call: PageCall,
    case: CaseRow,
    application: use.ApplicationRow,
    status_code: int = 200,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    general: str = "",
) -> Response:
    try:
        kind = use.kind_of(kinds_of(call.request), application)
    except NotFoundError:
        text = "Druh této žádosti už kontaktní místo nenabízí."
        return message_page(call.request, 404, "Druh žádosti nenalezen", text, back=f"/cases/{case.id}")
    shown = await use.view(call.session, case, application, kind)
    log_views(call.session, call.principal, [case], kind="detail", channel="page", at=call.context.now)
    await call.session.commit()
    return render(
        call.request,
        "application.html",
        status_code,
        title=f"{kind.title} – případ {case.number}",
        flash=SAVED.get(call.request.query_params.get("saved", "")),
        case=case,
        app=application,
        view=shown,
        values=values if values is not None else shown.values,
        errors=errors or {},
        general=general,
        states=STATES,
        channels=list(CHANNELS.items()),
        outcomes=OUTCOMES,
        outcome_label=outcome_label,
        categories=DOCUMENT_CATEGORIES,
        can_change=call.principal.has("worker"),
        app_editable=use.editable,
        today=call.context.today.isoformat(),
    )


@router.post("/cases/{case_id}/applications", response_model=None)
async def open_application(case_id: UUID, call: WorkerCall) -> Response:
    values, _ = await call.form()
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    kind = kinds_of(call.request).get(values.get("kind", ""))
    if kind is None:
        text = "Vyberte druh žádosti ze seznamu."
        return message_page(
            call.request, 422, "Neznámý druh žádosti", text, back=f"/cases/{case_id}#h-applications"
        )
    assessment = await latest_assessment(call.request, case.id)
    application = await use.open_application(
        call.session, case, kind, household_of(case), assessment, call.context
    )
    await call.commit()
    return redirect(f"{_path(case_id, application.id)}?saved=opened")


@router.get("/cases/{case_id}/applications/{application_id}", response_model=None)
async def show_application(case_id: UUID, application_id: UUID, call: ReaderCall) -> Response:
    found = await _found(call, case_id, application_id)
    if isinstance(found, Response):
        return found
    return await _page(call, *found)


@router.post("/cases/{case_id}/applications/{application_id}", response_model=None)
async def save_or_print(case_id: UUID, application_id: UUID, call: WorkerCall) -> Response:
    """Save the corrected values; with ``action`` print (final) or draft, print them as a new version."""
    posted = await _posted(call, case_id, application_id)
    if isinstance(posted, Response):
        return posted
    values, case, application = posted
    kind = use.kind_of(kinds_of(call.request), application)
    if values.get("also_case") == "1":
        refused = await _correct_case(call, case, kind, values)
        if refused:
            return await _page(call, case, application, 422, values=values, general=refused)
    try:
        problems = await use.save_values(call.session, application, kind, values, call.context)
    except ConflictError as exc:
        return await _page(call, case, application, 409, general=exc.message_cs)
    if problems:
        errors = {p.key: p.message_cs for p in problems}
        return await _page(call, case, application, 422, values=values, errors=errors)
    action = values.get("action", "save")
    if action not in ("print", "draft"):
        await call.commit()
        return redirect(f"{_path(case_id, application_id)}?saved=saved")
    final = action == "print"
    shown = await use.view(call.session, case, application, kind)
    if final and shown.missing:
        await call.commit()  # the corrections stay; nothing is printed
        return await _page(call, case, application, 422, general=MissingValues(shown.missing).message_cs)
    number = application.versions + 1
    pdf = await application_pdf(
        call.request, case, shown, final=final, number=number, today=call.context.today
    )
    await use.record_print(call.session, application, kind, final=final, pdf=pdf, ctx=call.context)
    log_views(call.session, call.principal, [case], kind=VIEW_PRINT, channel="page", at=call.context.now)
    await call.commit()
    return redirect(f"{_path(case_id, application_id)}?saved={'printed' if final else 'draft'}#h-versions")


async def _correct_case(call: PageCall, case: CaseRow, kind: ApplicationKind, values: dict[str, str]) -> str:
    """The worker ticked "also correct the case": the application's values of the fields that are one
    value of the case change the household (a household change with its event, as on the household
    page). Why it was refused, or empty."""
    household, changed = corrected_household(kind, household_of(case), values, call.context.today)
    if not changed:
        return ""
    try:
        body = HouseholdChangeIn.model_validate(
            {**household, "note": "Opraveno podle žádosti: " + ", ".join(changed)}
        )
        await cases.change_household(call.store, case.id, body, call.context, expected_version=case.version)
    except ValidationError as exc:
        return "Případ nelze opravit: " + "; ".join(item["message_cs"] for item in localize_errors(exc))
    except ConflictError as exc:
        return f"Případ nelze opravit: {exc.message_cs}"
    return ""


@router.get("/cases/{case_id}/applications/{application_id}/versions/{number}", response_model=None)
async def download_version(case_id: UUID, application_id: UUID, number: int, call: ReaderCall) -> Response:
    found = await _version(call, case_id, application_id, number)
    if isinstance(found, Response):
        return found
    case, application, version = found
    log_views(call.session, call.principal, [case], kind=VIEW_PDF, channel="page", at=call.context.now)
    await call.session.commit()
    # named in Czech as the worker knows it (the kind's title), never by its code
    draft = "" if version.final else " (koncept)"
    name = f"{application.title} {case.number} verze {version.number}{draft}.pdf"
    headers = {"Content-Disposition": attachment(name), "Cache-Control": "no-store"}
    return Response(version.pdf, media_type="application/pdf", headers=headers)


async def _step(call: PageCall, case_id: UUID, application_id: UUID, step: str) -> Response:
    posted = await _posted(call, case_id, application_id)
    if isinstance(posted, Response):
        return posted
    values, case, application = posted
    try:
        if step == "submitted":
            kind = use.kind_of(kinds_of(call.request), application)
            body: Any = use.check_submission(values, kind, call.context.today)
            use.submit(call.store, case, application, body, call.context)
        else:
            use.decide(
                call.store, case, application, use.check_decision(values, call.context.today), call.context
            )
    except Refused as exc:
        return await _page(call, case, application, exc.status, errors={exc.field: exc.message_cs})
    except ConflictError as exc:
        return await _page(call, case, application, 409, general=exc.message_cs)
    call.session.add(application)
    await call.commit()
    return redirect(f"{_path(case_id, application_id)}?saved={step}#h-tracking")


@router.post("/cases/{case_id}/applications/{application_id}/submitted", response_model=None)
async def record_submission(case_id: UUID, application_id: UUID, call: WorkerCall) -> Response:
    return await _step(call, case_id, application_id, "submitted")


@router.post("/cases/{case_id}/applications/{application_id}/decision", response_model=None)
async def record_decision(case_id: UUID, application_id: UUID, call: WorkerCall) -> Response:
    return await _step(call, case_id, application_id, "decided")


@router.post(
    "/cases/{case_id}/applications/{application_id}/versions/{number}/signed",
    response_model=None,
    dependencies=[Depends(refuse_declared_too_large)],
)
async def attach_signed(case_id: UUID, application_id: UUID, number: int, call: WorkerCall) -> Response:
    found = await _version(call, case_id, application_id, number)
    if isinstance(found, Response):
        return found
    case, _, version = found
    try:
        name, content = await uploaded(call.request)
        limit = max_document_bytes(call.request)
        await use.attach_signed(call.session, case, version, name, content, call.context, max_bytes=limit)
    except Refused as exc:
        await call.session.rollback()
        again = await _found(call, case_id, application_id)
        if isinstance(again, Response):
            return again
        return await _page(call, *again, exc.status, errors={"file": exc.message_cs})
    await call.commit()
    return redirect(f"{_path(case_id, application_id)}?saved=signed#h-versions")
