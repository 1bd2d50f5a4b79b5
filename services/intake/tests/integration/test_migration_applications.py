"""Revision 0008 (applications) on a database at 0007 that holds a case with a document, on SQLite and
PostgreSQL: the document gets an empty category, the two tables come empty, an application and a
printed version linked to the document can be stored, and the downgrade gives 0007 back with the case
and its document still there."""

from __future__ import annotations

from uuid import uuid4

import sqlalchemy as sa

from kmb_intake.adapters.applications import ApplicationRow, ApplicationVersionRow
from kmb_intake.adapters.casework import DocumentRow
from kmb_intake.adapters.tables import CaseRow
from kmb_shared.db import Database

from .test_migration_casework import AT, _migrate, _tables, insert

TABLES = {"intake_application", "intake_application_version"}


async def test_0008_adds_applications_and_the_documents_category(database_url: str) -> None:
    db = Database(database_url)
    case_id, document_id, application_id = uuid4(), uuid4(), uuid4()
    case = {"id": case_id, "number": "KMB-2026-00001", "status": "open", "household": "{}", "worker_id": "w-1",
            "organisation": "kmb", "opened_at": AT, "reopen_count": 0, "version": 1}  # fmt: skip
    document = {"id": document_id, "case_id": case_id, "filename": "a.pdf", "kind": "pdf", "mime": "application/pdf",
                "size": 3, "sha256": "0" * 64, "uploaded_by": "w-1", "organisation": "kmb", "uploaded_at": AT}  # fmt: skip
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "0007")
            await insert(conn, CaseRow, **case)
            await insert(conn, DocumentRow, **document)  # the columns it had before 0008
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "0008")
            assert TABLES <= await conn.run_sync(_tables)
            category = (await conn.execute(sa.text("SELECT category FROM intake_document"))).scalar_one()
            assert category is None
            await conn.execute(sa.update(DocumentRow.__table__).values(category="signed_application"))  # type: ignore[attr-defined]
            application = {"id": application_id, "case_id": case_id, "organisation": "kmb", "kind": "register",
                           "group": "register", "title": "Žádost", "values": "{}", "state": "draft", "created_by": "w-1",
                           "created_at": AT, "updated_at": AT, "versions": 1}  # fmt: skip
            await insert(conn, ApplicationRow, **application)
            version = {"id": uuid4(), "application_id": application_id, "number": 1, "final": True, "values": "{}",
                       "printed_by": "w-1", "printed_at": AT, "sha256": "0" * 64, "pdf": b"%PDF",
                       "signed_document_id": document_id}  # fmt: skip
            await insert(conn, ApplicationVersionRow, **version)
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "downgrade", "0007")
            tables = await conn.run_sync(_tables)
            kept = (await conn.execute(sa.text("SELECT count(*) FROM intake_document"))).scalar_one()
            columns = {
                c["name"] for c in await conn.run_sync(lambda c: sa.inspect(c).get_columns("intake_document"))
            }
        assert not TABLES & tables
        assert kept == 1 and "category" not in columns
    finally:
        await db.dispose()
