"""What each referral step publishes: an integration event on ``kmb.referrals.v1`` and, in the
partner's own shape, a message on the partner's topic — both staged in the step's transaction."""

from __future__ import annotations

from datetime import date

from kmb_shared.contracts import (
    SYSTEM_ACTOR,
    Actor,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralOverdue,
)
from kmb_shared.contracts.referrals import ReferralEvent

from ..adapters.tables import ReferralRow
from ..domain import (
    PARTNER_MESSAGE_TYPE,
    PARTNER_MESSAGE_TYPE_V1,
    PARTNER_MESSAGE_TYPE_V2,
    PARTNER_STATUS_TYPE,
    PARTNER_STATUS_TYPE_V1,
    PartnerMessage,
    PartnerUpdateKind,
    Referral,
    build_status_update,
    decline_reason_label,
    outcome_label,
)
from ..domain.thin import personal_values, thin_message
from .deps import ReferralsDeps
from .notifications import notify
from .ports import UnitOfWork

#: for the listener and kmb partner rewrite-topic
__all__ = [
    "PARTNER_MESSAGE_TYPE",
    "PARTNER_MESSAGE_TYPE_V1",
    "PARTNER_MESSAGE_TYPE_V2",
    "PARTNER_STATUS_TYPE",
    "PARTNER_STATUS_TYPE_V1",
    "personal_values",
    "thin_message",
]

#: ``ReferralCancelled.reason`` codes (free text stays in the referrals service)
CANCELLED_BY_WORKER = "cancelled_by_worker"
HOUSING_OFFER_ACCEPTED = "housing_offer_accepted"


def step_event(
    referral: Referral,
    update: PartnerUpdateKind,
    actor: Actor = SYSTEM_ACTOR,
    *,
    caused_by: str | None = None,
    cancel_code: str = CANCELLED_BY_WORKER,
) -> ReferralEvent:
    """The integration event of one lifecycle step (no free text: it may identify the household)."""
    common = {
        "case_id": referral.case_id,
        "referral_id": referral.id,
        "partner": referral.partner,
        "kind": referral.kind.value,
        "actor": actor,
        "caused_by": caused_by,
    }
    if update is PartnerUpdateKind.ACCEPTED:
        return ReferralAccepted(**common)
    if update is PartnerUpdateKind.DECLINED:
        assert referral.decline_reason is not None
        return ReferralDeclined(
            **common,
            reason=referral.decline_reason.value,
            after_acceptance=referral.declined_after_acceptance,
        )
    if update is PartnerUpdateKind.COMPLETED:
        assert referral.outcome is not None
        return ReferralCompleted(**common, outcome=referral.outcome.value)
    if update is PartnerUpdateKind.CANCELLED:
        return ReferralCancelled(**common, reason=cancel_code)
    if update is PartnerUpdateKind.OVERDUE:
        assert referral.due_on is not None
        return ReferralOverdue(**common, due_on=referral.due_on)
    raise ValueError(f"no single event for {update}")


def _reason(referral: Referral, update: PartnerUpdateKind) -> tuple[str | None, str | None]:
    if update is PartnerUpdateKind.DECLINED and referral.decline_reason:
        return referral.decline_reason.value, decline_reason_label(referral.decline_reason)
    if update is PartnerUpdateKind.COMPLETED and referral.outcome:
        return referral.outcome.value, outcome_label(referral.outcome)
    return None, None


def stage_partner_update(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    row: ReferralRow,
    referral: Referral,
    update: PartnerUpdateKind,
    on: date,
    *,
    reason: str | None = None,
    reason_label: str | None = None,
    note: str | None = None,
) -> str:
    if reason is None and reason_label is None:
        reason, reason_label = _reason(referral, update)
    message = build_status_update(
        referral,
        update,
        on,
        deps.pseudonym_key,
        reason=reason,
        reason_label=reason_label,
        note=note,
        case_reference=(row.partner_view or {}).get("case_reference"),
    ).model_copy(update={"topic": deps.topic(referral.partner)})
    return uow.stage_partner(
        topic=message.topic,
        message_type=PARTNER_STATUS_TYPE,
        key=message.case_reference,
        payload=message,
    )


def stage_partner_referral(uow: UnitOfWork, message: PartnerMessage) -> str:
    return uow.stage_partner(
        topic=message.topic,
        message_type=PARTNER_MESSAGE_TYPE,
        key=message.case_reference,
        payload=message,
    )


def stage_step(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    row: ReferralRow,
    referral: Referral,
    update: PartnerUpdateKind,
    on: date,
    actor: Actor,
    *,
    note: str | None = None,
    caused_by: str | None = None,
    cancel_code: str = CANCELLED_BY_WORKER,
    reason_label: str | None = None,
    notified: bool = True,
) -> str:
    """Stage the step's event, the partner's update and the worker's notification (unless
    ``notified`` is False); returns the event's id."""
    event = step_event(referral, update, actor, caused_by=caused_by, cancel_code=cancel_code)
    event_id = uow.stage(event)
    stage_partner_update(deps, uow, row, referral, update, on, reason_label=reason_label, note=note)
    if notified:
        notify(uow, row, update, actor)
    return event_id
