"""Revision 0006 (the diary and the documents) on a database at 0005 that holds a case, on SQLite and
PostgreSQL: the case stays, the three tables come empty, a note and a document with its content can
be stored for it, and the downgrade gives 0005 back with the case still there."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from kmb_intake.adapters.casework import DiaryNoteRow, DocumentContentRow, DocumentRow
from kmb_intake.adapters.tables import CaseRow
from kmb_intake.bootstrap import MIGRATIONS
from kmb_shared.db import Database, alembic_config

TABLES = {"intake_diary_note", "intake_document", "intake_document_content"}
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _migrate(conn: Connection, action: str, revision: str) -> None:
    config = alembic_config(MIGRATIONS)
    config.attributes["connection"] = conn
    getattr(command, action)(config, revision)


def _tables(conn: Connection) -> set[str]:
    return set(sa.inspect(conn).get_table_names())


async def insert(conn: AsyncConnection, model: type[SQLModel], **values: object) -> None:
    """A row written with the model's column types (tests/test_migrations.py holds them to the revisions)."""
    await conn.execute(sa.insert(model.__table__).values(**values))  # type: ignore[attr-defined]


async def test_0006_adds_the_diary_and_the_documents_beside_the_cases(database_url: str) -> None:
    db = Database(database_url)
    case_id, note_id, document_id = uuid4(), uuid4(), uuid4()
    case = {"id": case_id, "number": "KMB-2026-00001", "status": "open", "household": "{}", "worker_id": "w-1",
            "organisation": "kmb", "opened_at": AT, "reopen_count": 0, "version": 1}  # fmt: skip
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "0005")
            await insert(conn, CaseRow, **case)
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "0006")
            assert TABLES <= await conn.run_sync(_tables)
            note = {"id": note_id, "case_id": case_id, "noted_on": AT.date(), "text": "Záznam.", "author_id": "w-1",
                    "organisation": "kmb", "written_at": AT}  # fmt: skip
            await insert(conn, DiaryNoteRow, **note)
            document = {"id": document_id, "case_id": case_id, "filename": "a.pdf", "kind": "pdf",
                        "mime": "application/pdf", "size": 3, "sha256": "0" * 64, "uploaded_by": "w-1",
                        "organisation": "kmb", "uploaded_at": AT}  # fmt: skip
            await insert(conn, DocumentRow, **document)
            await insert(conn, DocumentContentRow, document_id=document_id, content=b"%PD")
            content = (
                await conn.execute(sa.text("SELECT content FROM intake_document_content"))
            ).scalar_one()
        assert bytes(content) == b"%PD"
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "downgrade", "0005")
            tables = await conn.run_sync(_tables)
            cases = (await conn.execute(sa.text("SELECT count(*) FROM intake_case"))).scalar_one()
        assert not TABLES & tables
        assert cases == 1
    finally:
        await db.dispose()
