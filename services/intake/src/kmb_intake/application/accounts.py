"""Account commands: create, (de)activate, change password or roles, sign in with throttling, issue,
list and revoke API tokens, and the rule deciding whether a session or token is still valid.

Intake keeps the truth about credentials (every service asks it, see :mod:`kmb_shared.sessions`): a
credential is refused when its id was ended (logout, revocation), when its user is an intake account
that is inactive, when it was issued before its user's ``credentials_valid_after`` (set to now by
deactivation, password change and role change), or when it has expired.

Each works on an :class:`~.ports.AccountStore` in the caller's transaction; the caller commits.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from uuid import uuid4

from sqlalchemy.exc import IntegrityError

from kmb_shared.auth import ROLE_LABELS, Principal, Role, Signer, new_credential_id
from kmb_shared.errors import ConflictError, NotFoundError

from ..adapters.accounts import ApiTokenRow, CredentialRow, LoginFailureRow, UserRow
from ..adapters.passwords import hash_password, verify_password
from ..domain.accounts import TokenIn, UserIn
from .ports import AccountStore

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


async def create_user(store: AccountStore, body: UserIn, *, by: str, now: datetime) -> UserRow:
    """A new active account with the password hashed by argon2 (409 if the username is taken)."""
    if await store.user_by_username(body.username) is not None:
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
    store.add(user)
    try:
        await store.flush()
    except IntegrityError as exc:  # a concurrent request took the name first
        raise UsernameTaken(body.username) from exc
    return user


async def set_active(store: AccountStore, user_id: str, active: bool, *, by: str, now: datetime) -> UserRow:
    """Activate or deactivate an account; a deactivated user can no longer sign in or use a session."""
    user = await _user(store, user_id)
    if not active and user_id == by:
        raise CannotDeactivateSelf()
    user.active, user.updated_at, user.updated_by = active, now, by
    if not active:
        user.credentials_valid_after = now  # every session and token of the user ends
    store.add(user)
    await store.flush()
    return user


async def _user(store: AccountStore, user_id: str) -> UserRow:
    user = await store.user(user_id)
    if user is None:
        raise NotFoundError("Uživatel", "User")
    return user


async def _renew(store: AccountStore, user: UserRow, *, by: str, now: datetime) -> UserRow:
    """Store a changed account; every earlier session and token of the user ends."""
    user.updated_at, user.updated_by, user.credentials_valid_after = now, by, now
    store.add(user)
    await store.flush()
    return user


async def change_password(
    store: AccountStore, user_id: str, password: str, *, by: str, now: datetime
) -> UserRow:
    """A new password (hashed by argon2); every earlier session and token of the user ends."""
    user = await _user(store, user_id)
    user.password_hash = await hash_password(password)
    return await _renew(store, user, by=by, now=now)


async def change_roles(
    store: AccountStore, user_id: str, roles: tuple[str, ...], *, by: str, now: datetime
) -> UserRow:
    """New roles; every earlier session and token of the user ends (they carry the old roles)."""
    user = await _user(store, user_id)
    user.roles = json.dumps(list(roles))
    return await _renew(store, user, by=by, now=now)


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
    store: AccountStore,
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
        failures, earliest = await store.recent_failures(key, scope, since)
        if failures >= limit and earliest is not None:
            earliest = earliest if earliest.tzinfo else earliest.replace(tzinfo=now.tzinfo)
            wait = (earliest + throttle.window - now).total_seconds()
            return SignIn(Outcome.THROTTLED, retry_after_s=max(1, math.ceil(wait)))
    user = await store.user_by_username(key)
    if not await verify_password(user.password_hash if user else None, password):
        await store.forget_failures(key, None, since)
        store.add(LoginFailureRow(username=key, address=address, at=now))
        return SignIn(Outcome.WRONG)
    assert user is not None
    if not user.active:
        return SignIn(Outcome.INACTIVE, user)
    await store.forget_failures(key, address, since)
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
    credential: CredentialRow


def check_token_rights(issuer_roles: frozenset[str], roles: tuple[str, ...] | frozenset[str]) -> None:
    """Raise :class:`TokenRightsExceeded` when a token would carry a personal-data role its issuer lacks."""
    excess = ungrantable(issuer_roles, roles)
    if excess:
        raise TokenRightsExceeded(excess)


async def issue_token(
    store: AccountStore,
    signer: Signer,
    body: TokenIn,
    *,
    issuer: Principal,
    now: datetime,
    days: float,
) -> IssuedToken:
    """A signed API token for an organisation's system, valid ``days``; the issue and the token's id are
    recorded (never the token). Refused (:class:`TokenRightsExceeded`) when it would carry a
    personal-data role the issuer lacks."""
    check_token_rights(issuer.roles, body.roles)
    user_id = f"api-{body.organisation[:80]}-{uuid4().hex[:8]}"
    roles = json.dumps(list(body.roles))
    row = ApiTokenRow(
        id=user_id, organisation=body.organisation, roles=roles, issued_at=now, issued_by=issuer.user_id
    )
    credential = CredentialRow(
        id=new_credential_id(),
        user_id=user_id,
        kind=TOKEN,
        label=body.organisation,
        roles=roles,
        issued_by=issuer.user_id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    store.add(row)
    store.add(credential)
    token = signer.api_token(
        user_id, set(body.roles), body.organisation, days=days, sid=credential.id, now=now.timestamp()
    )
    return IssuedToken(token, row, credential)


SESSION = "session"
TOKEN = "token"


class EndReason(StrEnum):
    LOGOUT = "logout"
    REVOKED = "revoked"


def record_session(store: AccountStore, principal: Principal, *, now: datetime, max_age_s: int) -> None:
    """Remember a session intake just signed (its id, never the cookie), so that it can be ended."""
    if principal.sid is None:
        return
    store.add(
        CredentialRow(
            id=principal.sid,
            user_id=principal.user_id,
            kind=SESSION,
            roles=json.dumps(sorted(principal.roles)),
            issued_by=principal.user_id,
            created_at=now,
            expires_at=now + timedelta(seconds=max_age_s),
        )
    )


async def end_credential(
    store: AccountStore,
    sid: str,
    reason: EndReason,
    *,
    now: datetime,
    kind: str = TOKEN,
    user_id: str = "",
) -> CredentialRow:
    """End the credential ``sid`` (logout, revocation). One intake did not issue (signed elsewhere with
    the secret) is recorded now, ended, so that it is refused too. Ending twice keeps the first end."""
    row = await store.credential(sid)
    if row is None:
        row = CredentialRow(id=sid, user_id=user_id, kind=kind, created_at=now)
    if row.ended_at is None:
        row.ended_at, row.end_reason = now, reason.value
    store.add(row)
    await store.flush()
    return row


async def revoke_token(store: AccountStore, sid: str, *, now: datetime) -> CredentialRow:
    """Revoke the API token ``sid`` on every service (one intake did not issue is recorded, revoked)."""
    return await end_credential(store, sid, EndReason.REVOKED, now=now, kind=TOKEN)


def token_status(row: CredentialRow, now: datetime) -> str:
    """active, revoked (or ended otherwise) or expired, as the list of tokens shows it."""
    if row.ended_at is not None:
        return row.end_reason or EndReason.REVOKED.value
    expires = _aware(row.expires_at)
    return "expired" if expires is not None and expires <= now else "active"


def _aware(at: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


@dataclass(frozen=True)
class CredentialState:
    active: bool
    #: active, logout, revoked, user_inactive, superseded (issued before the user's credentials were
    #: renewed) or expired
    reason: str


ACTIVE = CredentialState(True, "active")


async def credential_state(store: AccountStore, principal: Principal, *, now: datetime) -> CredentialState:
    """Whether the (signature-checked) credential behind ``principal`` is still valid, and why not."""
    row = await store.credential(principal.sid) if principal.sid else None
    if row is not None and row.ended_at is not None:
        return CredentialState(False, row.end_reason or EndReason.REVOKED.value)
    user = await store.user(principal.user_id)
    if user is not None:
        if not user.active:
            return CredentialState(False, "user_inactive")
        valid_after = _aware(user.credentials_valid_after)
        if valid_after is not None:
            issued = _aware(row.created_at) if row is not None else None
            if issued is None and principal.issued_at is not None:
                issued = datetime.fromtimestamp(principal.issued_at, UTC)
            if issued is None or issued < valid_after:
                return CredentialState(False, "superseded")
    expires = _aware(row.expires_at) if row is not None else None
    if expires is not None and expires <= now:
        return CredentialState(False, "expired")
    return ACTIVE


#: how long the record of an expired credential is kept: a session's a day (nothing shows it), a
#: token's a month (the users page still lists it as expired meanwhile)
KEEP_EXPIRED = {SESSION: timedelta(days=1), TOKEN: timedelta(days=30)}


async def prune_credentials(store: AccountStore, *, now: datetime) -> int:
    """Forget the records of credentials long past their expiry (they are refused by their expiry
    alone); a revoked credential whose expiry intake never knew (signed elsewhere) is kept. Returns how
    many were forgotten; the caller commits."""
    gone = 0
    for kind, keep in KEEP_EXPIRED.items():
        gone += await store.delete_expired_credentials(kind, now - keep)
    return gone
