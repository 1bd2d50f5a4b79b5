"""Local accounts, failed sign-ins, issued API tokens and the credentials intake issued or ended
(tables and queries).

Passwords are stored only as argon2 hashes. The user id is pseudonymous (``u-`` and hex digits):
events and logs name it, never the username or the name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, col, delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from .tables import utcnow


def new_user_id() -> str:
    return f"u-{uuid4().hex[:12]}"


class UserRow(SQLModel, table=True):
    """A local account. ``roles`` is a JSON list of role codes (``kmb_shared.auth.Role``)."""

    __tablename__ = "intake_user"

    id: str = Field(default_factory=new_user_id, primary_key=True, max_length=40)
    username: str = Field(max_length=50, unique=True)
    name: str = Field(max_length=100)
    password_hash: str = Field(max_length=200)
    roles: str = Field(max_length=200, description="JSON list of role codes")
    organisation: str = Field(max_length=100)
    active: bool = True
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    created_by: str = Field(max_length=100)
    updated_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    updated_by: str | None = Field(default=None, max_length=100)
    #: sessions and tokens of this user issued before this moment are no longer valid (deactivation,
    #: password or role change)
    credentials_valid_after: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(json.loads(self.roles))


class LoginFailureRow(SQLModel, table=True):
    """One failed sign-in, counted per username and client address for throttling."""

    __tablename__ = "intake_login_failure"
    __table_args__ = (sa.Index("ix_intake_login_failure_key", "username", "address", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50)
    address: str = Field(max_length=64)
    at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))


class ApiTokenRow(SQLModel, table=True):
    """An API token issued to an organisation: who issued it, when, with which roles (never the token)."""

    __tablename__ = "intake_api_token"

    id: str = Field(primary_key=True, max_length=100, description="The token's user id")
    organisation: str = Field(max_length=100, index=True)
    roles: str = Field(max_length=200, description="JSON list of role codes")
    issued_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    issued_by: str = Field(max_length=100)


class CredentialRow(SQLModel, table=True):
    """A session or API token by its id (the credential's ``s``), never the credential itself: recorded
    when intake issues it, or when one intake did not issue (signed elsewhere with the secret) is ended,
    so that it can be refused. ``ended_at`` set: no longer valid, for ``end_reason``."""

    __tablename__ = "intake_credential"

    id: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(max_length=100, index=True)
    kind: str = Field(max_length=10, description="session or token")
    label: str = Field(default="", max_length=100)
    roles: str = Field(default="[]", max_length=200, description="JSON list of role codes")
    issued_by: str = Field(default="", max_length=100)
    created_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    expires_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    ended_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    end_reason: str | None = Field(default=None, max_length=20)

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(json.loads(self.roles))


async def tokens_issued(session: AsyncSession, limit: int = 500) -> Sequence[CredentialRow]:
    """API tokens intake issued, the newest first."""
    query = (
        select(CredentialRow)
        .where(col(CredentialRow.kind) == "token")
        .order_by(col(CredentialRow.created_at).desc())
        .limit(limit)
    )
    return (await session.exec(query)).all()


async def user_by_username(session: AsyncSession, username: str) -> UserRow | None:
    query = select(UserRow).where(col(UserRow.username) == username)
    return (await session.exec(query)).first()


async def all_users(session: AsyncSession) -> Sequence[UserRow]:
    query = select(UserRow).order_by(col(UserRow.active).desc(), col(UserRow.username))
    return (await session.exec(query)).all()


async def is_active_user(session: AsyncSession, user_id: str) -> bool:
    query = select(UserRow.active).where(col(UserRow.id) == user_id)
    return bool((await session.exec(query)).first())


async def recent_failures(
    session: AsyncSession, username: str, address: str | None, since: datetime
) -> tuple[int, datetime | None]:
    """How many sign-ins failed for this username (from ``address``; ``None``: from any address) since
    ``since``, and the earliest."""
    conditions = [col(LoginFailureRow.username) == username, col(LoginFailureRow.at) >= since]
    if address is not None:
        conditions.append(col(LoginFailureRow.address) == address)
    query = select(func.count(), func.min(LoginFailureRow.at)).where(*conditions)
    count, earliest = (await session.exec(query)).one()
    return int(count), earliest


async def forget_failures(
    session: AsyncSession, username: str, address: str | None, before: datetime
) -> None:
    """Drop failures older than ``before`` for the username, and all of them for ``address`` if given."""
    old = col(LoginFailureRow.at) < before
    condition = sa.or_(old, col(LoginFailureRow.address) == address) if address is not None else old
    await session.exec(delete(LoginFailureRow).where(col(LoginFailureRow.username) == username, condition))


async def user_names(session: AsyncSession, user_ids: Iterable[str]) -> dict[str, str]:
    """Display names of local accounts by pseudonymous id (for pages; never for events)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    query = select(UserRow.id, UserRow.name).where(col(UserRow.id).in_(ids))
    return dict((await session.exec(query)).all())


async def delete_expired_credentials(session: AsyncSession, kind: str, *, before: datetime) -> int:
    """Delete the credentials of ``kind`` that expired before ``before``; how many were deleted."""
    query = delete(CredentialRow).where(
        col(CredentialRow.kind) == kind,
        col(CredentialRow.expires_at).is_not(None),
        col(CredentialRow.expires_at) < before,
    )
    result = await session.exec(query)
    return int(result.rowcount or 0)
