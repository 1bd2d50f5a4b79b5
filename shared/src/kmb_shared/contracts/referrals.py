"""Events of the referrals context (referrals to partners, their lifecycle, binding opinions)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from .base import CaseEvent
from .registry import event


class ReferralEvent(CaseEvent):
    referral_id: UUID
    partner: str = Field(description="Partner organisation slug")
    kind: str = Field(description="Referral kind code")


@event("kmb.referrals.referral_made.v1")
class ReferralMade(ReferralEvent):
    due_on: date | None = Field(default=None, description="Response deadline (working days counted)")
    solution_id: UUID | None = None
    conference_id: UUID | None = Field(default=None, description="Case conference grouping several referrals")
    case_number: str | None = None


@event("kmb.referrals.referral_accepted.v1")
class ReferralAccepted(ReferralEvent):
    pass


@event("kmb.referrals.referral_declined.v1")
class ReferralDeclined(ReferralEvent):
    reason: str
    after_acceptance: bool = False


@event("kmb.referrals.referral_completed.v1")
class ReferralCompleted(ReferralEvent):
    outcome: str


@event("kmb.referrals.referral_cancelled.v1")
class ReferralCancelled(ReferralEvent):
    reason: str | None = None


@event("kmb.referrals.referral_overdue.v1")
class ReferralOverdue(ReferralEvent):
    due_on: date


@event("kmb.referrals.binding_opinion_issued.v1")
class BindingOpinionIssued(ReferralEvent):
    positive: bool
    justified_housing_costs: int | None = Field(default=None, ge=0)
    estimated_benefit: int | None = Field(default=None, ge=0)
