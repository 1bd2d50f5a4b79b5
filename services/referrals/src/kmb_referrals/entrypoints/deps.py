"""Request-scoped inputs of the use cases, shared by the API and the pages: the service's
dependencies, a unit of work per request, today, and the caller's sign-in passed on to peers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from kmb_shared.auth import CSRF_HEADER, SESSION_COOKIE

from ..application.deps import ReferralsDeps
from ..application.ports import UnitOfWork

#: where ``bootstrap`` puts the service's dependencies on the app
DEPS_STATE = "referrals"


def deps_of(request: Request) -> ReferralsDeps:
    deps = getattr(request.app.state, DEPS_STATE)
    assert isinstance(deps, ReferralsDeps)
    return deps


async def unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """One transaction per request; the use case commits it (else it is rolled back)."""
    async with deps_of(request).uow() as uow:
        yield uow


def credentials(request: Request) -> dict[str, str]:
    """The caller's sign-in (bearer token or session cookie), passed on when intake is asked for names,
    so that intake checks the caller's own right to the case."""
    out = {}
    if request.headers.get("authorization"):
        out["Authorization"] = request.headers["authorization"]
    if SESSION_COOKIE in request.cookies:
        out["Cookie"] = f"{SESSION_COOKIE}={request.cookies[SESSION_COOKIE]}"
        if request.headers.get(CSRF_HEADER):  # a change asked of a peer with the cookie needs it too
            out[CSRF_HEADER] = request.headers[CSRF_HEADER]
    return out


Deps = Annotated[ReferralsDeps, Depends(deps_of)]
UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]
CredentialsDep = Annotated[dict[str, str], Depends(credentials)]
