"""Who may call what on referrals, checked on the server for every request.

- workers: make referrals and case conferences, record any lifecycle step (cancel is theirs alone),
  read the lists, referrals and alerts, dismiss alerts — all only on their own organisation's cases
  (another organisation's case or referral is not found, 404, as in intake);
- auditors: read the lists, referrals, alerts (their organisation's cases) and partners, change nothing;
- administrators: the partner registry (register, change, demo partners) and reading it;
- partner users and partner API tokens (role ``partner``, organisation = the partner's slug): only
  ``/api/partner/<their slug>/...`` (another slug 403), their own record in the registry, and
  accept / decline / complete / binding opinion on their own referrals (another partner's: 404);
- a deactivated partner's users and API tokens: nothing (403, ``partner_inactive``);
- analysts and catalogue editors: nothing here (403).

Sessions carry a CSRF token that every unsafe request must send back (the shared check). Every change
records ``principal.actor`` as its actor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from kmb_shared.auth import Principal, Role, require, require_organisation

from ..application.errors import PartnerInactive
from ..application.partners import refuse_inactive_partner
from .deps import UowDep

WORKERS: tuple[str, ...] = (Role.WORKER,)
READERS: tuple[str, ...] = (Role.WORKER, Role.AUDITOR)
ANSWERERS: tuple[str, ...] = (Role.WORKER, Role.PARTNER)
REGISTRY_READERS: tuple[str, ...] = (Role.WORKER, Role.ADMIN, Role.AUDITOR)
ADMINS: tuple[str, ...] = (Role.ADMIN,)

as_worker = require(*WORKERS)
as_reader = require(*READERS)


async def active_partner(principal: Principal, uow: UowDep) -> None:
    """A partner principal (user or API token) of a deactivated partner is refused (403) on every route."""
    if principal.has(Role.PARTNER) and not principal.has(*REGISTRY_READERS):
        await refuse_inactive_partner(uow.store, principal.organisation)


def require_active(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """:func:`require` for routes partners may call, plus :func:`active_partner`."""
    signed_in = require(*roles)

    async def dependency(request: Request, uow: UowDep) -> Principal:
        principal = await signed_in(request)
        try:
            await active_partner(principal, uow)
        except PartnerInactive as exc:
            detail = {"code": exc.code, "message_cs": exc.message_cs, "message_en": exc.message_en}
            raise HTTPException(status_code=403, detail=detail) from exc
        return principal

    return dependency


as_answerer = require_active(*ANSWERERS)
as_registry_reader = require_active(*REGISTRY_READERS, Role.PARTNER)
as_admin = require(*ADMINS)
as_partner = require_active(Role.PARTNER)

WorkerDep = Annotated[Principal, Depends(as_worker)]
ReaderDep = Annotated[Principal, Depends(as_reader)]
AnswererDep = Annotated[Principal, Depends(as_answerer)]
RegistryReaderDep = Annotated[Principal, Depends(as_registry_reader)]
AdminDep = Annotated[Principal, Depends(as_admin)]
PartnerDep = Annotated[Principal, Depends(as_partner)]


def partner_scope(principal: Principal) -> str | None:
    """The one partner whose referrals the caller may touch; None for a worker (any partner)."""
    if principal.has(Role.WORKER):
        return None
    return principal.organisation


def case_scope(principal: Principal) -> str | None:
    """The organisation whose cases' referrals a worker or auditor may read and change (intake's
    events say a case's organisation); None for a partner (scoped by :func:`partner_scope`)."""
    if principal.has(*READERS):
        return principal.organisation
    return None


def sees_whole_registry(principal: Principal) -> bool:
    return principal.has(*REGISTRY_READERS)


async def own_organisation(slug: str, principal: PartnerDep) -> Principal:
    """Partner-side routes: the caller must act for the partner named in the path (403 otherwise)."""
    require_organisation(principal, slug)
    return principal


OwnPartnerDep = Annotated[Principal, Depends(own_organisation)]
