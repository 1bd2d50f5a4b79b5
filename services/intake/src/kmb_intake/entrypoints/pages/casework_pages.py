"""Pages of a case's diary and documents: write a note (the form on the case page), correct one (its
own page, for its author within 24 hours), attach a document, open it (written to the view log), and
delete it with a reason (a page that asks for the reason first). Plain forms, POST and redirect,
usable without JavaScript; the same application calls as the API."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from kmb_shared.clock import as_utc
from kmb_shared.errors import ConflictError, NotFoundError

from ...application import casework
from ...application.casework import DiaryNoteRow, Refused
from ...application.queries import CaseRow
from ...domain import localize_errors
from ...domain.applications import DOCUMENT_CATEGORIES
from ...domain.diary import MAX_NOTE, DiaryNoteChangeIn, DiaryNoteIn, editable_until
from ...domain.documents import DocumentDeleteIn, kind_label
from ..casework import declared_too_large, download, max_document_bytes, uploaded
from .case_form import date_text
from .case_pages import _case_page, _load, _not_found
from .common import PageCall, ReaderCall, WorkerCall, errors_by_field, message_page, redirect, render

router = APIRouter(include_in_schema=False)

#: the case page's diary form: its fields and the fields of the input model they fill
DIARY_FIELDS = {"diary_text": "text", "diary_noted_on": "noted_on"}


def _diary_input(values: dict[str, str]) -> dict[str, Any]:
    return {
        "text": values.get("diary_text", ""),
        "noted_on": date_text(values.get("diary_noted_on", "")) or None,
    }


def _diary_errors(exc: ValidationError) -> dict[str, str]:
    back = {model: form for form, model in DIARY_FIELDS.items()}
    items = [{**item, "field": back.get(item["field"], "diary_text")} for item in localize_errors(exc)]
    return errors_by_field(items)


async def _case_again(call: PageCall, case_id: UUID, status_code: int, **context: Any) -> HTMLResponse:
    """The case page again, with what was refused and why (nothing of the refused change kept)."""
    await call.session.rollback()
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    return await _case_page(call, case, status_code, **context)


@router.post("/cases/{case_id}/diary", response_model=None)
async def write_note(case_id: UUID, call: WorkerCall) -> Response:
    values, _ = await call.form()
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    try:
        body = DiaryNoteIn.model_validate(_diary_input(values))
    except ValidationError as exc:
        return await _case_again(call, case_id, 422, diary_values=values, errors=_diary_errors(exc))
    await casework.write_note(call.session, case, body, call.context)
    await call.commit()
    return redirect(f"/cases/{case_id}?saved=diary#h-diary")


def _note_page(
    call: PageCall,
    case: CaseRow,
    note: DiaryNoteRow,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    if values is None:
        values = {"diary_text": note.text, "diary_noted_on": note.noted_on.isoformat()}
    return render(
        call.request,
        "diary_note.html",
        status_code,
        title=f"Oprava záznamu v deníku případu {case.number}",
        case=case,
        note=note,
        values=values,
        errors=errors or {},
        note_max=MAX_NOTE,
        editable_until=editable_until(as_utc(note.written_at)),
    )


async def _editable_note(
    call: PageCall, case_id: UUID, note_id: UUID
) -> tuple[CaseRow, DiaryNoteRow] | Response:
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    try:
        note = await casework.note_of(call.session, case, note_id)
        casework.check_editable(note, call.context)
    except NotFoundError:
        text = "Záznam v deníku neexistuje."
        return message_page(call.request, 404, "Záznam nenalezen", text, back=f"/cases/{case_id}")
    except Refused as exc:
        return message_page(
            call.request, exc.status, "Záznam nelze opravit", exc.message_cs, back=f"/cases/{case_id}"
        )
    return case, note


@router.get("/cases/{case_id}/diary/{note_id}", response_model=None)
async def edit_note(case_id: UUID, note_id: UUID, call: WorkerCall) -> Response:
    found = await _editable_note(call, case_id, note_id)
    if isinstance(found, Response):
        return found
    return _note_page(call, *found)


@router.post("/cases/{case_id}/diary/{note_id}", response_model=None)
async def correct_note(case_id: UUID, note_id: UUID, call: WorkerCall) -> Response:
    values, _ = await call.form()
    found = await _editable_note(call, case_id, note_id)
    if isinstance(found, Response):
        return found
    case, note = found
    try:
        body = DiaryNoteChangeIn.model_validate(_diary_input(values))
    except ValidationError as exc:
        return _note_page(call, case, note, values, _diary_errors(exc), 422)
    await casework.edit_note(call.session, case, note_id, body, call.context)
    await call.commit()
    return redirect(f"/cases/{case_id}?saved=diary_edited#h-diary")


# --- documents ----------------------------------------------------------------------------------


class UploadTooLarge(Exception):
    """An upload refused by its declared length before its form was read (shown as a Czech page)."""

    def __init__(self, case_id: UUID, refusal: Refused) -> None:
        super().__init__(refusal.message_en)
        self.case_id, self.refusal = case_id, refusal


def refuse_declared_too_large(case_id: UUID, request: Request) -> None:
    """Runs before the page's sign-in check, which reads the form for its CSRF token."""
    refusal = declared_too_large(request)
    if refusal is not None:
        raise UploadTooLarge(case_id, refusal)


