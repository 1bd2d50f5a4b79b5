"""The case diary and the case's documents in intake's database.

Documents are stored in the database, not as files under intake's var folder: the record and its
content are written in one transaction, so a refused or failed upload leaves nothing behind and a
deletion removes the content with the same commit that marks the record; every copy of intake (two
processes share one database in the cluster set-up) serves every document; a backup of the database
is a backup of all personal data, and nothing of a household lies in a folder beside it. The content
has a table of its own (``intake_document_content``), read only for a download, so listing documents
never loads their bytes; its SHA-256 is kept with the record and checked on every download. Size is
bounded by ``KMB_INTAKE_DOCUMENT_MAX_MB`` (10 MB by default), well within what SQLite and PostgreSQL
hold in one value.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from .tables import ContactRow, _part_of_case


def _moment(nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


class DiaryNoteRow(SQLModel, table=True):
    """One note of a case's diary (personal data: never on an event, never in a log)."""

    __tablename__ = "intake_diary_note"
    __table_args__ = (sa.Index("ix_intake_diary_note_case_day", "case_id", "noted_on"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = _part_of_case()
    noted_on: date
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    author_id: str = Field(max_length=100)
    organisation: str = Field(max_length=100)
    written_at: datetime = Field(sa_column=_moment())
    edited_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))


class DocumentRow(SQLModel, table=True):
    """One document of a case: what it is, who attached it; deleted ones keep their record and reason."""

    __tablename__ = "intake_document"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = _part_of_case()
    #: the original file name as cleaned for display (never a path)
    filename: str = Field(max_length=200)
    #: the kind read from the content (``domain.documents.KINDS``)
    kind: str = Field(max_length=10)
    mime: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    #: what the document proves (``domain.applications.DOCUMENT_CATEGORIES``), for applications' checklists
    category: str | None = Field(default=None, max_length=40)
    uploaded_by: str = Field(max_length=100)
    organisation: str = Field(max_length=100)
    uploaded_at: datetime = Field(sa_column=_moment())
    deleted_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    deleted_by: str | None = Field(default=None, max_length=100)
    delete_reason: str | None = Field(default=None, max_length=500)


class DocumentContentRow(SQLModel, table=True):
    """The bytes of a document (removed when the document is deleted)."""

    __tablename__ = "intake_document_content"

    document_id: UUID = Field(
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("intake_document.id", ondelete="CASCADE"), primary_key=True
        )
    )
    content: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))


async def diary_notes(session: AsyncSession, case_id: UUID) -> Sequence[DiaryNoteRow]:
    query = select(DiaryNoteRow).where(col(DiaryNoteRow.case_id) == case_id)
    return (await session.exec(query)).all()


async def case_contacts(session: AsyncSession, case_id: UUID) -> Sequence[ContactRow]:
    query = select(ContactRow).where(col(ContactRow.case_id) == case_id)
    return (await session.exec(query)).all()


async def documents_of(session: AsyncSession, case_id: UUID) -> Sequence[DocumentRow]:
    """The case's documents, deleted ones too, the latest first."""
    query = (
        select(DocumentRow)
        .where(col(DocumentRow.case_id) == case_id)
        .order_by(col(DocumentRow.uploaded_at).desc(), col(DocumentRow.filename))
    )
    return (await session.exec(query)).all()


async def document_content(session: AsyncSession, document_id: UUID) -> bytes | None:
    row = await session.get(DocumentContentRow, document_id)
    return row.content if row is not None else None


async def remove_content(session: AsyncSession, document_id: UUID) -> None:
    await session.exec(  # type: ignore[call-overload]
        sa.delete(DocumentContentRow).where(col(DocumentContentRow.document_id) == document_id)
    )
