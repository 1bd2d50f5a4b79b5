"""Reading a service's database directly in a test."""

from __future__ import annotations

import sqlalchemy as sa

from kmb_shared.db import Database


async def row_count(db: Database, table: str) -> int:
    """How many rows ``table`` holds."""
    async with db.engine.connect() as conn:
        query = sa.select(sa.func.count()).select_from(sa.table(table))
        return int((await conn.execute(query)).scalar_one())
