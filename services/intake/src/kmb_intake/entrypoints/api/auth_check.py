"""``GET /internal/auth/check``: the other services ask whether a credential is still valid.

The caller forwards the credential exactly as it received it (the ``Authorization`` header or the
session cookie); intake verifies the signature itself and applies its rule (ended, account inactive or
renewed, expired; :func:`kmb_intake.application.accounts.credential_state`). It always answers 200 with
the verdict, so a refusal is never mistaken for intake being unreachable.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from kmb_shared.auth import principal_of
from kmb_shared.sessions import CHECK_PATH

from ..security import check_credential

router = APIRouter(tags=["internal"])


class CheckOut(BaseModel):
    active: bool
    reason: str = Field(
        description="active, logout, revoked, user_inactive, superseded (issued before the account's "
        "credentials were renewed), expired, invalid (no credential, forged, or past its age) "
    )


@router.get(CHECK_PATH, response_model=CheckOut)
async def auth_check(request: Request) -> CheckOut:
    """Whether the credential sent (bearer token or session cookie) is still valid on every service."""
    principal = principal_of(request)
    if principal is None:
        return CheckOut(active=False, reason="invalid")
    state = await check_credential(request, principal)
    return CheckOut(active=state.active, reason=state.reason)
