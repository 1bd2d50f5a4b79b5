"""What a partner learns after the first message: the steps of a referral it received.

A status update never carries identifiers; the partner already has them from the referral message if it
was allowed to. A free-text note may identify the household, so it travels only when the referral was
identified (sent with consent or a legal basis).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from .kinds import ReferralKind, kind_label
from .minimisation import pseudonymous_reference
from .partners import partner_topic
from .referral import Referral, ReferralState, state_label

PARTNER_STATUS_TYPE = "kmb.partner.referral_status.v1"


class PartnerUpdateKind(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    OVERDUE = "overdue"
    BINDING_OPINION = "binding_opinion"


UPDATE_LABELS_CS: dict[PartnerUpdateKind, str] = {
    PartnerUpdateKind.ACCEPTED: "Předání přijato",
    PartnerUpdateKind.DECLINED: "Předání odmítnuto",
    PartnerUpdateKind.COMPLETED: "Předání dokončeno",
    PartnerUpdateKind.CANCELLED: "Předání zrušeno",
    PartnerUpdateKind.OVERDUE: "Lhůta pro odpověď uplynula",
    PartnerUpdateKind.BINDING_OPINION: "Závazné stanovisko vydáno",
}


class PartnerStatusUpdate(BaseModel):
    """The payload published on ``kmb.partner.<slug>.v1`` for one step of a referral."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    message_type: str = PARTNER_STATUS_TYPE
    topic: str
    referral_id: UUID
    partner: str
    kind: ReferralKind
    kind_label: str
    case_reference: str = Field(description="The same pseudonym as in the referral message")
    update: PartnerUpdateKind
    update_label: str
    state: ReferralState
    state_label: str
    on: date
    due_on: date | None = None
    reason: str | None = Field(default=None, description="Code of the decline reason or outcome")
    reason_label: str | None = None
    note: str | None = Field(default=None, description="Only when the referral was identified")


def build_status_update(
    referral: Referral,
    update: PartnerUpdateKind,
    on: date,
    pseudonym_key: bytes,
    *,
    identified: bool,
    reason: str | None = None,
    reason_label: str | None = None,
    note: str | None = None,
    case_reference: str | None = None,
) -> PartnerStatusUpdate:
    """The partner-shaped update for ``referral`` after the step ``update`` taken on ``on``.

    ``case_reference``: the pseudonym the referral message carried (so an update always names the case as
    the partner first learnt it, even after the key changed); computed with ``pseudonym_key`` if None."""
    clean = note.strip() if note and note.strip() else None
    reference = case_reference or pseudonymous_reference(referral.case_id, referral.partner, pseudonym_key)
    return PartnerStatusUpdate(
        topic=partner_topic(referral.partner),
        referral_id=referral.id,
        partner=referral.partner,
        kind=referral.kind,
        kind_label=kind_label(referral.kind),
        case_reference=reference,
        update=update,
        update_label=UPDATE_LABELS_CS[update],
        state=referral.state,
        state_label=state_label(referral.state),
        on=on,
        due_on=referral.due_on,
        reason=reason,
        reason_label=reason_label,
        note=clean if identified else None,
    )
