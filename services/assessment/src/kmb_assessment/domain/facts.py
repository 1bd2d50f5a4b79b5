"""The measured facts of one household on one day, gathered once for every rule to read."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from kmb_shared.contracts import HouseholdSnapshot, MemberSnapshot

from .household import (
    MissingFact,
    MissingFactsError,
    count_children,
    household_type,
    missing_dependent_child_facts,
    subsistence_minimum,
)
from .model import SurveyFindings
from .numbers import ceil_czk, share
from .rules import RuleSet
from .vocabulary import HouseholdType


@dataclass(frozen=True, slots=True)
class Facts:
    assessed_on: date
    members: tuple[MemberSnapshot, ...]
    size: int
    children: int
    household_type: HouseholdType
    dwelling_kind: str | None
    legal_title: str | None
    m2_per_person: Fraction | None
    income: int
    housing_costs: int
    energy: int
    debts: int
    subsistence_minimum: int
    income_ceiling: int | None
    #: Date by which the current housing is lost (earliest of eviction and end of housing).
    threat_date: date | None
    notice_date: date | None
    unfit: bool
    can_pay_unexpected_expense: bool | None
    flags: frozenset[str]

    @property
    def burden(self) -> Fraction | None:
        return share(self.housing_costs, self.income)

    @property
    def energy_share(self) -> Fraction | None:
        return share(self.energy, self.income)

    @property
    def income_ratio(self) -> Fraction | None:
        return None if not self.income_ceiling else share(self.income, self.income_ceiling)

    @property
    def threat_days(self) -> int | None:
        return None if self.threat_date is None else (self.threat_date - self.assessed_on).days


def members_as_found(household: HouseholdSnapshot, survey: SurveyFindings) -> tuple[MemberSnapshot, ...]:
    """The household's members with the dependent-child answers of the survey applied."""
    answers = survey.dependent_children
    return tuple(
        member.model_copy(update={"dependent_child": answers[index]}) if index in answers else member
        for index, member in enumerate(household.members)
    )


def missing_facts(
    household: HouseholdSnapshot, survey: SurveyFindings, rules: RuleSet
) -> tuple[MissingFact, ...]:
    """Facts that must be established before ``household`` can be assessed under ``rules``."""
    return missing_dependent_child_facts(members_as_found(household, survey), rules.subsistence_minimum)


def gather_facts(household: HouseholdSnapshot, survey: SurveyFindings, rules: RuleSet) -> Facts:
    """The facts of the household; raises MissingFactsError when a needed fact is not established."""
    members = members_as_found(household, survey)
    missing = missing_dependent_child_facts(members, rules.subsistence_minimum)
    if missing:
        raise MissingFactsError(missing)
    dwelling = household.dwelling
    kind = survey.dwelling_kind or (dwelling.kind if dwelling else None)
    title = survey.legal_title or (dwelling.legal_title if dwelling else None)
    size_m2 = survey.size_m2 if survey.size_m2 is not None else (dwelling.size_m2 if dwelling else None)
    m2_per_person = None
    # An unknown, zero or infinite area gives no m² per person (and no overcrowding finding).
    if size_m2 is not None and math.isfinite(size_m2) and size_m2 > 0 and members:
        m2_per_person = Fraction(str(size_m2)) / len(members)
    minimum = subsistence_minimum(members, rules.subsistence_minimum)
    ceiling = ceil_czk(rules.income_ceiling_coefficient * minimum) if minimum else None
    threats = [day for day in (household.eviction_date, survey.housing_ends_on) if day is not None]
    flags = {*household.vulnerability_flags, *survey.extra_flags}
    for member in members:
        flags.update(member.flags)
    return Facts(
        assessed_on=survey.assessed_on,
        members=members,
        size=len(members),
        children=count_children(members, rules.subsistence_minimum),
        household_type=household_type(members, rules.subsistence_minimum),
        dwelling_kind=kind,
        legal_title=title,
        m2_per_person=m2_per_person,
        income=household.income_monthly,
        housing_costs=household.rent_monthly + household.services_monthly + household.energy_monthly,
        energy=household.energy_monthly,
        debts=household.debts_total,
        subsistence_minimum=minimum,
        income_ceiling=ceiling,
        threat_date=min(threats) if threats else None,
        notice_date=household.notice_date,
        unfit=survey.unfit_for_habitation,
        can_pay_unexpected_expense=survey.can_pay_unexpected_expense,
        flags=frozenset(flags),
    )
