"""Everyday work on a case beside its household: the diary (the workers' dated notes, with the notes of
the contacts recorded for the case) and the case's documents.

Neither goes on an event and neither is logged: both are personal data that stays in intake. The
commands work in the caller's session on a case already loaded for the caller's organisation
(:func:`kmb_intake.application.cases.load_case`); the caller commits. A refusal is a
:class:`Refused` with its HTTP status and Czech and English texts; nothing is stored then.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.clock import as_utc
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_shared.formatting import format_number

from ..adapters.casework import (
    DiaryNoteRow,
    DocumentContentRow,
    DocumentRow,
    case_contacts,
    diary_notes,
    document_content,
    documents_of,
    remove_content,
)
from ..adapters.tables import CaseRow
from ..domain.diary import DiaryNoteChangeIn, DiaryNoteIn, editable_until, may_edit, note_day
from ..domain.documents import ACCEPTED_CS, DocumentDeleteIn, clean_name, kind_of
from .cases import CommandContext

__all__ = [
    "DiaryEntry",
    "DiaryNoteRow",
    "DocumentRow",
    "Refused",
    "attach_document",
    "delete_document",
    "diary",
    "documents_of",
    "edit_note",
    "note_of",
    "open_document",
    "read_bounded",
    "size_text",
    "write_note",
]

MEGABYTE = 1024 * 1024
_CHUNK = 64 * 1024


class Refused(Exception):
    """A request refused by a rule of the diary or the documents: its HTTP status, code, texts, and
    the field it is about (for a 422)."""

    def __init__(self, status: int, code: str, message_cs: str, message_en: str, field: str = "") -> None:
        super().__init__(message_en)
        self.status, self.code, self.field = status, code, field
        self.message_cs, self.message_en = message_cs, message_en

    def detail(self) -> dict[str, str]:
        return {"code": self.code, "message_cs": self.message_cs, "message_en": self.message_en}


def size_text(size: int) -> str:
    """A size in Czech: "850 B", "12,5 kB", "3,2 MB" (1 kB = 1024 B)."""
    if size < 1024:
        return f"{size}\u00a0B"
    if size < MEGABYTE:
        return f"{format_number(size / 1024, 1)}\u00a0kB"
    return f"{format_number(size / MEGABYTE, 1)}\u00a0MB"


# --- the diary ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiaryEntry:
    """One line of the diary: a note (``kind`` "note") or a recorded contact's note ("contact")."""

    kind: str
    id: UUID
    on: date
    at: datetime
    author_id: str
    text: str
    editable: bool = False
    editable_until: datetime | None = None
    edited_at: datetime | None = None
    channel: str | None = None
    topics: tuple[str, ...] = field(default_factory=tuple)


def _note_entry(note: DiaryNoteRow, user_id: str, now: datetime) -> DiaryEntry:
    written = as_utc(note.written_at)
    return DiaryEntry(
        kind="note",
        id=note.id,
        on=note.noted_on,
        at=written,
        author_id=note.author_id,
        text=note.text,
        editable=may_edit(author_id=note.author_id, written_at=written, user_id=user_id, now=now),
        editable_until=editable_until(written),
        edited_at=as_utc(note.edited_at) if note.edited_at else None,
    )


async def diary(session: AsyncSession, case: CaseRow, *, user_id: str, now: datetime) -> list[DiaryEntry]:
    """The case's notes and the notes of its contacts, newest first (by day, then by when written)."""
    entries = [_note_entry(note, user_id, now) for note in await diary_notes(session, case.id)]
    for contact in await case_contacts(session, case.id):
        if contact.organisation != case.organisation:
            continue
        entries.append(
            DiaryEntry(
                kind="contact",
                id=contact.id,
                on=contact.contact_date,
                at=as_utc(contact.recorded_at),
                author_id=contact.recorded_by,
                text=contact.note or "",
                channel=contact.channel,
                topics=tuple(json.loads(contact.topics)),
            )
        )
    entries.sort(key=lambda entry: (entry.on, entry.at), reverse=True)
    return entries


async def write_note(
    session: AsyncSession, case: CaseRow, body: DiaryNoteIn, ctx: CommandContext
) -> DiaryNoteRow:
    note = DiaryNoteRow(
        case_id=case.id,
        noted_on=note_day(body.noted_on, ctx.today),
        text=body.text,
        author_id=ctx.actor.user_id,
        organisation=ctx.actor.organisation,
        written_at=ctx.now,
    )
    session.add(note)
    await session.flush()
    return note


Row = TypeVar("Row", DiaryNoteRow, DocumentRow)


async def _of_case(
    session: AsyncSession, model: type[Row], row_id: UUID, case: CaseRow, what: tuple[str, str]
) -> Row:
    """The row of ``case`` with that id; not found when it is missing or another case's."""
    row = await session.get(model, row_id)
    if row is None or row.case_id != case.id:
        raise NotFoundError(*what)
    return row


