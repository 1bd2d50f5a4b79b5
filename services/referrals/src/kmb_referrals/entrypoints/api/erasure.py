"""What intake asks before it erases a case's personal data: how many of the case's referrals are still
open (made or accepted), as a number and nothing else. Administrators only, within their organisation
(intake asks with a token naming the case's organisation)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ...application import queries
from ...domain import OPEN_STATES
from ..access import AdminDep
from ..deps import Deps, UowDep

router = APIRouter(prefix="/api", tags=["erasure"])


class OpenReferralsOut(BaseModel):
    case_id: UUID
    open: int = Field(ge=0, description="Referrals of the case still made or accepted (cancel them first)")


@router.get("/cases/{case_id}/open-referrals", response_model=OpenReferralsOut)
async def open_referrals(case_id: UUID, principal: AdminDep, deps: Deps, uow: UowDep) -> OpenReferralsOut:
    """How many referrals of the case (of the caller's organisation) are open."""
    where = queries.ReferralFilter(organisation=principal.organisation, case_id=case_id, limit=1000)
    rows = await queries.referrals(uow.store, where, deps.today())
    return OpenReferralsOut(case_id=case_id, open=sum(1 for row in rows if row.status in OPEN_STATES))
