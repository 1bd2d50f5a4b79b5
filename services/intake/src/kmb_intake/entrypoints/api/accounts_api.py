"""HTTP API of accounts (administrators), API tokens for organisations, the caller itself, and the
log of views of personal data (auditors)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import SessionDep
from kmb_shared.web.params import Offset, limit_query

from ...application.accounts import (
    TokenRightsExceeded,
    change_password,
    change_roles,
    create_user,
    revoke_token,
    set_active,
    token_status,
)
from ...application.ports import AccountStore
from ...application.queries import CaseViewRow, CredentialRow, UserRow, all_users, find_views, tokens_issued
from ...domain.accounts import PasswordIn, RolesIn, TokenIn, UserIn
from ..deps import Accounts, issue_token_as
from ..schemas import UtcDateTime
from ..security import AdminDep, AnyoneDep, AuditorDep

router = APIRouter(prefix="/api", tags=["accounts"])


class UserOut(BaseModel):
    id: str = Field(description="Pseudonymous user id (what events and logs name)")
    username: str
    name: str
    roles: list[str]
    organisation: str
    active: bool
    created_at: UtcDateTime

    @classmethod
    def of(cls, row: UserRow) -> UserOut:
        return cls(
            id=row.id,
            username=row.username,
            name=row.name,
            roles=sorted(row.role_set),
            organisation=row.organisation,
            active=row.active,
            created_at=row.created_at,
        )


class TokenOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'")
    user_id: str
    organisation: str
    roles: list[str]
    id: str = Field(description="The token's id, to revoke it by (DELETE /api/tokens/{id})")
    expires_at: UtcDateTime


class TokenRecordOut(BaseModel):
    """An API token as intake recorded it (never the token itself)."""

    id: str = Field(description="The token's id (its 's'), to revoke it by")
    user_id: str = Field(description="The id the token acts under ('' if intake did not issue it)")
    organisation: str
    roles: list[str]
    issued_by: str
    created_at: UtcDateTime = Field(description="Issued (or, for a token intake did not issue, revoked)")
    expires_at: UtcDateTime | None
    ended_at: UtcDateTime | None
    status: str = Field(description="active, revoked or expired")

    @classmethod
    def of(cls, row: CredentialRow, now: datetime) -> TokenRecordOut:
        fields = row.model_dump(
            include={"id", "user_id", "issued_by", "created_at", "expires_at", "ended_at"}
        )
        status = token_status(row, now)
        return cls(**fields, organisation=row.label, roles=sorted(row.role_set), status=status)


#: a credential's id: uuid4 hex, as kmb_shared.auth.new_credential_id makes it
TokenId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="The token's id (32 hex digits)")]


class MeOut(BaseModel):
    user_id: str
    name: str
    roles: list[str]
    organisation: str
    via: str = Field(description="session (cookie) or token")
    csrf_token: str | None = Field(
        default=None, description="Signed in by cookie: send it as X-CSRF-Token with every change"
    )


class ViewOut(BaseModel):
    case_id: UUID
    case_number: str
    viewed_at: UtcDateTime
    user_id: str
    organisation: str
    kind: str = Field(description="detail, search or list")
    channel: str = Field(description="api or page")

    @classmethod
    def of(cls, row: CaseViewRow) -> ViewOut:
        return cls.model_validate(row, from_attributes=True)


@router.get("/me", response_model=MeOut, tags=["accounts"])
async def me(principal: AnyoneDep) -> MeOut:
    """Who is signed in (any role)."""
    return MeOut(
        user_id=principal.user_id,
        name=principal.name,
        roles=sorted(principal.roles),
        organisation=principal.organisation,
        via=principal.via,
        csrf_token=principal.csrf or None,
    )


@router.get("/users", response_model=list[UserOut])
async def list_users(principal: AdminDep, session: AsyncSession = SessionDep) -> list[UserOut]:
    """Every account, active ones first."""
    return [UserOut.of(row) for row in await all_users(session)]


@router.post("/users", status_code=201, response_model=UserOut)
async def add_user(
    body: UserIn, principal: AdminDep, accounts: Accounts, session: AsyncSession = SessionDep
) -> UserOut:
    """Create an account (409 if the username exists)."""
    return await _saved(session, create_user(accounts, body, by=principal.user_id, now=datetime.now(UTC)))


@router.post("/users/{user_id}/deactivate", response_model=UserOut)
async def deactivate_user(
    user_id: str, principal: AdminDep, accounts: Accounts, session: AsyncSession = SessionDep
) -> UserOut:
    """The account can no longer sign in; its sessions and tokens stop working on every service within
    seconds (they ask intake, caching its answer for at most 2 s)."""
    now = datetime.now(UTC)
    return await _saved(session, set_active(accounts, user_id, False, by=principal.user_id, now=now))


@router.post("/users/{user_id}/activate", response_model=UserOut)
async def activate_user(
    user_id: str, principal: AdminDep, accounts: Accounts, session: AsyncSession = SessionDep
) -> UserOut:
    now = datetime.now(UTC)
    return await _saved(session, set_active(accounts, user_id, True, by=principal.user_id, now=now))


async def _saved(session: AsyncSession, change: Awaitable[UserRow]) -> UserOut:
    user = await change
    await session.commit()
    return UserOut.of(user)


@router.put("/users/{user_id}/password", response_model=UserOut)
async def set_password(
    user_id: str,
    body: PasswordIn,
    principal: AdminDep,
    accounts: Accounts,
    session: AsyncSession = SessionDep,
) -> UserOut:
    """A new password; every earlier session and token of the account ends on every service."""
    now = datetime.now(UTC)
    return await _saved(
        session, change_password(accounts, user_id, body.password, by=principal.user_id, now=now)
    )


@router.put("/users/{user_id}/roles", response_model=UserOut)
async def set_roles(
    user_id: str, body: RolesIn, principal: AdminDep, accounts: Accounts, session: AsyncSession = SessionDep
) -> UserOut:
    """New roles; every earlier session and token of the account ends on every service (they carry the
    old roles), so the user signs in again."""
    now = datetime.now(UTC)
    return await _saved(session, change_roles(accounts, user_id, body.roles, by=principal.user_id, now=now))


@router.post("/tokens", status_code=201, response_model=TokenOut)
async def new_token(
    body: TokenIn, principal: AdminDep, request: Request, session: AsyncSession = SessionDep
) -> TokenOut:
    """An API token for an organisation's system (e.g. a partner), signed with the shared secret and
    valid on every service. The issue is recorded; the token itself is shown only here. A role that
    reads personal data (worker, auditor) only from an issuer who holds it (403 otherwise)."""
    try:
        issued = await issue_token_as(request, session, body, principal)
    except TokenRightsExceeded as exc:
        detail = {"code": exc.code, "message_cs": exc.message_cs, "message_en": exc.message_en}
        raise HTTPException(status_code=403, detail=detail) from exc
    await session.commit()
    expires_at = issued.credential.expires_at
    assert expires_at is not None
    return TokenOut(
        token=issued.token,
        user_id=issued.row.id,
        organisation=body.organisation,
        roles=list(body.roles),
        id=issued.credential.id,
        expires_at=expires_at,
    )


@router.get("/tokens", response_model=list[TokenRecordOut])
async def list_tokens(principal: AdminDep, session: AsyncSession = SessionDep) -> list[TokenRecordOut]:
    """The API tokens intake issued (and those revoked by id), the newest first: who for, roles, expiry,
    whether still valid. Never the tokens themselves."""
    now = datetime.now(UTC)
    return [TokenRecordOut.of(row, now) for row in await tokens_issued(session)]


async def _revoke(token_id: str, accounts: AccountStore, session: AsyncSession) -> TokenRecordOut:
    now = datetime.now(UTC)
    row = await revoke_token(accounts, token_id, now=now)
    await session.commit()
    return TokenRecordOut.of(row, now)


@router.post("/tokens/{token_id}/revoke", response_model=TokenRecordOut)
async def revoke(
    token_id: TokenId, principal: AdminDep, accounts: Accounts, session: AsyncSession = SessionDep
) -> TokenRecordOut:
    """Revoke a token by its id: refused by every service within seconds. An id intake did not issue
    (a token signed with the secret elsewhere, e.g. ``kmb token``) is recorded as revoked too."""
    return await _revoke(token_id, accounts, session)


@router.delete("/tokens/{token_id}", response_model=TokenRecordOut)
async def delete_token(
    token_id: TokenId, principal: AdminDep, accounts: Accounts, session: AsyncSession = SessionDep
) -> TokenRecordOut:
    """The same as ``POST /api/tokens/{token_id}/revoke``."""
    return await _revoke(token_id, accounts, session)


@router.get("/audit/views", response_model=list[ViewOut], tags=["audit"])
async def case_views(
    principal: AuditorDep,
    case_id: UUID | None = None,
    user: Annotated[str | None, Query(max_length=100, description="Pseudonymous user id")] = None,
    limit: Annotated[int, limit_query(1000, "views")] = 200,
    offset: Offset = 0,
    session: AsyncSession = SessionDep,
) -> list[ViewOut]:
    """Who saw which case's personal data and when (the organisation's users), the latest first."""
    rows = await find_views(
        session,
        organisation=principal.organisation,
        case_id=case_id,
        user_id=user,
        limit=limit,
        offset=offset,
    )
    return [ViewOut.of(row) for row in rows]
