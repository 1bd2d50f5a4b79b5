"""Who may call what on intake, checked on the server for every request.

Personal data (cases, contacts) is for workers; auditors may read it; analysts, partners, catalogue
editors and administrators get 403. Every case whose personal data a response shows is written to
the view log. A session or token that intake's rule refuses (ended, its account inactive or renewed,
expired; :func:`kmb_intake.application.accounts.credential_state`) stops working at once here: intake
keeps the accounts and checks its own database; the other services ask it (``/internal/auth/check``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal, Role, require, unauthenticated
from kmb_shared.service import get_runtime
from kmb_shared.sessions import Verdict

from ..adapters.tables import CaseRow
from ..adapters.views import view_rows
from ..application.accounts import CredentialState, credential_state

CASE_WRITERS = (Role.WORKER,)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(setting: str) -> tuple[Network, ...]:
    """``KMB_TRUSTED_PROXIES`` (comma-separated addresses or networks) parsed; bad entries are skipped."""
    networks = []
    for item in setting.split(","):
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _within(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The client's address: the connecting peer, unless the peer is a trusted proxy; then the nearest
    address in ``X-Forwarded-For`` that is not itself a trusted proxy (read from the right, as each proxy
    appends the address it saw). With no trusted proxies the header is never read."""
    address = peer or "unknown"
    if not trusted or not _within(address, trusted) or not forwarded_for:
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        address = hop
        if not _within(hop, trusted):
            break
    return address


CASE_READERS = (Role.WORKER, Role.AUDITOR)


def signed_out() -> HTTPException:
    return unauthenticated()


async def check_credential(request: Request, principal: Principal) -> CredentialState:
    """Intake's rule on the request's credential, from its own database (once per request)."""
    cached = getattr(request.state, "credential_state", None)
    if cached is None:
        from .deps import accounts_of  # (deps imports this module)

        async with get_runtime(request).db.session() as session:
            cached = await credential_state(accounts_of(request, session), principal, now=datetime.now(UTC))
        request.state.credential_state = cached
    return cached  # type: ignore[no-any-return]


class OwnRecords:
    """Intake's session checker (``app.state.session_checker``): its own database, no HTTP."""

    async def check(self, request: Request, principal: Principal) -> Verdict:
        state = await check_credential(request, principal)
        return Verdict(state.active, state.reason)


async def still_active(request: Request, principal: Principal) -> bool:
    """The session or token is still valid (not ended, its account active and not renewed since)."""
    return (await check_credential(request, principal)).active


def guard(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """The shared role and CSRF check, plus: the session's account is still active."""
    check = require(*roles)

    async def dependency(request: Request) -> Principal:
        principal = await check(request)
        if not await still_active(request, principal):
            raise signed_out()
        return principal

    return dependency


as_worker = guard(*CASE_WRITERS)
as_reader = guard(*CASE_READERS)
as_admin = guard(Role.ADMIN)
as_auditor = guard(Role.AUDITOR)
as_anyone = guard()

WorkerDep = Annotated[Principal, Depends(as_worker)]
ReaderDep = Annotated[Principal, Depends(as_reader)]
AdminDep = Annotated[Principal, Depends(as_admin)]
AuditorDep = Annotated[Principal, Depends(as_auditor)]
AnyoneDep = Annotated[Principal, Depends(as_anyone)]


def log_views(
    session: AsyncSession,
    principal: Principal,
    cases: Iterable[CaseRow],
    *,
    kind: str,
    channel: str,
    at: datetime,
) -> None:
    """Record that ``principal`` saw the personal data of ``cases`` (commit with the request)."""
    session.add_all(
        view_rows(
            ((case.id, case.number) for case in cases),
            user_id=principal.user_id,
            organisation=principal.organisation,
            at=at,
            kind=kind,
            channel=channel,
        )
    )
