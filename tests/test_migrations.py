"""Each service's Alembic migrations build exactly the tables its SQLModel classes describe,
on SQLite and on PostgreSQL, and applying them twice is harmless."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from kmb_shared.db import Database
from kmb_shared.messaging import InboxMessage, OutboxMessage
from kmb_shared.web.idempotency import IdempotencyRecord

SERVICES = ("intake", "assessment", "catalogue", "referrals", "stats")


def _table_classes(root: type) -> list[type]:
    out = []
    for cls in root.__subclasses__():
        if hasattr(cls, "__table__"):
            out.append(cls)
        out += _table_classes(cls)
    return out


def service_metadata(service: str) -> sa.MetaData:
    """The tables declared by the service's own modules plus the shared outbox, inbox and idempotency
    keys."""
    package = importlib.import_module(f"kmb_{service}")
    for info in pkgutil.walk_packages(package.__path__, f"kmb_{service}."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)
    metadata = sa.MetaData()
    shared = (OutboxMessage, InboxMessage, IdempotencyRecord)
    for cls in [*shared, *_table_classes(SQLModel)]:
        if cls in shared or cls.__module__.startswith(f"kmb_{service}."):
            table: sa.Table = cls.__table__  # type: ignore[attr-defined]
            if table.name not in metadata.tables:
                table.to_metadata(metadata)
    return metadata


def _diff(conn: sa.Connection, metadata: sa.MetaData) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    ignored = {"alembic_version"}
    return [d for d in compare_metadata(context, metadata) if not _is_ignored(d, ignored)]


def _is_ignored(diff: Any, ignored: set[str]) -> bool:
    if isinstance(diff, tuple) and diff and diff[0] == "remove_table":
        return str(diff[1].name) in ignored
    return False


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_match_the_table_models(service: str, database_url: str) -> None:
    bootstrap = importlib.import_module(f"kmb_{service}.bootstrap")
    db = Database(database_url)
    try:
        await db.migrate(bootstrap.MIGRATIONS)
        await db.migrate(bootstrap.MIGRATIONS)  # idempotent on start
        metadata = service_metadata(service)
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(_diff, metadata)
        assert diff == [], f"{service}: migrations and models differ: {diff}"
    finally:
        await db.dispose()
