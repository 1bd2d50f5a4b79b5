"""API tokens for partner organisations: signed with the shared secret for the role ``partner`` and the
partner's slug, so the token opens that partner's inbox and nothing else. The token itself is shown
once and never stored; its issue is logged (who, for whom, the token's user id)."""

from __future__ import annotations

import logging
from uuid import uuid4

from fastapi import Request
from pydantic import BaseModel, Field

from kmb_shared.auth import Principal, Role, Signer

log = logging.getLogger(__name__)


class PartnerTokenOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'; shown only this once")
    user_id: str = Field(description="The id the token acts under (recorded as the actor of its steps)")
    organisation: str
    roles: list[str]


def issue_partner_token(request: Request, slug: str, by: Principal) -> PartnerTokenOut:
    signer: Signer = request.app.state.signer
    user_id = f"api-{slug}-{uuid4().hex[:8]}"
    roles = [Role.PARTNER.value]
    token = signer.api_token(user_id, set(roles), slug)
    log.info("referrals: API token %s issued for partner %s by %s", user_id, slug, by.user_id)
    return PartnerTokenOut(token=token, user_id=user_id, organisation=slug, roles=roles)
