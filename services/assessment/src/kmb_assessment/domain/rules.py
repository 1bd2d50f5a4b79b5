"""The rule set: every number the assessment uses, as validated, versioned data.

A rule set is a complete snapshot: an assessment records the version it used, and that version
alone says which amounts, thresholds and points were applied. Files live in ``kmb_assessment.rules``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .vocabulary import DERIVED_FLAGS, DOMESTIC_VIOLENCE_FLAG, EthosLight, NeedLevel


class _Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SubsistenceMinimum(_Rules):
    """Monthly subsistence minimum (životní minimum) per person type, CZK."""

    single_person: int = Field(gt=0)
    first_adult: int = Field(gt=0)
    further_adult: int = Field(gt=0)
    child_under_6: int = Field(gt=0)
    child_6_to_15: int = Field(gt=0)
    dependent_15_to_26: int = Field(gt=0)


class HousingCostRules(_Rules):
    """Shares of net income (percent) spent on rent + services + energy."""

    allowance_hint_pct: Decimal = Field(gt=0, lt=100)
    excessive_pct: Decimal = Field(gt=0, lt=100)
    at_risk_pct: Decimal = Field(gt=0, lt=100)
    unexpected_expense_czk: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> HousingCostRules:
        if not self.allowance_hint_pct <= self.excessive_pct <= self.at_risk_pct:
            raise ValueError("expected allowance_hint_pct <= excessive_pct <= at_risk_pct")
        return self


class OvercrowdingRules(_Rules):
    m2_per_person: Decimal = Field(gt=0)
    severe_m2_per_person: Decimal = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> OvercrowdingRules:
        if self.severe_m2_per_person >= self.m2_per_person:
            raise ValueError("expected severe_m2_per_person < m2_per_person")
        return self


class RegisterRules(_Rules):
    """§23: how long an entry in the register of people in need is valid."""

    months: int = Field(ge=1, le=120)
    reassessment_window_days: int = Field(ge=0, le=365)


class SituationRule(_Rules):
    """What a dwelling kind or a legal title says about the ETHOS category (None: no category)."""

    ethos: int | None = Field(default=None, ge=1, le=13)
    light: EthosLight | None = None
    label: str = Field(min_length=1, description="Czech label")


class VulnerabilityRule(_Rules):
    label: str = Field(min_length=1, description="Czech label")
    points: int = Field(ge=0)


class NeedLevelPoints(_Rules):
    roofless: int = Field(ge=0)
    houseless: int = Field(ge=0)
    insecure: int = Field(ge=0)
    inadequate: int = Field(ge=0)
    at_risk: int = Field(ge=0)
    not_in_need: int = Field(ge=0)

    def of(self, level: NeedLevel) -> int:
        points: int = getattr(self, level.value)
        return points


class PriorityRules(_Rules):
    """Points per criterion. Every point of a priority score comes from one of these fields."""

    need_level: NeedLevelPoints
    threat_within_horizon: int = Field(ge=0)
    per_child: int = Field(ge=0)
    children_cap: int = Field(ge=0)
    cost_burden_excessive: int = Field(ge=0)
    cost_burden_at_risk: int = Field(ge=0)
    energy_poverty: int = Field(ge=0)
    overcrowding: int = Field(ge=0)
    severe_overcrowding: int = Field(ge=0)
    income_below_subsistence_minimum: int = Field(ge=0)
    debts: int = Field(ge=0)


class RuleSet(_Rules):
    """One dated, versioned rule set of the unified assessment of housing need."""

    version: str = Field(min_length=1)
    effective_from: date
    title: str = Field(min_length=1, description="Czech title")
    unconfirmed: tuple[str, ...] = Field(
        default=(), description="Fields whose legal basis is not confirmed yet (kept as data)"
    )
    subsistence_minimum: SubsistenceMinimum
    income_ceiling_coefficient: Decimal = Field(gt=0, le=10)
    housing_costs: HousingCostRules
    energy_poverty_pct: Decimal = Field(gt=0, lt=100)
    overcrowding: OvercrowdingRules
    eviction_horizon_days: int = Field(ge=0, le=3650)
    large_family_children: int = Field(ge=1)
    register_validity: RegisterRules
    dwelling_kinds: dict[str, SituationRule]
    legal_titles: dict[str, SituationRule]
    special_vulnerability: dict[str, VulnerabilityRule]
    priority: PriorityRules

    @model_validator(mode="after")
    def _unconfirmed_names_fields(self) -> RuleSet:
        for path in self.unconfirmed:
            node: object = self
            for part in path.split("."):
                if not isinstance(node, BaseModel) or part not in type(node).model_fields:
                    raise ValueError(f"unconfirmed names an unknown field: {path}")
                node = getattr(node, part)
        return self

    @model_validator(mode="after")
    def _known_flags(self) -> RuleSet:
        required = (*DERIVED_FLAGS, DOMESTIC_VIOLENCE_FLAG)
        missing = [flag for flag in required if flag not in self.special_vulnerability]
        if missing:
            raise ValueError(f"special_vulnerability lacks the flags the code derives: {', '.join(missing)}")
        return self
