"""What the referrals API accepts and answers (separate from the tables and the domain objects)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from kmb_shared.clock import as_utc

from ..adapters.repository import referral_of
from ..adapters.tables import PartnerRow, ReferralRow
from ..application.details import worker_of
from ..application.referrals import MakeCaseConference, MakeReferral, Worker
from ..domain import (
    INTERNAL_PARTNER_KINDS,
    SLUG_PATTERN,
    ClientIdentity,
    DeclineReason,
    PartnerContact,
    PartnerDetails,
    PartnerKind,
    ReferralKind,
    ReferralOutcome,
    ReferralState,
    WorkerContact,
    decline_reason_label,
    is_overdue,
    kind_label,
    outcome_label,
    state_label,
)

Note = Annotated[str | None, Field(default=None, max_length=2000)]


#: a stored moment in UTC (SQLite hands it back without a zone)
UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkerIn(_In):
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=200)


class ReferralIn(_In):
    case_id: UUID
    partner: str = Field(pattern=SLUG_PATTERN, description="Slug of a registered partner")
    kind: ReferralKind
    solution_id: UUID | None = None
    note: Note = Field(default=None, description="To the partner; sent only with consent or legal basis")
    legal_basis: str | None = Field(
        default=None, max_length=300, description="Legal basis for passing identifying data (besides consent)"
    )
    worker: WorkerIn | None = None

    def command(self, worker: Worker) -> MakeReferral:
        """The command this request asks for, made by ``worker``."""
        return MakeReferral(**self.model_dump(exclude={"worker"}), worker=worker)


class CaseConferenceIn(_In):
    case_id: UUID
    partners: list[Annotated[str, Field(pattern=SLUG_PATTERN)]] = Field(min_length=2, max_length=20)
    note: Note = None
    legal_basis: str | None = Field(default=None, max_length=300)
    worker: WorkerIn | None = None

    def command(self, worker: Worker) -> MakeCaseConference:
        """The command this request asks for, made by ``worker``."""
        return MakeCaseConference(**self.model_dump(exclude={"worker"}), worker=worker)

    @field_validator("partners")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise PydanticCustomError(
                "duplicate_partner",
                "{en}",
                {
                    "cs": "Partner je v případové konferenci uveden vícekrát.",
                    "en": "A partner is listed more than once.",
                },
            )
        return value


class DeclineIn(_In):
    reason: DeclineReason
    note: Note = Field(default=None, description="Required when the reason is 'other'")


class CompleteIn(_In):
    outcome: ReferralOutcome
    note: Note = Field(default=None, description="Required when the outcome is 'other'")


class CancelIn(_In):
    reason: Note = None


class BindingOpinionIn(_In):
    positive: bool
    justified_housing_costs: int | None = Field(default=None, ge=0, description="CZK per month (§ 19)")
    estimated_benefit: int | None = Field(default=None, ge=0, description="CZK per month (§ 19)")
    note: Note = None


class PartnerPatch(_In):
    name: str | None = Field(default=None, min_length=2, max_length=200)
    contact: PartnerContact | None = None
    accepted_kinds: list[ReferralKind] | None = Field(default=None, min_length=1)
    active: bool | None = None


class PartnerOut(BaseModel):
    slug: str
    name: str
    kind: PartnerKind
    internal: bool = Field(description="Inside the municipal office (social or housing department)")
    contact: dict[str, Any]
    accepted_kinds: list[ReferralKind]
    active: bool
    topic: str = Field(description="The Kafka topic the partner reads")
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @classmethod
    def of(cls, row: PartnerRow, topic: str) -> PartnerOut:
        kind = PartnerKind(row.kind)
        return cls(
            slug=row.slug,
            name=row.name,
            kind=kind,
            internal=kind in INTERNAL_PARTNER_KINDS,
            contact=row.contact,
            accepted_kinds=[ReferralKind(k) for k in row.accepted_kinds],
            active=row.active,
            topic=topic,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


class BindingOpinionOut(BaseModel):
    positive: bool
    justified_housing_costs: int | None
    estimated_benefit: int | None


class ReferralOut(BaseModel):
    id: UUID
    case_id: UUID
    partner: str
    kind: ReferralKind
    kind_label: str
    status: ReferralState
    status_label: str
    made_on: date
    due_on: date | None
    overdue: bool = Field(description="Still waiting for the partner's response after the due day")
    overdue_raised: bool = Field(description="ReferralOverdue was published")
    solution_id: UUID | None
    conference_id: UUID | None
    note: str | None
    decline_reason: DeclineReason | None
    decline_reason_label: str | None
    decline_note: str | None
    declined_after_acceptance: bool
    needs_worker_alert: bool = Field(description="Declined after acceptance and not yet dismissed")
    outcome: ReferralOutcome | None
    outcome_label: str | None
    outcome_note: str | None
    cancel_reason: str | None
    identified: bool = Field(description="The partner got the client's identity")
    disclosure_basis: str | None
    disclosure_note: str | None
    binding_opinion: BindingOpinionOut | None
    history: list[dict[str, Any]]
    version: int
    made_at: UtcDateTime
    made_by: str
    made_by_org: str

    @classmethod
    def of(cls, row: ReferralRow, today: date) -> ReferralOut:
        kind, status = ReferralKind(row.kind), ReferralState(row.status)
        reason = DeclineReason(row.decline_reason) if row.decline_reason else None
        outcome = ReferralOutcome(row.outcome) if row.outcome else None
        opinion = None
        if row.opinion_positive is not None:
            opinion = BindingOpinionOut(
                positive=row.opinion_positive,
                justified_housing_costs=row.opinion_housing_costs,
                estimated_benefit=row.opinion_estimated_benefit,
            )
        return cls(
            id=row.id,
            case_id=row.case_id,
            partner=row.partner,
            kind=kind,
            kind_label=kind_label(kind),
            status=status,
            status_label=state_label(status),
            made_on=row.made_on,
            due_on=row.due_on,
            overdue=is_overdue(referral_of(row), today),
            overdue_raised=row.overdue_raised_at is not None,
            solution_id=row.solution_id,
            conference_id=row.conference_id,
            note=row.note,
            decline_reason=reason,
            decline_reason_label=decline_reason_label(reason) if reason else None,
            decline_note=row.decline_note,
            declined_after_acceptance=row.declined_after_acceptance,
            needs_worker_alert=row.declined_after_acceptance and row.alert_dismissed_at is None,
            outcome=outcome,
            outcome_label=outcome_label(outcome) if outcome else None,
            outcome_note=row.outcome_note,
            cancel_reason=row.cancel_reason,
            identified=row.identified,
            disclosure_basis=row.disclosure_basis,
            disclosure_note=row.disclosure_note,
            binding_opinion=opinion,
            history=list(row.history or []),
            version=row.version,
            made_at=row.made_at,
            made_by=row.made_by,
            made_by_org=row.made_by_org,
        )


class CaseConferenceOut(BaseModel):
    conference_id: UUID
    referrals: list[ReferralOut]


class InboxItem(BaseModel):
    """A referral as its partner sees it: what it was sent (no identity stored here) and the state now.
    Never the case id: the partner knows the case only by its own pseudonym (``case_reference``), which
    another partner's differs from, so partners cannot link a household between them."""

    referral_id: UUID
    kind: ReferralKind
    kind_label: str
    status: ReferralState
    status_label: str
    made_on: date
    due_on: date | None
    overdue: bool
    case_reference: str | None
    identified: bool
    message: dict[str, Any] | None = Field(description="The referral message as sent, without the identity")
    worker: WorkerContact | None = Field(
        default=None, description="The contact-point worker to reach the household through (not on Kafka)"
    )
    decline_reason_label: str | None = Field(
        default=None,
        description="Why the referral was declined (the reason's Czech label; the note is a detail)",
    )

    @classmethod
    def of(cls, row: ReferralRow, today: date) -> InboxItem:
        out = ReferralOut.of(row, today)
        view = {k: v for k, v in row.partner_view.items() if k != "worker"} if row.partner_view else None
        return cls(
            referral_id=row.id,
            kind=out.kind,
            kind_label=out.kind_label,
            status=out.status,
            status_label=out.status_label,
            made_on=row.made_on,
            due_on=row.due_on,
            overdue=out.overdue,
            case_reference=str(view["case_reference"]) if view and view.get("case_reference") else None,
            identified=row.identified,
            message=view,
            worker=worker_of(row),
            decline_reason_label=out.decline_reason_label,
        )


class PartnerReferralOut(InboxItem):
    """One referral for its partner with the client's details where consent or a legal basis allows
    (fetched from intake at this request, which logs the view); none otherwise."""

    disclosure_basis: str | None
    client: ClientIdentity | None = Field(description="Only with consent or a legal basis, as the kind needs")
    case_number: str | None = Field(description="Intake's case number; only with consent or a legal basis")
    note: str | None = Field(description="The worker's note; only with consent or a legal basis")
    decline_note: str | None = Field(default=None, description="Note of the decline; as the note")
    outcome_note: str | None = Field(default=None, description="Note of the outcome or opinion; as the note")
    cancel_note: str | None = Field(default=None, description="Note of the cancellation; as the note")

    @classmethod
    def with_details(cls, row: ReferralRow, today: date, details: PartnerDetails) -> PartnerReferralOut:
        return cls(
            **InboxItem.of(row, today).model_dump(),
            disclosure_basis=details.disclosure_basis,
            client=details.client,
            case_number=details.case_number,
            note=details.note,
            decline_note=details.decline_note,
            outcome_note=details.outcome_note,
            cancel_note=details.cancel_note,
        )
