"""Request-scoped inputs of the use cases, shared by the API and the pages: the service's typed
dependencies, the signed-in worker, the time, the cause, the expected version, and the caller's
sign-in passed on to peers."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.exceptions import RequestValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import SESSION_COOKIE, Principal
from kmb_shared.service import SessionDep
from kmb_shared.telemetry import request_cause

from ..application.accounts import IssuedToken, issue_token
from ..application.cases import CommandContext
from ..application.deps import IntakeDeps
from ..application.ports import AccountStore, CaseStore
from ..domain.accounts import TokenIn
from .security import WorkerDep

_VERSION = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')
#: where ``bootstrap`` puts the service's dependencies on the app
DEPS_STATE = "intake"


def deps_of(request: Request) -> IntakeDeps:
    deps = getattr(request.app.state, DEPS_STATE)
    assert isinstance(deps, IntakeDeps)
    return deps


def store_of(request: Request, session: AsyncSession) -> CaseStore:
    """The case store in the request's session (the caller commits it)."""
    return deps_of(request).store(session)


def accounts_of(request: Request, session: AsyncSession) -> AccountStore:
    """The account store in the request's session (the caller commits it)."""
    return deps_of(request).accounts(session)


def accounts_dep(request: Request, session: AsyncSession = SessionDep) -> AccountStore:
    """The account store in the request's session (the same session the route gets)."""
    return accounts_of(request, session)


#: the account store of a route, in the route's session
Accounts = Annotated[AccountStore, Depends(accounts_dep)]


def store_dep(request: Request, session: AsyncSession = SessionDep) -> CaseStore:
    """The case store in the request's session (the same session the route gets)."""
    return store_of(request, session)


def credentials(request: Request) -> dict[str, str]:
    """The caller's sign-in (bearer token, else the session cookie), passed on when a page reads a
    peer, so that the peer checks the caller's own roles."""
    authorization = request.headers.get("authorization")
    if authorization:
        return {"Authorization": authorization}
    cookie = request.cookies.get(SESSION_COOKIE)
    return {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}


async def issue_token_as(
    request: Request, session: AsyncSession, body: TokenIn, principal: Principal
) -> IssuedToken:
    """Issue an API token by ``principal`` (the API and the admin page): valid ``KMB_API_TOKEN_DAYS``,
    refused with :class:`TokenRightsExceeded` beyond the issuer's rights to personal data."""
    deps = deps_of(request)
    return await issue_token(
        accounts_of(request, session),
        request.app.state.signer,
        body,
        issuer=principal,
        now=deps.clock.now(),
        days=deps.settings.api_token_days,
    )


def context_of(request: Request, principal: Principal) -> CommandContext:
    """The signed-in caller acts (pseudonymous user id and organisation), now, for this request."""
    return CommandContext(
        actor=principal.actor,
        now=deps_of(request).clock.now(),
        caused_by=request_cause(request),
    )


def command_context(request: Request, principal: WorkerDep) -> CommandContext:
    return context_of(request, principal)


def expected_version(
    if_match: Annotated[
        str | None,
        Header(description='The case version the change is based on, e.g. "3" (from GET or the last change)'),
    ] = None,
) -> int | None:
    """The version in ``If-Match``; ``None`` (no header or ``*``) means "whatever is current"."""
    if if_match is None or if_match.strip() in ("", "*"):
        return None
    match = _VERSION.match(if_match.strip())
    if match is None:
        raise RequestValidationError(
            [
                {
                    "type": "int_parsing",
                    "loc": ("header", "if-match"),
                    "msg": "not a version",
                    "input": if_match,
                }
            ]
        )
    return int(match.group(1))


Deps = Annotated[IntakeDeps, Depends(deps_of)]
StoreDep = Annotated[CaseStore, Depends(store_dep)]
CommandDep = Annotated[CommandContext, Depends(command_context)]
ExpectedVersionDep = Annotated[int | None, Depends(expected_version)]
