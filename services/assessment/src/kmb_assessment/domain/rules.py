"""The rule set: every number the assessment uses, as validated, versioned data.

A rule set is a complete snapshot: an assessment records the version it used, and that version
alone says which amounts, thresholds and points were applied. Files live in ``kmb_assessment.rules``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from .vocabulary import DERIVED_FLAGS, DOMESTIC_VIOLENCE_FLAG, EthosLight, NeedLevel


class _Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _SubsistenceMinimumBase(_Rules):
    single_person: int = Field(gt=0)
    child_under_6: int = Field(gt=0)
    child_6_to_15: int = Field(gt=0)
    dependent_15_to_26: int = Field(gt=0)


class SubsistenceMinimumFurtherAdult(_SubsistenceMinimumBase):
    """Monthly subsistence minimum (životní minimum), CZK, categories until 30 June 2026:
    first adult, each further adult; a member aged 15-17 is always a dependent child."""

    categories: Literal["further_adult"] = "further_adult"
    first_adult: int = Field(gt=0)
    further_adult: int = Field(gt=0)

    @property
    def first(self) -> int:
        return self.first_adult

    @property
    def further(self) -> int:
        return self.further_adult


class SubsistenceMinimumFurtherPerson15(_SubsistenceMinimumBase):
    """Monthly subsistence minimum, CZK, categories from 1 July 2026: first person, each further
    person aged 15+ who is not a dependent child; a member aged 15-25 is a dependent child only
    while studying or unable to study for illness (MemberSnapshot.dependent_child)."""

    categories: Literal["further_person_15_plus"]
    first_person: int = Field(gt=0)
    further_person_15_plus: int = Field(gt=0)

    @property
    def first(self) -> int:
        return self.first_person

    @property
    def further(self) -> int:
        return self.further_person_15_plus


def _categories_of(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("categories", "further_adult"))
    return str(getattr(value, "categories", "further_adult"))


#: The subsistence-minimum amounts with the person categories of their period (a file without
#: ``categories`` has the categories valid until 30 June 2026).
SubsistenceMinimum = Annotated[
    Annotated[SubsistenceMinimumFurtherAdult, Tag("further_adult")]
    | Annotated[SubsistenceMinimumFurtherPerson15, Tag("further_person_15_plus")],
    Discriminator(_categories_of),
]


#: Tags of the subsistence-minimum variants (``subsistence_minimum.categories``).
SUBSISTENCE_MINIMUM_VARIANTS = frozenset({"further_adult", "further_person_15_plus"})


class Overlap(_Rules):
    """Two priority criteria that read the same fact and both score on purpose (documented)."""

    criteria: tuple[str, str]
    reason: str = Field(min_length=1, description="Czech: why both score")


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
    #: A legal title with someone who can end it (lease, sublease, lodging contract): only then
    #: does the assessment suggest negotiating with the landlord. None: the rule set does not say
    #: (read as lease, sublease and lodging_contract for rule sets written before this field).
    landlord: bool | None = None
    #: A dwelling kind that is a flat or a house (where housing assistance can also be given in
    #: the current home). None: the rule set does not say (read as flat and house).
    home: bool | None = None


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
    #: Versions this set replaces from its effective date on (they stay loadable for the
    #: assessments that cite them, but are no longer chosen by date).
    supersedes: tuple[str, ...] = ()
    #: Field path -> source of its value(s) (a path covers everything below it).
    sources: dict[str, str] = Field(default_factory=dict)
    #: Priority criteria that read one fact and score together on purpose.
    overlaps: tuple[Overlap, ...] = ()
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
    def _sources_name_fields(self) -> RuleSet:
        for path in self.sources:
            if resolve_path(self, path) is _MISSING:
                raise ValueError(f"sources names an unknown field: {path}")
        return self

    @model_validator(mode="after")
    def _overlaps_name_criteria(self) -> RuleSet:
        known = criteria_of(self)
        for overlap in self.overlaps:
            unknown = [name for name in overlap.criteria if name not in known]
            if unknown:
                raise ValueError(f"overlaps names an unknown criterion: {', '.join(unknown)}")
        return self

    @model_validator(mode="after")
    def _known_flags(self) -> RuleSet:
        required = (*DERIVED_FLAGS, DOMESTIC_VIOLENCE_FLAG)
        missing = [flag for flag in required if flag not in self.special_vulnerability]
        if missing:
            raise ValueError(f"special_vulnerability lacks the flags the code derives: {', '.join(missing)}")
        return self


_MISSING = object()


def resolve_path(model: BaseModel, path: str) -> object:
    """The value at a dotted path (model fields and dict keys), or ``_MISSING``."""
    node: object = model
    for part in path.split("."):
        if isinstance(node, BaseModel) and part in type(node).model_fields:
            node = getattr(node, part)
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


#: Top-level fields that describe a rule set rather than hold a value of the law: no source needed.
META_FIELDS = frozenset({"version", "title", "unconfirmed", "supersedes", "sources"})


def criteria_of(rules: RuleSet) -> frozenset[str]:
    """Every criterion name a priority contribution under ``rules`` can carry."""
    plain = {"need_level", "children", *(name for name in PriorityRules.model_fields if name != "need_level")}
    plain -= {"per_child", "children_cap"}
    return frozenset({*plain, *(f"vulnerability:{flag}" for flag in rules.special_vulnerability)})


def source_for(rules: RuleSet, path: str) -> str | None:
    """The source of the value at ``path``: its own entry or that of the nearest enclosing path."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in rules.sources:
            return rules.sources[prefix]
    return None


def unsourced_fields(rules: RuleSet) -> tuple[str, ...]:
    """Value fields (top level, or the leaves below one) that no entry of ``sources`` covers.

    ``overlaps`` counts as a value field when it has entries (a decision that needs its reason).
    """
    missing: list[str] = []

    def walk(path: str, value: object) -> None:
        if source_for(rules, path) is not None:
            return
        children: dict[str, object] = {}
        if isinstance(value, BaseModel):
            children = {name: getattr(value, name) for name in type(value).model_fields}
        elif isinstance(value, dict):
            children = {str(key): item for key, item in value.items()}
        if not children:
            missing.append(path)
            return
        for name, item in children.items():
            walk(f"{path}.{name}", item)

    for name in RuleSet.model_fields:
        if name in META_FIELDS or (name == "overlaps" and not rules.overlaps):
            continue
        walk(name, getattr(rules, name))
    return tuple(missing)
