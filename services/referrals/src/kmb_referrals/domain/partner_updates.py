"""What a partner learns after the first message: the steps of a referral it received.

A status update never carries identifiers or free text (issue 14): a note written with a step may name
the household, and what is on Kafka cannot be erased. The update (``kmb.partner.referral_status.v2``)
says whether the step has a note (``has_note``) and where the referral's details are (``details``); a
partner whose consent or legal basis allows it reads the note there, over the partner API, with the
client's details. The first version (``kmb.partner.referral_status.v1``, :class:`PartnerStatusUpdateV1`,
the note inside when identified) is no longer written; it stays described so old messages can be read.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from kmb_shared.contracts.vocabulary import REFERRAL_STEPS

from .kinds import ReferralKind, kind_label
from .minimisation import details_path, pseudonymous_reference
from .partners import partner_topic
from .referral import Referral, ReferralState, state_label

PARTNER_STATUS_TYPE = "kmb.partner.referral_status.v2"
#: the first version, with the note inside when identified: still readable, no longer written
PARTNER_STATUS_TYPE_V1 = "kmb.partner.referral_status.v1"


class PartnerUpdateKind(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    OVERDUE = "overdue"
    BINDING_OPINION = "binding_opinion"


#: the vocabulary's step labels; an overdue referral is put to the partner as what it means for them
UPDATE_LABELS_CS: dict[PartnerUpdateKind, str] = {
    **{kind: REFERRAL_STEPS.label(kind, capital=True) for kind in PartnerUpdateKind},
    PartnerUpdateKind.OVERDUE: "Lhůta pro odpověď uplynula",
}


class _PartnerStep(BaseModel):
    """What both versions of the status update say of one step."""

    model_config = ConfigDict(frozen=True, extra="forbid")

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


class PartnerStatusUpdate(_PartnerStep):
    """The payload published on ``kmb.partner.<slug>.v1`` for one step of a referral: no free text."""

    message_type: str = PARTNER_STATUS_TYPE
    has_note: bool = Field(
        default=False, description="The step has a note: an identified partner reads it in the details"
    )
    details: str = Field(description="Path of the referral on the partner API (with the notes where allowed)")


class PartnerStatusUpdateV1(_PartnerStep):
    """The first version of the status update (the note inside when identified); only read, never written."""

    message_type: str = PARTNER_STATUS_TYPE_V1
    note: str | None = Field(default=None, description="Only when the referral was identified")


def build_status_update(
    referral: Referral,
    update: PartnerUpdateKind,
    on: date,
    pseudonym_key: bytes,
    *,
    reason: str | None = None,
    reason_label: str | None = None,
    note: str | None = None,
    case_reference: str | None = None,
) -> PartnerStatusUpdate:
    """The partner-shaped update for ``referral`` after the step ``update`` taken on ``on``: never the
    note itself, only whether there is one (the partner reads it in the details where allowed).

    ``case_reference``: the pseudonym the referral message carried (so an update always names the case as
    the partner first learnt it, even after the key changed); computed with ``pseudonym_key`` if None."""
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
        has_note=bool(note and note.strip()),
        details=details_path(referral.partner, referral.id),
    )
