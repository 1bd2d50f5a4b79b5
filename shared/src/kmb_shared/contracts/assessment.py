"""Events of the assessment context (survey of the housing situation, register of people in need)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from .base import CaseEvent, Contract
from .registry import event


class PriorityContribution(Contract):
    criterion: str
    points: int
    explanation: str = Field(description="Czech explanation shown to the worker and the client")


@event("kmb.assessment.need_assessed.v1")
class NeedAssessed(CaseEvent):
    assessment_id: UUID
    assessed_on: date
    rule_set_version: str
    ethos_category: int | None = Field(default=None, ge=1, le=13)
    ethos_light: str | None = None
    need_level: str = Field(description="roofless, houseless, insecure, inadequate, at_risk, not_in_need")
    household_type: str = Field(
        default="other", description="single, couple, single_parent, family_with_children, senior, other"
    )
    household_size: int = Field(default=1, ge=0)
    children: int = Field(default=0, ge=0)
    district: str | None = None
    orp_code: str | None = None
    income_monthly: int = Field(default=0, ge=0)
    income_ceiling: int | None = None
    income_ratio: float | None = None
    housing_cost_burden_pct: float | None = None
    m2_per_person: float | None = None
    energy_share_pct: float | None = None
    vulnerability_flags: tuple[str, ...] = ()
    qualifies_for_register: bool = False
    next_steps: tuple[str, ...] = ()
    priority_score: int = 0
    priority_contributions: tuple[PriorityContribution, ...] = ()
    reasons: tuple[str, ...] = Field(default=(), description="Explanation of category and level, Czech")


@event("kmb.assessment.registered_in_need.v1")
class RegisteredInNeed(CaseEvent):
    assessment_id: UUID
    registered_on: date
    valid_until: date
    need_level: str
    ethos_category: int | None = None


@event("kmb.assessment.registration_expired.v1")
class RegistrationExpired(CaseEvent):
    assessment_id: UUID
    expired_on: date