async def on_upload_too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UploadTooLarge)
    back = f"/cases/{exc.case_id}#h-documents"
    return message_page(request, 413, "Soubor je příliš velký", exc.refusal.message_cs, back=back)


@router.post(
    "/cases/{case_id}/documents", response_model=None, dependencies=[Depends(refuse_declared_too_large)]
)
async def attach_document(case_id: UUID, call: WorkerCall) -> Response:
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    try:
        name, content = await uploaded(call.request)
        limit = max_document_bytes(call.request)
        document = await casework.attach_document(
            call.session, case, name, content, call.context, max_bytes=limit
        )
    except Refused as exc:
        return await _case_again(call, case_id, exc.status, errors={"file": exc.message_cs})
    category = (await call.request.form()).get("category")  # what it proves, for applications' checklists
    document.category = category if isinstance(category, str) and category in DOCUMENT_CATEGORIES else None
    await call.commit()
    return redirect(f"/cases/{case_id}?saved=document#h-documents")


def _gone(call: PageCall, case_id: UUID, exc: ConflictError | NotFoundError) -> HTMLResponse:
    back = f"/cases/{case_id}#h-documents"
    if isinstance(exc, ConflictError):
        return message_page(call.request, 409, "Dokument byl smazán", exc.message_cs, back=back)
    text = "Dokument neexistuje, nebo k němu nemáte přístup."
    return message_page(call.request, 404, "Dokument nenalezen", text, back=back)


@router.get("/cases/{case_id}/documents/{document_id}", response_model=None)
async def open_document(case_id: UUID, document_id: UUID, call: ReaderCall) -> Response:
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    try:
        document, content = await casework.open_document(call.session, case, document_id)
    except (ConflictError, NotFoundError) as exc:
        return _gone(call, case_id, exc)
    response = download(
        call.session, call.principal, case, document, content, channel="page", at=call.context.now
    )
    await call.session.commit()
    return response


async def _delete_page(
    call: PageCall,
    case_id: UUID,
    document_id: UUID,
    values: dict[str, str],
    errors: dict[str, str],
    status: int,
) -> Response:
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    try:
        document, _ = await casework.open_document(call.session, case, document_id)
    except (ConflictError, NotFoundError) as exc:
        return _gone(call, case_id, exc)
    return render(
        call.request,
        "document_delete.html",
        status,
        title=f"Smazat dokument {document.filename}",
        case=case,
        document=document,
        kind=kind_label(document.kind),
        size=casework.size_text(document.size),
        values=values,
        errors=errors,
    )


@router.get("/cases/{case_id}/documents/{document_id}/delete", response_model=None)
async def confirm_delete(case_id: UUID, document_id: UUID, call: WorkerCall) -> Response:
    return await _delete_page(call, case_id, document_id, {}, {}, 200)


@router.post("/cases/{case_id}/documents/{document_id}/delete", response_model=None)
async def delete_document(case_id: UUID, document_id: UUID, call: WorkerCall) -> Response:
    values, _ = await call.form()
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    try:
        body = DocumentDeleteIn.model_validate({"reason": values.get("reason", "")})
        await casework.delete_document(call.session, case, document_id, body, call.context)
    except ValidationError as exc:
        errors = errors_by_field(localize_errors(exc))
        return await _delete_page(call, case_id, document_id, values, errors, 422)
    except (ConflictError, NotFoundError) as exc:
        return _gone(call, case_id, exc)
    await call.commit()
    return redirect(f"/cases/{case_id}?saved=document_deleted#h-documents")
