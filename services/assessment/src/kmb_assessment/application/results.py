"""The result of an assessment as stored and shown: every number with its explanation, Czech labels,
and the rule set that produced it. Built once on submission, so a page shows exactly what was decided
even after the rule files or the label texts change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kmb_shared.contracts.vocabulary import ETHOS_CATEGORIES, ETHOS_LIGHT, HOUSEHOLD_TYPES, NEED_LEVELS

from ..domain import Assessment, RuleSet
from ..domain.vocabulary import EthosLight

#: ETHOS Light labels by category (the kernel's; kept for the modules that index it)
ETHOS_LIGHT_CS: Mapping[EthosLight, str] = MappingProxyType(
    {light: ETHOS_LIGHT.label(light) for light in EthosLight}
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Labelled(_Out):
    code: str
    label: str = Field(description="Czech")


class NextStepOut(_Out):
    code: str
    text: str = Field(description="Czech")


class RuleSetRef(_Out):
    version: str
    effective_from: date
    title: str


class EthosOut(_Out):
    category: int | None = Field(description="ETHOS operational category 1-13; None outside ETHOS")
    label: str | None
    light: str | None = Field(description="ETHOS Light category code")
    light_label: str | None
    candidates: tuple[int, ...] = Field(description="Every category the facts supported")


#: decimal places of IncomeOut.ratio
RATIO_DIGITS = 6


def income_ratio(amount: int, ceiling: int | None) -> float | None:
    """``amount / ceiling`` to RATIO_DIGITS places, rounded away from 1: a household over the ceiling
    never reads 1.0 (8,801 / 8,800 = 1.000114 -> 1.000114, 1 Kč over 999,999 -> 1.000002), one under
    it never reads 1.0 either; exactly 1.0 means exactly at the ceiling."""
    if not ceiling:
        return None
    scale = 10**RATIO_DIGITS
    scaled = amount * scale
    if amount > ceiling:
        return -(-scaled // ceiling) / scale
    return (scaled // ceiling) / scale


class IncomeOut(_Out):
    amount: int = Field(description="Net monthly income of the household, CZK")
    ceiling: int | None = Field(description="Income ceiling for the register (§17), CZK")
    ratio: float | None = Field(
        description=(
            "amount / ceiling to 6 decimal places, rounded away from 1 (over the ceiling it is always"
            " > 1, under it < 1, exactly 1 only at the ceiling); None without a ceiling."
            " over_income_ceiling says the same as a flag"
        )
    )
    within_ceiling: bool | None = Field(description="amount <= ceiling (None without a ceiling)")
    over_income_ceiling: bool | None = Field(
        default=None,
        description="amount > ceiling: the income is over the register's ceiling (None without one)",
    )
    over_by: int | None = Field(
        default=None, description="How many CZK the income is over the ceiling (0 if not)"
    )
    subsistence_minimum: int = Field(description="Subsistence minimum of the household, CZK")
    coefficient: float = Field(description="Ceiling = coefficient × subsistence minimum, rounded up")

    @model_validator(mode="before")
    @classmethod
    def _derived(cls, data: Any) -> Any:
        """Ratio and flags follow from amount and ceiling, also for results stored before these
        fields (their ratio was rounded to 3 places and read 1.0 just over the ceiling)."""
        if isinstance(data, dict) and "amount" in data and "ceiling" in data:
            amount, ceiling = int(data["amount"]), data["ceiling"]
            over = None if ceiling is None else amount > int(ceiling)
            data = {
                **data,
                "ratio": income_ratio(amount, None if ceiling is None else int(ceiling)),
                "within_ceiling": None if over is None else not over,
                "over_income_ceiling": over,
                "over_by": None if ceiling is None else max(0, amount - int(ceiling)),
            }
        return data


class ContributionOut(_Out):
    criterion: str
    points: int
    explanation: str = Field(description="Czech")


class PriorityOut(_Out):
    score: int
    contributions: tuple[ContributionOut, ...]


class AssessmentResult(_Out):
    """The explained result of one assessment."""

    assessed_on: date
    rule_set: RuleSetRef
    ethos: EthosOut
    need_level: Labelled
    household_type: Labelled
    household_size: int
    children: int
    income: IncomeOut
    housing_costs_monthly: int = Field(description="Rent + services + energy, CZK")
    housing_cost_burden_pct: float | None = Field(description="Housing costs as % of income")
    m2_per_person: float | None
    energy_share_pct: float | None = Field(description="Energy costs as % of income")
    vulnerability_flags: tuple[Labelled, ...] = Field(description="Special vulnerability (§6)")
    qualifies_for_register: bool = Field(description="Meets the conditions of entry in the register (§17)")
    next_steps: tuple[NextStepOut, ...]
    priority: PriorityOut
    reasons: tuple[str, ...] = Field(description="Why: category, level, income and register, Czech")


def explain(result: Assessment, rules: RuleSet) -> AssessmentResult:
    """The domain's result with labels from ``rules`` (the rule set that produced it)."""
    light = result.ethos_light
    ceiling = result.income_ceiling
    return AssessmentResult(
        assessed_on=result.assessed_on,
        rule_set=RuleSetRef(version=rules.version, effective_from=rules.effective_from, title=rules.title),
        ethos=EthosOut(
            category=result.ethos_category,
            label=None if result.ethos_category is None else ETHOS_CATEGORIES.label(result.ethos_category),
            light=None if light is None else light.value,
            light_label=None if light is None else ETHOS_LIGHT.label(light),
            candidates=result.ethos_candidates,
        ),
        need_level=Labelled(code=result.need_level.value, label=NEED_LEVELS.label(result.need_level)),
        household_type=Labelled(
            code=result.household_type.value, label=HOUSEHOLD_TYPES.label(result.household_type)
        ),
        household_size=result.household_size,
        children=result.children,
        income=IncomeOut(
            amount=result.income_monthly,
            ceiling=ceiling,
            ratio=income_ratio(result.income_monthly, ceiling),
            within_ceiling=None if ceiling is None else result.income_monthly <= ceiling,
            subsistence_minimum=result.subsistence_minimum,
            coefficient=float(result.income_ceiling_coefficient),
        ),
        housing_costs_monthly=result.housing_costs_monthly,
        housing_cost_burden_pct=result.housing_cost_burden_pct,
        m2_per_person=result.m2_per_person,
        energy_share_pct=result.energy_share_pct,
        vulnerability_flags=tuple(
            Labelled(code=flag, label=rules.special_vulnerability[flag].label)
            for flag in result.vulnerability_flags
        ),
        qualifies_for_register=result.qualifies_for_register,
        next_steps=tuple(NextStepOut(code=step.code, text=step.text) for step in result.next_steps),
        priority=PriorityOut(
            score=result.priority_score,
            contributions=tuple(
                ContributionOut(criterion=c.criterion, points=c.points, explanation=c.explanation)
                for c in result.priority_contributions
            ),
        ),
        reasons=result.reasons,
    )
