"""Inputs and result of the assessment (plain frozen dataclasses)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from kmb_shared.contracts import PriorityContribution

from .vocabulary import EthosLight, HouseholdType, NeedLevel


@dataclass(frozen=True, slots=True)
class SurveyFindings:
    """What the worker established in the survey of the housing situation (§16).

    Fields left as None fall back to the household snapshot. ``assessed_on`` picks the rule set.
    """

    assessed_on: date
    #: Dwelling kind actually found (overrides HouseholdSnapshot.dwelling.kind), a code of the rule set.
    dwelling_kind: str | None = None
    #: Legal title actually found (overrides HouseholdSnapshot.dwelling.legal_title).
    legal_title: str | None = None
    #: Floor area measured in the survey, m² (overrides HouseholdSnapshot.dwelling.size_m2).
    size_m2: float | None = None
    #: The day the current housing ends with no continuation secured (fixed-term contract, notice).
    housing_ends_on: date | None = None
    #: The dwelling is unfit for habitation (worker's finding or authority's decision): ETHOS 12.
    unfit_for_habitation: bool = False
    #: Whether the household could pay an unexpected expense (housing-exclusion reports' test).
    #: None means not asked: a burden over the at-risk threshold then counts as at risk.
    can_pay_unexpected_expense: bool | None = None
    #: Further vulnerability flags (codes) found in the survey, added to those from intake.
    extra_flags: tuple[str, ...] = ()
    #: Dependent-child status established in the survey, by member position (0-based) in the
    #: household snapshot: True = studies or cannot for illness, False = does not. Overrides
    #: MemberSnapshot.dependent_child. Needed for members 15-25 from 1 July 2026.
    dependent_children: Mapping[int, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NextStep:
    code: str
    text: str  # Czech


@dataclass(frozen=True, slots=True)
class Contribution:
    """One line of the priority score: which criterion gave how many points and why (Czech)."""

    criterion: str
    points: int
    explanation: str


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result of one assessment. Field names match kmb_shared.contracts.NeedAssessed."""

    assessed_on: date
    rule_set_version: str
    ethos_category: int | None
    ethos_light: EthosLight | None
    need_level: NeedLevel
    household_type: HouseholdType
    household_size: int
    children: int
    district: str | None
    orp_code: str | None
    income_monthly: int
    income_ceiling: int | None
    income_ratio: float | None
    housing_cost_burden_pct: float | None
    m2_per_person: float | None
    energy_share_pct: float | None
    vulnerability_flags: tuple[str, ...]
    qualifies_for_register: bool
    next_steps: tuple[NextStep, ...]
    priority_score: int
    priority_contributions: tuple[Contribution, ...]
    reasons: tuple[str, ...]
    # Beyond the event: the working behind the numbers.
    ethos_candidates: tuple[int, ...] = ()
    subsistence_minimum: int = 0
    income_ceiling_coefficient: Decimal = field(default=Decimal(0))
    housing_costs_monthly: int = 0

    def to_event_fields(self) -> dict[str, Any]:
        """Keyword arguments for NeedAssessed, apart from case_id, assessment_id, actor and caused_by.

        ``next_steps`` become their codes; the Czech texts stay in this result (and the rule set).
        """
        return {
            "assessed_on": self.assessed_on,
            "rule_set_version": self.rule_set_version,
            "ethos_category": self.ethos_category,
            "ethos_light": None if self.ethos_light is None else self.ethos_light.value,
            "need_level": self.need_level.value,
            "household_type": self.household_type.value,
            "household_size": self.household_size,
            "children": self.children,
            "district": self.district,
            "orp_code": self.orp_code,
            "income_monthly": self.income_monthly,
            "income_ceiling": self.income_ceiling,
            "income_ratio": self.income_ratio,
            "housing_cost_burden_pct": self.housing_cost_burden_pct,
            "m2_per_person": self.m2_per_person,
            "energy_share_pct": self.energy_share_pct,
            "vulnerability_flags": self.vulnerability_flags,
            "qualifies_for_register": self.qualifies_for_register,
            "next_steps": tuple(step.code for step in self.next_steps),
            "priority_score": self.priority_score,
            "priority_contributions": tuple(
                PriorityContribution(criterion=c.criterion, points=c.points, explanation=c.explanation)
                for c in self.priority_contributions
            ),
            "reasons": self.reasons,
        }
