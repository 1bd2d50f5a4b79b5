"""Revision 0007 (erasure and retention) on a database at 0006 that holds a case, on SQLite and
PostgreSQL: the case stays and reads as not erased, an erasure and a retention run can be recorded for
it, and the downgrade gives 0006 back with the case still there."""

from __future__ import annotations

from uuid import uuid4

import sqlalchemy as sa

from kmb_intake.adapters.erasure_tables import ErasureRow, RetentionRunRow
from kmb_intake.adapters.tables import CaseRow
from kmb_shared.db import Database

from .test_migration_casework import AT, _migrate, _tables, insert

TABLES = {"intake_erasure", "intake_retention_run"}


async def test_0007_adds_the_erasure_record_beside_the_cases(database_url: str) -> None:
    db = Database(database_url)
    case_id, run_id = uuid4(), uuid4()
    case = {"id": case_id, "number": "KMB-2026-00002", "status": "closed", "household": "{}", "worker_id": "w-1",
            "organisation": "kmb", "opened_at": AT, "reopen_count": 0, "version": 2}  # fmt: skip
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "0006")
            await insert(conn, CaseRow, **case)  # only the columns given: 0006 has no erased_at
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "0007")
            assert TABLES <= await conn.run_sync(_tables)
            erased = (await conn.execute(sa.text("SELECT erased_at FROM intake_case"))).scalar_one()
            assert erased is None
            await insert(conn, RetentionRunRow, id=run_id, started_at=AT, dry_run=False,
                         closed_before=AT.date(), by="retention", erased=1, held=0, cases="[]")  # fmt: skip
            await insert(conn, ErasureRow, id=uuid4(), case_id=case_id, erased_at=AT, reason="retention",
                         erased_by="retention", organisation="kmb", event_id="e-1", run_id=run_id)  # fmt: skip
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "downgrade", "0006")
            left = (
                (await conn.run_sync(_tables)) & TABLES,
                (await conn.execute(sa.text("SELECT number FROM intake_case"))).scalars().all(),
            )
        assert left == (set(), ["KMB-2026-00002"])
    finally:
        await db.dispose()
