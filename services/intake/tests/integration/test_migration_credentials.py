"""Revision 0004 (revocable sign-in) on a database that already holds an account, on SQLite and
PostgreSQL: the account keeps everything and has no ``credentials_valid_after`` (its sessions stay
valid until they expire), no credential is recorded, and the downgrade gives 0003 back."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from kmb_intake.bootstrap import MIGRATIONS
from kmb_shared.db import Database, alembic_config

INSERT_USER = sa.text(
    "INSERT INTO intake_user (id, username, name, password_hash, roles, organisation, active, created_at,"
    " created_by) VALUES ('u-0123456789ab', 'eva.mala', 'Eva Malá', 'x', '[\"worker\"]', 'kmb', :active,"
    " :at, 'cli')"
).bindparams(sa.bindparam("at", type_=sa.DateTime(timezone=True)), sa.bindparam("active", type_=sa.Boolean))


def _migrate(conn: Connection, action: str, revision: str) -> None:
    config = alembic_config(MIGRATIONS)
    config.attributes["connection"] = conn
    getattr(command, action)(config, revision)


def _columns(conn: Connection, table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(conn).get_columns(table)}


async def test_0004_adds_the_credentials_and_keeps_the_accounts(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "0003")
            await conn.execute(INSERT_USER, {"at": datetime(2025, 5, 6, 9, 30, tzinfo=UTC), "active": True})
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "0004")
            user = (
                await conn.execute(
                    sa.text("SELECT username, active, credentials_valid_after FROM intake_user")
                )
            ).one()
            credentials = (await conn.execute(sa.text("SELECT count(*) FROM intake_credential"))).scalar_one()
            columns = await conn.run_sync(_columns, "intake_credential")
        assert (user.username, bool(user.active), user.credentials_valid_after) == ("eva.mala", True, None)
        assert credentials == 0
        assert columns == {
            "id", "user_id", "kind", "label", "roles", "issued_by", "created_at", "expires_at", "ended_at",
            "end_reason",
        }  # fmt: skip
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "downgrade", "0003")
            tables = await conn.run_sync(lambda sync: set(sa.inspect(sync).get_table_names()))
            user_columns = await conn.run_sync(_columns, "intake_user")
            count = (await conn.execute(sa.text("SELECT count(*) FROM intake_user"))).scalar_one()
        assert "intake_credential" not in tables and "credentials_valid_after" not in user_columns
        assert count == 1
    finally:
        await db.dispose()
