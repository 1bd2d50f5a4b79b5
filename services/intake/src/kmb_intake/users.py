"""The first administrator, created from the command line (``kmb users create-admin``)."""

from __future__ import annotations

from datetime import UTC, datetime

from kmb_shared.auth import Role
from kmb_shared.db import Database

from .accounts import UserIn, create_user
from .bootstrap import MIGRATIONS
from .config import IntakeSettings


async def create_admin(settings: IntakeSettings, username: str, password: str, name: str) -> None:
    """Create an active administrator in intake's database (migrating it first if needed).

    Raises ``pydantic.ValidationError`` for a bad username or a password under 10 characters, and
    :class:`kmb_intake.accounts.UsernameTaken` (a ``ConflictError``) when the username exists.
    """
    body = UserIn(username=username, name=name, password=password, roles=(Role.ADMIN.value,))
    db = Database(settings.resolved_database_url)
    try:
        await db.migrate(MIGRATIONS)
        async with db.session() as session:
            await create_user(session, body, by="cli", now=datetime.now(UTC))
            await session.commit()
    finally:
        await db.dispose()
