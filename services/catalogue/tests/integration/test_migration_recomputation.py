"""Revision 0005 (suggestions recomputed) on a database at 0004 that holds suggestions, on SQLite and
PostgreSQL: the suggestions stay, without a kept household (so they are not recomputed), and the
downgrade gives 0004 back with them still there."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import sqlalchemy as sa

from kmb_catalogue.adapters.tables import SuggestionRow
from kmb_catalogue.bootstrap import MIGRATIONS
from kmb_shared.db import Database
from kmb_testkit.migrations import at_revision

AT = datetime(2026, 5, 6, 9, 30, tzinfo=UTC)


async def test_0005_keeps_the_suggestions_made_before_it(database_url: str) -> None:
    db = Database(database_url)
    row = {"id": uuid4(), "case_id": uuid4(), "assessed_on": date(2026, 5, 6), "need_level": "insecure",
           "organisation": "kmb", "municipal_stock_exhausted": False, "suggestions": [], "rejected": [],
           "created_at": AT}  # fmt: skip
    columns = "SELECT need_level FROM catalogue_suggestion"
    try:
        async with at_revision(db, MIGRATIONS, "0004") as conn:
            await conn.execute(sa.insert(SuggestionRow.__table__).values(**row))  # type: ignore[attr-defined]
        async with at_revision(db, MIGRATIONS, "0005") as conn:
            kept = (
                await conn.execute(sa.text("SELECT request, recomputation FROM catalogue_suggestion"))
            ).one()
            assert tuple(kept) == (None, None)
        async with at_revision(db, MIGRATIONS, "0004", "downgrade") as conn:
            assert (await conn.execute(sa.text(columns))).scalars().all() == ["insecure"]
    finally:
        await db.dispose()
