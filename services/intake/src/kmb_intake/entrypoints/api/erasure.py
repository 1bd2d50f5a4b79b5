"""HTTP API of erasure and retention (administrators only): erase a closed case's personal data with a
recorded reason; run the retention job now (or as a dry run) and read the reports of its runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal
from kmb_shared.contracts.vocabulary import ERASURE_REASONS
from kmb_shared.service import Runtime, RuntimeDep, SessionDep

from ...adapters.erasure_store import HttpOpenReferrals, SqlErasureStore, erasures, find_case, retention_runs
from ...adapters.erasure_tables import ErasureRow, RetentionRunRow
from ...adapters.peers import HttpPeers
from ...application.erasure import (
    Erasure,
    ReferralsUnavailable,
    erase_case,
    erase_member,
    report_for,
    run_retention,
)
from ...domain.erasure import ErasureIn
from ..deps import deps_of
from ..security import AdminDep

router = APIRouter(tags=["erasure"])

REFERRALS_UNAVAILABLE = {
    "code": "referrals_unavailable",
    "message_cs": "Předávání partnerům teď neodpovídá, nelze ověřit otevřená předání. Nic nebylo vymazáno;"
    " zkuste to za chvíli.",
    "message_en": "Referrals does not answer, so open referrals cannot be checked. Nothing was erased; try"
    " again shortly.",
}
CONFLICTS: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "case_open, case_already_erased, open_referrals (cancel them first); for a member"
        " also applicant_is_the_case, member_already_erased"
    },
    503: {"description": "referrals_unavailable: nothing erased"},
}


#: for the pages (which call no adapter themselves)
retention_reports = retention_runs
list_erasures = erasures
__all__ = ["find_case", "list_erasures", "retention_reports", "router"]


def erasure_parts(
    request: Request, session: AsyncSession, user_id: str
) -> tuple[SqlErasureStore, HttpOpenReferrals]:
    """The erasure store in the request's session, and referrals asked as ``user_id``."""
    runtime: Runtime = request.app.state.runtime
    deps = deps_of(request)
    peers = deps.peers if isinstance(deps.peers, HttpPeers) else HttpPeers(deps.settings, request.app.state)
    return SqlErasureStore(session, runtime.outbox), HttpOpenReferrals(
        peers, request.app.state.signer, user_id
    )


class ErasureOut(BaseModel):
    case_id: UUID
    member_position: int | None = Field(default=None, description="The member erased; None: the whole case")
    erased_at: datetime
    reason: str
    reason_label: str = Field(description="The reason's Czech label")
    event_id: str = Field(description="Id of the PersonalDataErased event every service confirms")

    @classmethod
    def of(cls, row: ErasureRow) -> ErasureOut:
        fields = row.model_dump(include={"case_id", "member_position", "erased_at", "reason", "event_id"})
        return cls(**fields, reason_label=ERASURE_REASONS.label(row.reason))


class RetentionCase(BaseModel):
    case_id: UUID
    number: str
    closed_on: date
    outcome: str = Field(description="erased, would_erase (a dry run) or held")
    why: str | None = Field(default=None, description="Why held: open_referrals or referrals_unavailable")


class RetentionRunOut(BaseModel):
    id: UUID
    started_at: datetime
    dry_run: bool
    closed_before: date = Field(description="Cases closed before this day were due")
    by: str
    erased: int = Field(description="Cases erased (on a dry run: that would be)")
    held: int
    cases: list[RetentionCase]

    @classmethod
    def of(cls, row: RetentionRunRow, organisation: str) -> RetentionRunOut:
        """The run as an administrator of ``organisation`` sees it: their organisation's cases."""
        items, erased, held = report_for(row, organisation)
        fields = row.model_dump(exclude={"cases", "erased", "held"})
        return cls(**fields, erased=erased, held=held, cases=[RetentionCase(**item) for item in items])


async def erase_as(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    case_id: UUID,
    body: ErasureIn,
    member: int | None = None,
) -> ErasureRow:
    """The administrator's erasure of the case (or of its ``member``) in the request's session (the
    caller commits); the API and the page."""
    store, referrals = erasure_parts(request, session, principal.user_id)
    now = deps_of(request).clock.now()
    what = Erasure(actor=principal.actor, now=now, reason=body.reason, note=body.note)
    try:
        if member is None:
            return await erase_case(store, referrals, case_id, what)
        return await erase_member(store, referrals, case_id, member, what)
    except ReferralsUnavailable:
        raise HTTPException(status_code=503, detail=REFERRALS_UNAVAILABLE) from None


async def retention_now(
    request: Request, session: AsyncSession, by: str, *, dry_run: bool
) -> RetentionRunRow:
    """One run of the retention job in the request's session (the caller commits)."""
    deps = deps_of(request)
    store, referrals = erasure_parts(request, session, by)
    return await run_retention(
        store, referrals, now=deps.clock.now(), years=deps.settings.retention_years, dry_run=dry_run, by=by
    )


@dataclass(frozen=True)
class AdminChange:
    """What a changing route of an administrator works with, and the way to finish: commit (the outbox
    relay then sends the events)."""

    request: Request
    principal: Principal
    runtime: Runtime
    session: AsyncSession

    async def erased(self, case_id: UUID, body: ErasureIn, member: int | None = None) -> ErasureOut:
        row = await erase_as(self.request, self.session, self.principal, case_id, body, member)
        await self.runtime.commit(self.session)
        return ErasureOut.of(row)


def admin_change(
    request: Request, principal: AdminDep, runtime: Runtime = RuntimeDep, session: AsyncSession = SessionDep
) -> AdminChange:
    return AdminChange(request, principal, runtime, session)


AdminChangeDep = Annotated[AdminChange, Depends(admin_change)]


@router.post("/api/cases/{case_id}/erasure", status_code=201, response_model=ErasureOut, responses=CONFLICTS)
async def erase(case_id: UUID, body: ErasureIn, change: AdminChangeDep) -> ErasureOut:
    """Erase the personal data of a closed case of the administrator's organisation, with the reason's
    code and the recorded reason. Refused (409) while the case is open or has open referrals."""
    return await change.erased(case_id, body)


@router.post(
    "/api/cases/{case_id}/members/{position}/erasure", status_code=201, response_model=ErasureOut,
    responses=CONFLICTS,
)  # fmt: skip
async def erase_one_member(
    case_id: UUID,
    position: Annotated[int, Path(ge=1, le=50, description="The member's position (0 is the applicant)")],
    body: ErasureIn,
    change: AdminChangeDep,
) -> ErasureOut:
    """Erase one member of a closed case (their names, birth data, numbers and incomes; their
    relationship stays); refused as the whole case's erasure is, and for the applicant."""
    return await change.erased(case_id, body, member=position)


@router.get("/api/retention/runs", response_model=list[RetentionRunOut])
async def list_runs(principal: AdminDep, session: AsyncSession = SessionDep) -> list[RetentionRunOut]:
    """The reports of the retention job's latest runs, newest first (the cases of the caller's
    organisation)."""
    return [RetentionRunOut.of(row, principal.organisation) for row in await retention_runs(session)]


@router.post("/api/retention/runs", status_code=201, response_model=RetentionRunOut)
async def run_now(change: AdminChangeDep, dry_run: bool = False) -> RetentionRunOut:
    """Run the retention job now (``dry_run=true``: only list what it would erase)."""
    row = await retention_now(change.request, change.session, change.principal.user_id, dry_run=dry_run)
    await change.runtime.commit(change.session)
    return RetentionRunOut.of(row, change.principal.organisation)
