"""What the API and the pages of the diary and the documents share: the answers' shapes, the size
limit of the running service, the download's response (attachment under the original name, safely
encoded) and the view log entry of an opened document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

from fastapi import Request, Response
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import UploadFile

from kmb_shared.auth import Principal
from kmb_shared.copying import same_fields

from ..application.casework import (
    MEGABYTE,
    DiaryEntry,
    DiaryNoteRow,
    DocumentRow,
    Refused,
    read_bounded,
    too_large,
)
from ..application.queries import CaseRow
from ..domain.documents import KINDS, kind_label
from .deps import deps_of
from .schemas import UtcDateTime
from .security import log_views

#: the view log's kinds of what was seen (beside detail, search, list, partner)
VIEW_DIARY = "diary"
VIEW_DOCUMENTS = "documents"
VIEW_DOCUMENT = "document"

DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Obsah dokumentu jako příloha / The document's content as an attachment",
        "content": {kind.mime: {"schema": {"type": "string", "format": "binary"}} for kind in KINDS},
    },
    409: {"description": "Dokument byl smazán / The document was deleted"},
}


class DiaryNoteOut(BaseModel):
    id: UUID
    case_id: UUID
    noted_on: date
    text: str
    author_id: str
    written_at: UtcDateTime
    edited_at: UtcDateTime | None

    @classmethod
    def of(cls, note: DiaryNoteRow) -> DiaryNoteOut:
        return cls.model_validate(note, from_attributes=True)


class DiaryEntryOut(BaseModel):
    """One line of the diary: a worker's note or the note of a contact recorded for the case."""

    kind: str = Field(description="note (a diary note) or contact (a recorded contact)")
    id: UUID = Field(description="The note's or the contact's id")
    on: date = Field(description="The day it is about")
    at: UtcDateTime = Field(description="When it was written or recorded")
    author_id: str
    author_name: str | None = None
    text: str
    editable: bool = Field(description="The caller may still correct it (its author, within 24 hours)")
    edited_at: UtcDateTime | None = None
    channel: str | None = Field(default=None, description="A contact's channel")
    topics: list[str] = Field(default_factory=list, description="A contact's topics")

    @classmethod
    def of(cls, entry: DiaryEntry, names: dict[str, str]) -> DiaryEntryOut:
        return cls(
            **same_fields(entry, cls, author_name=names.get(entry.author_id), topics=list(entry.topics))
        )


class DocumentOut(BaseModel):
    id: UUID
    case_id: UUID
    filename: str = Field(description="The original file name (cleaned)")
    kind: str = Field(description="pdf, jpeg, png, docx, xlsx, odt or doc: read from the content")
    kind_label: str = Field(description="The kind in Czech")
    mime: str
    size: int = Field(description="Bytes")
    sha256: str
    uploaded_by: str
    uploaded_at: UtcDateTime
    deleted: bool
    deleted_at: UtcDateTime | None
    deleted_by: str | None
    delete_reason: str | None

    @classmethod
    def of(cls, document: DocumentRow) -> DocumentOut:
        return cls(
            **same_fields(
                document, cls, kind_label=kind_label(document.kind), deleted=document.deleted_at is not None
            )
        )


def max_document_bytes(request: Request) -> int:
    """The size limit of the running service (``KMB_INTAKE_DOCUMENT_MAX_MB``) in bytes."""
    return int(deps_of(request).settings.document_max_mb * MEGABYTE)


#: what a form adds to the file's bytes (its boundaries, the part's headers, the CSRF field), at most
FORM_SLACK = 64 * 1024
#: the upload's request body in the OpenAPI document (the route reads the form itself, after the check)
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, JPEG, PNG, DOCX, XLSX, ODT or DOC",
                        }
                    },
                }
            }
        },
    }
}


def declared_too_large(request: Request) -> Refused | None:
    """An upload whose declared length (``Content-Length``) is beyond the limit: refused before its
    form is read, so nothing of it is received, spooled or stored. (One without a length, or lying
    about it, is refused while it is read: :func:`~kmb_intake.application.casework.read_bounded`.)"""
    length = request.headers.get("content-length", "")
    limit = max_document_bytes(request)
    if length.isdigit() and int(length) > limit + FORM_SLACK:
        return too_large(limit)
    return None


async def uploaded(request: Request) -> tuple[str, bytes]:
    """The form's file: its name and its bytes, read up to the limit (:class:`Refused` otherwise)."""
    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Refused(422, "required", "Vyberte soubor.", "Choose a file.", "file")
    return upload.filename, await read_bounded(upload.read, max_document_bytes(request))


def attachment(filename: str) -> str:
    """``Content-Disposition`` of a download: an ASCII fallback name and the original in RFC 5987
    encoding (so quotes, semicolons and diacritics can neither break nor inject a header field)."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in filename)
    return f"attachment; filename=\"{fallback or 'dokument'}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(
    session: AsyncSession,
    principal: Principal,
    case: CaseRow,
    document: DocumentRow,
    content: bytes,
    *,
    channel: str,
    at: datetime,
) -> Response:
    """The document as an attachment; its opening goes to the view log (commit with the request)."""
    log_views(session, principal, [case], kind=VIEW_DOCUMENT, channel=channel, at=at)
    headers = {"Content-Disposition": attachment(document.filename), "Cache-Control": "no-store"}
    return Response(content, media_type=document.mime, headers=headers)
