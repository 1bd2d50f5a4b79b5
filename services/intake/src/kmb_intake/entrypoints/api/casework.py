"""HTTP API of a case's diary and documents.

Workers of the case's organisation write and read the diary and attach, open and delete documents;
auditors of that organisation read the diary, list the documents and open them: they read every other
personal data of a case today (the case itself, with birth numbers), and, as for those, every opening
is written to the view log, so their own reading is accounted for too. Another organisation's case is
not found (404), as on every case route. Nothing of this goes on an event or into a log.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import http_error
from kmb_shared.service import SessionDep

from ...application import cases as commands
from ...application import casework
from ...application.casework import Refused
from ...application.queries import CaseRow, user_names
from ...domain.diary import DiaryNoteChangeIn, DiaryNoteIn
from ...domain.documents import DocumentDeleteIn
from ..casework import (
    DOWNLOAD_RESPONSES,
    UPLOAD_BODY,
    VIEW_DIARY,
    VIEW_DOCUMENTS,
    DiaryEntryOut,
    DiaryNoteOut,
    DocumentOut,
    declared_too_large,
    download,
    max_document_bytes,
    uploaded,
)
from ..deps import CommandDep, Deps, StoreDep
from ..security import ReaderDep, log_views

router = APIRouter(prefix="/api/cases/{case_id}", tags=["case work"])

REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"description": "Jen autor, do 24 hodin / Only the author, within 24 hours"}
}
TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: {"description": "Soubor je příliš velký / The file is too large"}
}


def refused(exc: Refused) -> JSONResponse:
    """The refusal with the shared error body (a 422 as the list of invalid fields)."""
    detail = exc.detail()
    content = {"detail": [{"field": exc.field or "body", **detail}] if exc.status == 422 else detail}
    return JSONResponse(status_code=exc.status, content=content)


async def _case(store: StoreDep, case_id: UUID, organisation: str) -> CaseRow:
    return await commands.load_case(store, case_id, organisation)


@router.get("/diary", response_model=list[DiaryEntryOut])
async def read_diary(
    case_id: UUID, principal: ReaderDep, store: StoreDep, deps: Deps, session: AsyncSession = SessionDep
) -> list[DiaryEntryOut]:
    """The case's diary: the workers' notes and the notes of the contacts recorded for the case,
    newest first (the reading is logged)."""
    case = await _case(store, case_id, principal.organisation)
    now = deps.clock.now()
    entries = await casework.diary(session, case, user_id=principal.user_id, now=now)
    names = await user_names(session, [entry.author_id for entry in entries])
    log_views(session, principal, [case], kind=VIEW_DIARY, channel="api", at=now)
    await session.commit()
    return [DiaryEntryOut.of(entry, names) for entry in entries]


@router.post("/diary", status_code=201, response_model=DiaryNoteOut)
async def write_note(
    case_id: UUID, body: DiaryNoteIn, ctx: CommandDep, store: StoreDep, session: AsyncSession = SessionDep
) -> DiaryNoteOut:
    """Write a note in the case's diary (any worker of the case's organisation)."""
    case = await _case(store, case_id, ctx.actor.organisation)
    note = await casework.write_note(session, case, body, ctx)
    await session.commit()
    return DiaryNoteOut.of(note)


@router.patch("/diary/{note_id}", response_model=DiaryNoteOut, responses=REFUSED)
async def correct_note(
    case_id: UUID,
    note_id: UUID,
    body: DiaryNoteChangeIn,
    ctx: CommandDep,
    store: StoreDep,
    session: AsyncSession = SessionDep,
) -> DiaryNoteOut | JSONResponse:
    """Correct a note: only its author, within 24 hours of writing it (403 otherwise)."""
    case = await _case(store, case_id, ctx.actor.organisation)
    try:
        note = await casework.edit_note(session, case, note_id, body, ctx)
    except Refused as exc:
        return refused(exc)
    await session.commit()
    return DiaryNoteOut.of(note)


@router.get("/documents", response_model=list[DocumentOut])
async def list_documents(
    case_id: UUID, principal: ReaderDep, store: StoreDep, deps: Deps, session: AsyncSession = SessionDep
) -> list[DocumentOut]:
    """The case's documents, the latest first; deleted ones with who deleted them, when and why."""
    case = await _case(store, case_id, principal.organisation)
    documents = await casework.case_documents(session, case)
    log_views(session, principal, [case], kind=VIEW_DOCUMENTS, channel="api", at=deps.clock.now())
    await session.commit()
    return [DocumentOut.of(document) for document in documents]


def refuse_declared_too_large(request: Request) -> None:
    """Runs before the sign-in check (which may read a form for its CSRF token): too large a
    declared upload is refused before anything of it is read."""
    refusal = declared_too_large(request)
    if refusal is not None:
        raise http_error(413, refusal.code, refusal.message_cs, refusal.message_en)


@router.post(
    "/documents",
    status_code=201,
    response_model=DocumentOut,
    responses=TOO_LARGE,
    openapi_extra=UPLOAD_BODY,
    dependencies=[Depends(refuse_declared_too_large)],
)
async def attach_document(
    case_id: UUID,
    request: Request,
    ctx: CommandDep,
    store: StoreDep,
    session: AsyncSession = SessionDep,
) -> DocumentOut | JSONResponse:
    """Attach a file to the case (multipart, field ``file``). Its kind is read from its content, not
    its name (422 for any other kind); at most ``KMB_INTAKE_DOCUMENT_MAX_MB`` (413 beyond, before the
    body is read when its length says so). Nothing is stored when refused."""
    case = await _case(store, case_id, ctx.actor.organisation)
    try:
        name, content = await uploaded(request)
        limit = max_document_bytes(request)
        document = await casework.attach_document(session, case, name, content, ctx, max_bytes=limit)
    except Refused as exc:
        return refused(exc)
    await session.commit()
    return DocumentOut.of(document)


@router.get("/documents/{document_id}", response_class=Response, responses=DOWNLOAD_RESPONSES)
async def open_document(
    case_id: UUID,
    document_id: UUID,
    principal: ReaderDep,
    store: StoreDep,
    deps: Deps,
    session: AsyncSession = SessionDep,
) -> Response:
    """The document's content as an attachment under its original name; the opening is written to
    the view log. A deleted document: 409."""
    case = await _case(store, case_id, principal.organisation)
    document, content = await casework.open_document(session, case, document_id)
    response = download(session, principal, case, document, content, channel="api", at=deps.clock.now())
    await session.commit()
    return response


@router.post("/documents/{document_id}/delete", response_model=DocumentOut)
async def delete_document(
    case_id: UUID,
    document_id: UUID,
    body: DocumentDeleteIn,
    ctx: CommandDep,
    store: StoreDep,
    session: AsyncSession = SessionDep,
) -> DocumentOut:
    """Delete a document with a reason: its content is removed, its record stays with who deleted it,
    when and why. Deleting it again: 409."""
    case = await _case(store, case_id, ctx.actor.organisation)
    document = await casework.delete_document(session, case, document_id, body, ctx)
    await session.commit()
    return DocumentOut.of(document)
