"""Persistence: one async SQLModel/SQLAlchemy engine per service, Alembic migrations applied on start.

SQLite (a file under ``var/``) by default, PostgreSQL when a ``postgresql+asyncpg://`` URL is configured.
Every request and every consumed message gets its own session from :meth:`Database.session`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

_Query = TypeVar("_Query")


def where_equal(query: _Query, *criteria: tuple[Any, object]) -> _Query:
    """``query`` narrowed to ``column == value`` for each ``(column, value)`` whose value is given (not
    None), in order: the filters of a list that takes optional criteria."""
    for column, value in criteria:
        if value is not None:
            query = query.where(col(column) == value)  # type: ignore[attr-defined]
    return query


def set_sqlite_pragmas(engine: AsyncEngine, *pragmas: str) -> None:
    """Run ``PRAGMA <pragma>`` for each of ``pragmas``, in order, on every new connection of ``engine``."""

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in pragmas:
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    event.listen(engine.sync_engine, "connect", on_connect)


#: WAL lets the outbox relay read while a request writes; foreign keys are off by default in SQLite.
SQLITE_PRAGMAS = ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=5000")


class Database:
    """The engine and session factory of one service's own database."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        if url.startswith("sqlite"):
            path = make_url(url).database or ""
            if path in ("", ":memory:") or "mode=memory" in url:
                # SQLAlchemy serves an in-memory SQLite database through one shared connection
                # (StaticPool), so concurrent sessions (a request, the consumer, the outbox relay) would
                # share one transaction: one session's commit would keep another's rolled-back effect.
                raise ValueError(f"an in-memory SQLite database cannot isolate sessions; use a file: {url}")
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine: AsyncEngine = create_async_engine(url, echo=echo)
            set_sqlite_pragmas(self.engine, *SQLITE_PRAGMAS)
        else:
            self.engine = create_async_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5)
        self._sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A new session; rolled back if the block raises, closed always. Commit explicitly."""
        async with self._sessions() as session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def migrate(self, versions: str | Path) -> None:
        """Apply the service's Alembic migrations (the revision files in ``versions``) up to head."""

        def upgrade(conn: Connection) -> None:
            cfg = alembic_config(versions)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

        async with self.engine.begin() as conn:
            await conn.run_sync(upgrade)

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config(versions: str | Path) -> Config:
    """Alembic configuration: the shared ``env.py`` with one service's revision files."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "alembic_env"))
    cfg.set_main_option("version_locations", str(versions))
    cfg.set_main_option("path_separator", "os")
    return cfg


def run_migrations_online(context: Any, target_metadata: Any = None) -> None:
    """Body of every service's Alembic ``env.py``: migrate on the connection handed over by
    :meth:`Database.migrate` (online, async engine run synchronously)."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("KMB migrations run through Database.migrate(), which passes a connection")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
