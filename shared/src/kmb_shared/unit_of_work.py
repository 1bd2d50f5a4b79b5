"""A unit of work on one database session: the service's changes and the events it stages in the
outbox commit in one transaction; after the commit the relay is woken so the events leave at once.

A service subclasses :class:`SessionUnitOfWork` to add its store (``self.store = ...``) and, where
its database refusals mean something to the application, overrides :meth:`commit_session`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Generic, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from .contracts import IntegrationEvent
from .db import Database
from .messaging import Outbox


class SessionUnitOfWork:
    """One session: the changes and the staged outbox rows commit together; after the commit
    ``after_commit`` runs (the relay's wake-up)."""

    def __init__(self, session: AsyncSession, outbox: Outbox, after_commit: Callable[[], None]) -> None:
        self.session = session
        self.outbox = outbox
        self.after_commit = after_commit

    def stage(self, event: IntegrationEvent) -> str:
        """Stage ``event`` in the outbox of this transaction; returns its id."""
        return self.outbox.stage(self.session, event)

    async def commit_session(self) -> None:
        """Commit the session (a subclass may translate what the database refuses)."""
        await self.session.commit()

    async def commit(self) -> None:
        await self.commit_session()
        self.after_commit()

    async def rollback(self) -> None:
        await self.session.rollback()


U = TypeVar("U", bound=SessionUnitOfWork)


class SessionUnitsOfWork(Generic[U]):
    """Opens units of work made by ``unit`` on ``db`` (the factory the application's jobs and routes
    take: ``async with units() as work: ...``)."""

    def __init__(
        self,
        unit: Callable[[AsyncSession, Outbox, Callable[[], None]], U],
        db: Database,
        outbox: Outbox,
        after_commit: Callable[[], None],
    ) -> None:
        self.unit = unit
        self.db = db
        self.outbox = outbox
        self.after_commit = after_commit

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[U]:
        async with self.db.session() as session:
            yield self.unit(session, self.outbox, self.after_commit)