async def note_of(session: AsyncSession, case: CaseRow, note_id: UUID) -> DiaryNoteRow:
    return await _of_case(session, DiaryNoteRow, note_id, case, ("Záznam deníku", "Diary note"))


def check_editable(note: DiaryNoteRow, ctx: CommandContext) -> None:
    """Refused (403) unless the caller wrote the note and the edit window is still open."""
    if note.author_id != ctx.actor.user_id:
        raise Refused(
            403,
            "diary_not_author",
            "Záznam v deníku může opravit jen ten, kdo jej napsal.",
            "Only the author of a diary note may correct it.",
        )
    if not may_edit(
        author_id=note.author_id, written_at=as_utc(note.written_at), user_id=ctx.actor.user_id, now=ctx.now
    ):
        raise Refused(
            403,
            "diary_edit_window_closed",
            "Záznam v deníku lze opravit jen do 24 hodin od napsání; nyní už platí tak, jak byl"
            " zapsán. Doplňte případně nový záznam.",
            "A diary note can be corrected only within 24 hours of writing; add a new note instead.",
        )


async def edit_note(
    session: AsyncSession, case: CaseRow, note_id: UUID, body: DiaryNoteChangeIn, ctx: CommandContext
) -> DiaryNoteRow:
    note = await note_of(session, case, note_id)
    check_editable(note, ctx)
    note.text = body.text
    if body.noted_on is not None:
        note.noted_on = body.noted_on
    note.edited_at = ctx.now
    session.add(note)
    await session.flush()
    return note


# --- documents ----------------------------------------------------------------------------------


def too_large(max_bytes: int) -> Refused:
    limit = size_text(max_bytes)
    return Refused(
        413,
        "document_too_large",
        f"Soubor je příliš velký; nejvýše {limit}.",
        f"The file is too large; at most {limit.replace(chr(0xA0), ' ')}.",
        "file",
    )


async def read_bounded(read: Callable[[int], Awaitable[bytes]], max_bytes: int) -> bytes:
    """The whole upload, read in chunks; refused (413) as soon as it grows beyond ``max_bytes``."""
    parts: list[bytes] = []
    total = 0
    while chunk := await read(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise too_large(max_bytes)
        parts.append(chunk)
    return b"".join(parts)


async def attach_document(
    session: AsyncSession,
    case: CaseRow,
    filename: str | None,
    content: bytes,
    ctx: CommandContext,
    *,
    max_bytes: int,
) -> DocumentRow:
    """Store a document of an accepted kind (read from its content) within the size limit."""
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    if not content:
        raise Refused(422, "document_empty", "Soubor je prázdný.", "The file is empty.", "file")
    kind = kind_of(content)
    if kind is None:
        raise Refused(
            422,
            "document_type",
            f"Tento druh souboru nelze přiložit (podle obsahu, ne podle názvu). Přiložte {ACCEPTED_CS}.",
            "This kind of file cannot be attached (told by its content, not its name). Attach a PDF,"
            " a JPEG or PNG image, or a DOCX, XLSX, ODT or DOC document.",
            "file",
        )
    document = DocumentRow(
        case_id=case.id,
        filename=clean_name(filename, kind),
        kind=kind.code,
        mime=kind.mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=ctx.actor.user_id,
        organisation=ctx.actor.organisation,
        uploaded_at=ctx.now,
    )
    session.add(document)
    await session.flush()  # the record first: the content refers to it
    session.add(DocumentContentRow(document_id=document.id, content=content))
    await session.flush()
    return document


async def _document(session: AsyncSession, case: CaseRow, document_id: UUID) -> DocumentRow:
    return await _of_case(session, DocumentRow, document_id, case, ("Dokument", "Document"))


def _deleted() -> ConflictError:
    return ConflictError(
        "document_deleted", "Dokument byl smazán; jeho obsah už není uložen.", "The document was deleted."
    )


async def open_document(session: AsyncSession, case: CaseRow, document_id: UUID) -> tuple[DocumentRow, bytes]:
    """The document and its content (the caller writes the opening to the view log). A deleted
    document: 409; content that no longer matches its checksum: not found."""
    document = await _document(session, case, document_id)
    if document.deleted_at is not None:
        raise _deleted()
    content = await document_content(session, document.id)
    if content is None or hashlib.sha256(content).hexdigest() != document.sha256:
        raise NotFoundError("Obsah dokumentu", "Document content")
    return document, content


async def delete_document(
    session: AsyncSession, case: CaseRow, document_id: UUID, body: DocumentDeleteIn, ctx: CommandContext
) -> DocumentRow:
    """Delete a document with a reason: the record stays (who, when, why), the content is removed."""
    document = await _document(session, case, document_id)
    if document.deleted_at is not None:
        raise _deleted()
    document.deleted_at = ctx.now
    document.deleted_by = ctx.actor.user_id
    document.delete_reason = body.reason
    session.add(document)
    await remove_content(session, document.id)
    await session.flush()
    return document


async def case_documents(session: AsyncSession, case: CaseRow) -> Sequence[DocumentRow]:
    return await documents_of(session, case.id)
