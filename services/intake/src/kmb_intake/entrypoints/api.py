"""Intake's HTTP API: open a case for a household."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.actors import current_actor
from kmb_shared.contracts import Actor, CaseOpened, HouseholdSnapshot, MemberSnapshot
from kmb_shared.errors import NotFoundError
from kmb_shared.service import Runtime, RuntimeDep, SessionDep

from ..adapters.tables import CaseNumberCounter, CaseRow

router = APIRouter(prefix="/api", tags=["cases"])


class MemberIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    birth_date: date
    relationship: str = Field(default="applicant", max_length=40)


class CaseIn(BaseModel):
    members: list[MemberIn] = Field(min_length=1)
    district: str | None = Field(default=None, max_length=100)
    orp_code: str | None = Field(default=None, pattern=r"^\d{4}$")
    income_monthly: int = Field(default=0, ge=0)
    rent_monthly: int = Field(default=0, ge=0)


class CaseOut(BaseModel):
    id: UUID
    number: str
    status: str


def age_band(born: date, today: date) -> str:
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    for upper, band in ((5, "0-5"), (14, "6-14"), (17, "15-17"), (25, "18-25"), (64, "26-64")):
        if age <= upper:
            return band
    return "65+"


async def next_case_number(session: AsyncSession, year: int) -> str:
    """Allocate the next ``KMB-<year>-<5 digits>``; atomic, never reused (a rolled-back number is skipped
    only if the counter row committed, which it does not: the counter shares the case's transaction)."""
    result = await session.execute(
        text("UPDATE intake_case_number SET last = last + 1 WHERE year = :y RETURNING last"), {"y": year}
    )
    row = result.first()
    if row is None:
        session.add(CaseNumberCounter(year=year, last=1))
        await session.flush()
        seq = 1
    else:
        seq = int(row[0])
    return f"KMB-{year}-{seq:05d}"


@router.post("/cases", status_code=201, response_model=CaseOut)
async def open_case(
    body: CaseIn,
    actor: Annotated[Actor, Depends(current_actor)],
    runtime: Runtime = RuntimeDep,
    session: AsyncSession = SessionDep,
) -> CaseOut:
    today = datetime.now(UTC).date()
    snapshot = HouseholdSnapshot(
        members=tuple(
            MemberSnapshot(age_band=age_band(m.birth_date, today), relationship=m.relationship)
            for m in body.members
        ),
        district=body.district,
        orp_code=body.orp_code,
        income_monthly=body.income_monthly,
        rent_monthly=body.rent_monthly,
    )
    for attempt in range(3):
        try:
            number = await next_case_number(session, today.year)
            case = CaseRow(
                number=number,
                status="open",
                district=body.district,
                orp_code=body.orp_code,
                household=body.model_dump_json(),
                worker_id=actor.user_id,
            )
            session.add(case)
            runtime.outbox.stage(
                session, CaseOpened(case_id=case.id, case_number=number, household=snapshot, actor=actor)
            )
            await runtime.commit(session)
            return CaseOut(id=case.id, number=number, status=case.status)
        except IntegrityError:
            await session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@router.get("/cases/{case_id}", response_model=CaseOut)
async def get_case(case_id: UUID, session: AsyncSession = SessionDep) -> CaseOut:
    case = await session.get(CaseRow, case_id)
    if case is None:
        raise NotFoundError("Případ", "Case")
    return CaseOut(id=case.id, number=case.number, status=case.status)
