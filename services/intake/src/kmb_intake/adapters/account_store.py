"""The account store of the application (``application.ports.AccountStore``) on the database
session: accounts, sign-in failures and credentials in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from . import accounts
from .accounts import ApiTokenRow, CredentialRow, LoginFailureRow, UserRow


class SqlAccountStore:
    """Intake's account tables through one session (its transaction is the caller's)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def user(self, user_id: str) -> UserRow | None:
        return await self.session.get(UserRow, user_id)

    async def user_by_username(self, username: str) -> UserRow | None:
        return await accounts.user_by_username(self.session, username)

    async def credential(self, sid: str) -> CredentialRow | None:
        return await self.session.get(CredentialRow, sid)

    def add(self, row: UserRow | ApiTokenRow | CredentialRow | LoginFailureRow) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def recent_failures(
        self, username: str, address: str | None, since: datetime
    ) -> tuple[int, datetime | None]:
        return await accounts.recent_failures(self.session, username, address, since)

    async def forget_failures(self, username: str, address: str | None, before: datetime) -> None:
        await accounts.forget_failures(self.session, username, address, before)

    async def delete_expired_credentials(self, kind: str, before: datetime) -> int:
        return await accounts.delete_expired_credentials(self.session, kind, before=before)
