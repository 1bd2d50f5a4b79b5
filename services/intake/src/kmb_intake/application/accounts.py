"""Account commands: create, (de)activate, sign in with throttling, issue API tokens.

Each works in the caller's session; the caller commits.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import uuid4

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import ROLE_LABELS, Role, Signer
from kmb_shared.errors import ConflictError, NotFoundError

from ..adapters.accounts import (
    ApiTokenRow,
    LoginFailureRow,
    UserRow,
    forget_failures,
    recent_failures,
    user_by_username,
)
from ..adapters.passwords import hash_password, verify_password
from ..domain.accounts import TokenIn, UserIn

USERNAME_KEY_LENGTH = 50
ADDRESS_LENGTH = 64


class UsernameTaken(ConflictError):
    def __init__(self, username: str) -> None:
        super().__init__(
            "username_taken",
            f"Uživatelské jméno „{username}“ už existuje.",
            f"The username '{username}' already exists.",
        )


class CannotDeactivateSelf(ConflictError):
    def __init__(self) -> None:
        super().__init__(
            "cannot_deactivate_self",
            "Vlastní účet deaktivovat nelze (přihlásil by se už jen jiný administrátor).",
            "You cannot deactivate your own account.",
        )


async def create_user(session: AsyncSession, body: UserIn, *, by: str, now: datetime) -> UserRow:
    """A new active account with the password hashed by argon2 (409 if the username is taken)."""
    if await user_by_username(session, body.username) is not None:
        raise UsernameTaken(body.username)
    user = UserRow(
        username=body.username,
        name=body.name,
        password_hash=await hash_password(body.password),
        roles=json.dumps(list(body.roles)),
        organisation=body.organisation,
        created_at=now,
        created_by=by,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request took the name first
        raise UsernameTaken(body.username) from exc
    return user


async def set_active(session: AsyncSession, user_id: str, active: bool, *, by: str, now: datetime) -> UserRow:
    """Activate or deactivate an account; a deactivated user can no longer sign in or use a session."""
    user = await session.get(UserRow, user_id)
    if user is None:
        raise NotFoundError("Uživatel", "User")
    if not active and user_id == by:
        raise CannotDeactivateSelf()
    user.active, user.updated_at, user.updated_by = active, now, by
    session.add(user)
    await session.flush()
    return user


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    INACTIVE = "inactive"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class Throttle:
    #: failures of one username from one address
    max_failures: int
    window: timedelta
    #: failures of one username from any address (a spread-out guess at one account)
    max_account_failures: int = 20


@dataclass(frozen=True)
class SignIn:
    outcome: Outcome
    user: UserRow | None = None
    retry_after_s: int = 0


async def sign_in(
    session: AsyncSession,
    username: str,
    password: str,
    *,
    address: str,
    now: datetime,
    throttle: Throttle,
) -> SignIn:
    """Check a username and password. After ``max_failures`` failures of one username from one address,
    or ``max_account_failures`` from all addresses together, within the window, every attempt is refused
    (THROTTLED) until the earliest of those failures leaves the window, without even checking the
    password. A success forgets that address's failures."""
    key = username.strip().lower()[:USERNAME_KEY_LENGTH]
    address = address[:ADDRESS_LENGTH]
    since = now - throttle.window
    for scope, limit in ((address, throttle.max_failures), (None, throttle.max_account_failures)):
        failures, earliest = await recent_failures(session, key, scope, since)
        if failures >= limit and earliest is not None:
            earliest = earliest if earliest.tzinfo else earliest.replace(tzinfo=now.tzinfo)
            wait = (earliest + throttle.window - now).total_seconds()
            return SignIn(Outcome.THROTTLED, retry_after_s=max(1, math.ceil(wait)))
    user = await user_by_username(session, key)
    if not await verify_password(user.password_hash if user else None, password):
        await forget_failures(session, key, None, before=since)
        session.add(LoginFailureRow(username=key, address=address, at=now))
        return SignIn(Outcome.WRONG)
    assert user is not None
    if not user.active:
        return SignIn(Outcome.INACTIVE, user)
    await forget_failures(session, key, address, before=since)
    return SignIn(Outcome.OK, user)


#: roles that read personal data: a token may carry them only if its issuer holds them too
PERSONAL_DATA_ROLES: frozenset[str] = frozenset({Role.WORKER, Role.AUDITOR})


class TokenRightsExceeded(Exception):
    """The token would read personal data its issuer may not (403)."""

    code = "token_rights_exceeded"

    def __init__(self, roles: frozenset[str]) -> None:
        self.roles = sorted(roles)
        super().__init__(self.code)
        self.message_cs = (
            "Token nemůže nést roli, která čte osobní údaje a kterou sami nemáte: "
            + ", ".join(ROLE_LABELS[role] for role in self.roles)
            + "."
        )
        self.message_en = (
            "A token cannot carry a role that reads personal data you do not hold yourself: "
            + ", ".join(self.roles)
            + "."
        )


def ungrantable(issuer_roles: frozenset[str], roles: tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """The roles of ``roles`` that give rights to personal data ``issuer_roles`` do not give."""
    return frozenset(roles) & PERSONAL_DATA_ROLES - issuer_roles


@dataclass(frozen=True)
class IssuedToken:
    token: str
    row: ApiTokenRow


async def issue_token(
    session: AsyncSession,
    signer: Signer,
    body: TokenIn,
    *,
    by: str,
    now: datetime,
    issuer_roles: frozenset[str] = frozenset(),
) -> IssuedToken:
    """A signed API token for an organisation's system; the issue is recorded (the token is not).
    Refused (:class:`TokenRightsExceeded`) when it would carry a personal-data role the issuer lacks."""
    excess = ungrantable(issuer_roles, body.roles)
    if excess:
        raise TokenRightsExceeded(excess)
    user_id = f"api-{body.organisation[:80]}-{uuid4().hex[:8]}"
    row = ApiTokenRow(
        id=user_id,
        organisation=body.organisation,
        roles=json.dumps(list(body.roles)),
        issued_at=now,
        issued_by=by,
    )
    session.add(row)
    return IssuedToken(signer.api_token(user_id, set(body.roles), body.organisation), row)
