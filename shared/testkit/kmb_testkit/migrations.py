"""Moving a service's database to one Alembic revision inside a test's connection, and what it holds."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from kmb_shared.db import Database, alembic_config


def migrate(conn: Connection, migrations: Path, action: str, revision: str) -> None:
    """``upgrade`` or ``downgrade`` the database of ``conn`` to ``revision`` (run with ``conn.run_sync``)."""
    config = alembic_config(migrations)
    config.attributes["connection"] = conn
    getattr(command, action)(config, revision)


def table_names(conn: Connection) -> set[str]:
    return set(sa.inspect(conn).get_table_names())


@contextlib.asynccontextmanager
async def at_revision(
    db: Database, migrations: Path, revision: str, action: str = "upgrade"
) -> AsyncIterator[AsyncConnection]:
    """A transaction on ``db`` moved to ``revision`` first (committed when the block ends)."""
    async with db.engine.begin() as conn:
        await conn.run_sync(migrate, migrations, action, revision)
        yield conn
