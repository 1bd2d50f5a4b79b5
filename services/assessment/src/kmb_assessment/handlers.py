"""Events assessment consumes: intake's case events pre-fill pending assessments; referrals' binding
opinions are recorded on the case's latest assessment.

Deterministic, so a replay rebuilds the same rows: ids are ``uuid5(NAMESPACE_URL, event id)`` and
times come from ``occurred_at``. Events of one case arrive in order (one key, one partition); a
snapshot older than the one held never overwrites it, and an unknown case is simply started.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import (
    BindingOpinionIssued,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    HouseholdChanged,
    IntegrationEvent,
)
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import Runtime

from .adapters.assessments import (
    attach_unassigned_opinions,
    cancel_pending,
    case_is_closed,
    case_was_opened,
    latest_assessment,
    latest_case_household,
    pending_for_case,
)
from .adapters.tables import (
    AssessmentRow,
    AssessmentStatus,
    BindingOpinionRow,
    CaseEventKind,
    CaseEventRow,
    as_utc,
)


def event_uuid(ctx: HandlerContext) -> UUID:
    return uuid5(NAMESPACE_URL, ctx.meta.id)


def _record(
    ctx: HandlerContext, event: CaseOpened | HouseholdChanged | CaseClosed | CaseReopened, kind: CaseEventKind
) -> CaseEventRow:
    household = getattr(event, "household", None)
    row = CaseEventRow(
        id=event_uuid(ctx),
        case_id=event.case_id,
        case_number=event.case_number,
        kind=kind.value,
        household=None if household is None else household.model_dump_json(),
        occurred_at=event.occurred_at,
    )
    ctx.session.add(row)
    return row


async def _open_pending(
    session: AsyncSession, source: CaseEventRow, assessment_id: UUID, created_at: datetime
) -> None:
    assert source.household is not None
    session.add(
        AssessmentRow(
            id=assessment_id,
            case_id=source.case_id,
            case_number=source.case_number,
            status=AssessmentStatus.PENDING.value,
            household=source.household,
            household_at=source.occurred_at,
            created_at=created_at,
        )
    )
    await session.flush()
    await attach_unassigned_opinions(session, source.case_id, assessment_id)


async def on_case_opened(event: CaseOpened, ctx: HandlerContext) -> None:
    """Pre-fill a pending assessment from the case; a repeated CaseOpened of the case changes nothing."""
    if await case_was_opened(ctx.session, event.case_id):
        return
    source = _record(ctx, event, CaseEventKind.OPENED)
    if await pending_for_case(ctx.session, event.case_id) is None:
        await _open_pending(ctx.session, source, event_uuid(ctx), event.occurred_at)


async def on_household_changed(event: HouseholdChanged, ctx: HandlerContext) -> None:
    """Update the pending assessment's household, or open a new pending one (reassessment) when the
    last was submitted; submitted assessments keep the household they were assessed on."""
    latest = await latest_case_household(ctx.session, event.case_id)
    source = _record(ctx, event, CaseEventKind.HOUSEHOLD_CHANGED)
    if latest is not None and as_utc(latest.occurred_at) > as_utc(event.occurred_at):
        return  # an older snapshot than the one held
    pending = await pending_for_case(ctx.session, event.case_id)
    if pending is not None:
        pending.household = event.household.model_dump_json()
        pending.household_at = event.occurred_at
        ctx.session.add(pending)
    elif not await case_is_closed(ctx.session, event.case_id):
        await _open_pending(ctx.session, source, event_uuid(ctx), event.occurred_at)


async def on_case_closed(event: CaseClosed, ctx: HandlerContext) -> None:
    """A closed case needs no assessment: its pending ones are cancelled."""
    _record(ctx, event, CaseEventKind.CLOSED)
    await cancel_pending(ctx.session, event.case_id, event.occurred_at)


async def on_case_reopened(event: CaseReopened, ctx: HandlerContext) -> None:
    """A reopened case gets a pending assessment again, from its latest household."""
    _record(ctx, event, CaseEventKind.REOPENED)
    household = await latest_case_household(ctx.session, event.case_id)
    if household is not None and await pending_for_case(ctx.session, event.case_id) is None:
        await _open_pending(ctx.session, household, event_uuid(ctx), event.occurred_at)


async def on_binding_opinion_issued(event: BindingOpinionIssued, ctx: HandlerContext) -> None:
    """Record the labour office's binding opinion (§18) on the case's latest assessment (and so on
    its register entry); before the case has one, it waits for the first."""
    latest = await latest_assessment(ctx.session, event.case_id)
    ctx.session.add(
        BindingOpinionRow(
            id=event_uuid(ctx),
            case_id=event.case_id,
            referral_id=event.referral_id,
            partner=event.partner,
            positive=event.positive,
            justified_housing_costs=event.justified_housing_costs,
            estimated_benefit=event.estimated_benefit,
            issued_at=event.occurred_at,
            assessment_id=None if latest is None else latest.id,
        )
    )


def handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
    return {
        CaseOpened: on_case_opened,
        HouseholdChanged: on_household_changed,
        CaseClosed: on_case_closed,
        CaseReopened: on_case_reopened,
        BindingOpinionIssued: on_binding_opinion_issued,
    }
