"""Between the tables and the domain: partners and referrals loaded as domain objects and stored back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..domain import (
    OPEN_STATES,
    DeclineReason,
    Partner,
    PartnerContact,
    PartnerKind,
    Referral,
    ReferralKind,
    ReferralOutcome,
    ReferralState,
    StateChange,
)
from .tables import CaseFactsRow, PartnerRow, ReferralRow, utcnow


def partner_of(row: PartnerRow) -> Partner:
    return Partner(
        slug=row.slug,
        name=row.name,
        kind=PartnerKind(row.kind),
        contact=PartnerContact.model_validate(row.contact or {}),
        accepted_kinds=frozenset(ReferralKind(k) for k in row.accepted_kinds),
        active=row.active,
    )


def write_partner(row: PartnerRow, partner: Partner) -> PartnerRow:
    row.name = partner.name
    row.kind = partner.kind.value
    row.contact = partner.contact.model_dump(mode="json")
    row.accepted_kinds = sorted(k.value for k in partner.accepted_kinds)
    row.active = partner.active
    row.updated_at = utcnow()
    return row


def new_partner_row(partner: Partner) -> PartnerRow:
    return write_partner(
        PartnerRow(slug=partner.slug, name="", kind="", contact={}, accepted_kinds=[]), partner
    )


async def all_partners(session: AsyncSession) -> Sequence[PartnerRow]:
    return (await session.exec(select(PartnerRow).order_by(col(PartnerRow.slug)))).all()


def referral_of(row: ReferralRow) -> Referral:
    return Referral(
        id=row.id,
        case_id=row.case_id,
        partner=row.partner,
        kind=ReferralKind(row.kind),
        state=ReferralState(row.status),
        made_on=row.made_on,
        due_on=row.due_on,
        solution_id=row.solution_id,
        conference_id=row.conference_id,
        legal_basis=row.legal_basis,
        decline_reason=DeclineReason(row.decline_reason) if row.decline_reason else None,
        decline_note=row.decline_note,
        declined_after_acceptance=row.declined_after_acceptance,
        outcome=ReferralOutcome(row.outcome) if row.outcome else None,
        outcome_note=row.outcome_note,
        cancel_reason=row.cancel_reason,
        history=tuple(StateChange.model_validate(step) for step in row.history or ()),
        version=row.version,
    )


def write_referral(row: ReferralRow, referral: Referral) -> ReferralRow:
    """Copy the domain state onto the row; the version check happens when the session flushes."""
    row.status = referral.state.value
    row.due_on = referral.due_on
    row.decline_reason = referral.decline_reason.value if referral.decline_reason else None
    row.decline_note = referral.decline_note
    row.declined_after_acceptance = referral.declined_after_acceptance
    row.outcome = referral.outcome.value if referral.outcome else None
    row.outcome_note = referral.outcome_note
    row.cancel_reason = referral.cancel_reason
    row.history = [step.model_dump(mode="json") for step in referral.history]
    row.version = referral.version
    row.updated_at = utcnow()
    return row


def new_referral_row(referral: Referral, *, note: str | None, made_by: str, made_by_org: str) -> ReferralRow:
    row = ReferralRow(
        id=referral.id,
        case_id=referral.case_id,
        partner=referral.partner,
        kind=referral.kind.value,
        status=referral.state.value,
        made_on=referral.made_on,
        solution_id=referral.solution_id,
        conference_id=referral.conference_id,
        legal_basis=referral.legal_basis,
        note=note,
        made_by=made_by[:100],
        made_by_org=made_by_org[:100],
        history=[],
    )
    write_referral(row, referral)
    row.updated_at = None
    return row


def owner(row: ReferralRow, case: CaseFactsRow | None) -> str:
    """The organisation a referral belongs to: its case's (as intake's events said), or, while that is
    not known, the organisation of the worker who made it."""
    return case.organisation if case is not None and case.organisation is not None else row.made_by_org


@dataclass(frozen=True)
class ReferralFilter:
    #: only the referrals that belong to this organisation (see :func:`owner`)
    organisation: str | None = None
    case_id: UUID | None = None
    partner: str | None = None
    status: ReferralState | None = None
    overdue: bool | None = None
    alerts_only: bool = False
    limit: int = 200


async def find_referrals(session: AsyncSession, where: ReferralFilter, today: date) -> Sequence[ReferralRow]:
    """Newest first. Overdue means what :func:`domain.is_overdue` means: still ``made`` after its due day."""
    query = select(ReferralRow)
    if where.organisation is not None:
        query = query.outerjoin(CaseFactsRow, col(CaseFactsRow.case_id) == col(ReferralRow.case_id)).where(
            sa.func.coalesce(col(CaseFactsRow.organisation), col(ReferralRow.made_by_org))
            == where.organisation
        )
    if where.case_id is not None:
        query = query.where(ReferralRow.case_id == where.case_id)
    if where.partner is not None:
        query = query.where(ReferralRow.partner == where.partner)
    if where.status is not None:
        query = query.where(ReferralRow.status == where.status.value)
    late = sa.and_(col(ReferralRow.status) == ReferralState.MADE.value, col(ReferralRow.due_on) < today)
    if where.overdue is True:
        query = query.where(late)
    elif where.overdue is False:
        query = query.where(sa.or_(sa.not_(late), col(ReferralRow.due_on).is_(None)))
    if where.alerts_only:
        query = query.where(
            col(ReferralRow.declined_after_acceptance).is_(True),
            col(ReferralRow.alert_dismissed_at).is_(None),
        )
    query = query.order_by(col(ReferralRow.made_at).desc(), col(ReferralRow.id)).limit(where.limit)
    return (await session.exec(query)).all()


async def open_referrals_of_case(session: AsyncSession, case_id: UUID) -> Sequence[ReferralRow]:
    query = select(ReferralRow).where(
        ReferralRow.case_id == case_id, col(ReferralRow.status).in_([s.value for s in OPEN_STATES])
    )
    return (await session.exec(query.order_by(col(ReferralRow.id)))).all()
