"""Referrals' HTTP API: refer a case to a partner."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.actors import current_actor
from kmb_shared.contracts import Actor, ReferralMade
from kmb_shared.errors import NotFoundError
from kmb_shared.service import Runtime, RuntimeDep, SessionDep

from ..adapters.tables import ReferralRow

router = APIRouter(prefix="/api", tags=["referrals"])


class ReferralIn(BaseModel):
    case_id: UUID
    partner: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    kind: str = Field(pattern=r"^[a-z_]{2,40}$")
    solution_id: UUID | None = None


class ReferralOut(BaseModel):
    id: UUID
    case_id: UUID
    partner: str
    kind: str
    status: str


@router.post("/referrals", status_code=201, response_model=ReferralOut)
async def make_referral(
    body: ReferralIn,
    actor: Annotated[Actor, Depends(current_actor)],
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> ReferralOut:
    row = ReferralRow(case_id=body.case_id, partner=body.partner, kind=body.kind, status="made")
    session.add(row)
    runtime.outbox.stage(
        session,
        ReferralMade(
            case_id=row.case_id,
            referral_id=row.id,
            partner=row.partner,
            kind=row.kind,
            solution_id=body.solution_id,
            actor=actor,
        ),
    )
    await runtime.commit(session)
    return ReferralOut(id=row.id, case_id=row.case_id, partner=row.partner, kind=row.kind, status=row.status)


@router.get("/referrals/{referral_id}", response_model=ReferralOut)
async def get_referral(referral_id: UUID, session: AsyncSession = SessionDep) -> ReferralOut:
    row = await session.get(ReferralRow, referral_id)
    if row is None:
        raise NotFoundError("Doporučení", "Referral")
    return ReferralOut(id=row.id, case_id=row.case_id, partner=row.partner, kind=row.kind, status=row.status)
