"""API tokens for partner organisations (role ``partner``, the partner's slug: the token opens that
partner's inbox and nothing else). Intake issues them, as the signed-in administrator, and records them:
they expire, are listed on intake's users page and ``GET /api/tokens``, and are revoked there one by one.
The token itself is shown once and never stored."""

from __future__ import annotations

from datetime import datetime

from fastapi import HTTPException
from pydantic import BaseModel, Field

from ..adapters.intake_client import IntakeUnavailable, TokenRefused
from ..application.deps import ReferralsDeps
from ..application.partners import issue_partner_token as issue
from ..application.ports import ReferralStore

INTAKE_UNAVAILABLE = {
    "code": "intake_unavailable",
    "message_cs": "Tokeny vydává služba příjmu, která teď neodpovídá; zkuste to prosím za chvíli.",
    "message_en": "Tokens are issued by the intake service, which does not answer now; please try again shortly.",
}


class PartnerTokenOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'; shown only this once")
    id: str = Field(description="The token's id: intake lists it and revokes it by this id")
    user_id: str = Field(description="The id the token acts under (recorded as the actor of its steps)")
    organisation: str
    roles: list[str]
    expires_at: datetime


async def issue_partner_token(
    deps: ReferralsDeps, store: ReferralStore, slug: str, credentials: dict[str, str]
) -> PartnerTokenOut:
    """The token, or HTTPException: 503 when intake does not answer, intake's own 401/403 otherwise."""
    try:
        return PartnerTokenOut.model_validate(await issue(deps, store, slug, credentials))
    except IntakeUnavailable as exc:
        raise HTTPException(status_code=503, detail=INTAKE_UNAVAILABLE) from exc
    except TokenRefused as exc:
        raise HTTPException(status_code=exc.status, detail=exc.detail or None) from exc
