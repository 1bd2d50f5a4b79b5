"""The unified assessment of housing need: one pure function from a household to a result."""

from __future__ import annotations

from fractions import Fraction

from kmb_shared.contracts import HouseholdSnapshot

from .ethos import classify
from .facts import Facts, gather_facts
from .loading import rule_set_for
from .model import Assessment, SurveyFindings
from .next_steps import next_steps
from .numbers import cs_date, cs_number, czk, pct, rounded
from .priority import priority_contributions, priority_score
from .rules import RuleSet
from .vocabulary import NeedLevel
from .vulnerability import vulnerability_flags


def _income_reason(facts: Facts, rules: RuleSet) -> str:
    if facts.income_ceiling is None:
        return "Domácnost nemá žádné členy; příjmovou hranici nelze stanovit."
    verdict = "nepřesahuje" if facts.income <= facts.income_ceiling else "přesahuje"
    exact = rules.income_ceiling_coefficient * facts.subsistence_minimum
    # "(rounded up)" only when the product has a fraction of a crown that was rounded away.
    rounding = " (zaokrouhleno nahoru)" if exact != facts.income_ceiling else ""
    return (
        f"Příjem domácnosti {czk(facts.income)} {verdict} hranici"
        f" {cs_number(rules.income_ceiling_coefficient, 2)} × životní minimum"
        f" {czk(facts.subsistence_minimum)} = {czk(facts.income_ceiling)}{rounding}."
    )


def ratio_to_ceiling(ratio: Fraction) -> float:
    """Income / ceiling for display: 3 decimal places, or as many more as it takes to keep a ratio
    that is not exactly 1 from reading 1.0 (1 CZK over a ceiling of 8,800 reads 1.0001, not 1.0)."""
    places = 3
    while rounded(ratio, places) == 1 and ratio != 1 and places < 12:
        places += 1
    return rounded(ratio, places)


def _register_reason(level: NeedLevel, qualifies: bool, facts: Facts) -> str:
    if qualifies:
        return (
            "Splňuje podmínky zápisu do evidence osob v bytové nouzi (§ 17):"
            " je v bytové nouzi a příjem nepřesahuje hranici."
        )
    if level is NeedLevel.NOT_IN_NEED:
        return "Nesplňuje podmínky zápisu do evidence (§ 17): domácnost není v bytové nouzi."
    if facts.income_ceiling is None:
        return "Nesplňuje podmínky zápisu do evidence (§ 17): příjmovou hranici nelze stanovit."
    return "Nesplňuje podmínky zápisu do evidence (§ 17): příjem přesahuje hranici."


def assess(household: HouseholdSnapshot, survey: SurveyFindings, rules: RuleSet | None = None) -> Assessment:
    """Assess the housing need of ``household`` as found by ``survey``.

    ``rules`` defaults to the packaged rule set in force on ``survey.assessed_on``; a rule set
    passed in is used as given (e.g. to replay an assessment under the version it recorded).
    Register entry (§17), as read here: in need (any level but ``not_in_need``) and net monthly
    income not above the ceiling (coefficient × subsistence minimum, rounded up to whole CZK).
    """
    rule_set = rules if rules is not None else rule_set_for(survey.assessed_on)
    facts = gather_facts(household, survey, rule_set)
    classification = classify(facts, rule_set)
    flags = vulnerability_flags(facts, classification, rule_set)
    level = classification.need_level
    qualifies = (
        level is not NeedLevel.NOT_IN_NEED
        and facts.income_ceiling is not None
        and facts.income <= facts.income_ceiling
    )
    contributions = priority_contributions(facts, classification, flags, rule_set)
    reasons = (
        f"Sada pravidel {rule_set.version} účinná od {cs_date(rule_set.effective_from)}.",
        *classification.reasons,
        _income_reason(facts, rule_set),
        _register_reason(level, qualifies, facts),
    )
    ratio = facts.income_ratio
    return Assessment(
        assessed_on=survey.assessed_on,
        rule_set_version=rule_set.version,
        ethos_category=classification.category,
        ethos_light=classification.light,
        need_level=level,
        household_type=facts.household_type,
        household_size=facts.size,
        children=facts.children,
        district=household.district,
        orp_code=household.orp_code,
        income_monthly=facts.income,
        income_ceiling=facts.income_ceiling,
        income_ratio=None if ratio is None else ratio_to_ceiling(ratio),
        housing_cost_burden_pct=pct(facts.burden),
        m2_per_person=None if facts.m2_per_person is None else rounded(facts.m2_per_person, 2),
        energy_share_pct=pct(facts.energy_share),
        vulnerability_flags=flags,
        qualifies_for_register=qualifies,
        next_steps=next_steps(facts, classification, flags, qualifies, rule_set),
        priority_score=priority_score(contributions),
        priority_contributions=contributions,
        reasons=reasons,
        ethos_candidates=classification.candidates,
        subsistence_minimum=facts.subsistence_minimum,
        income_ceiling_coefficient=rule_set.income_ceiling_coefficient,
        housing_costs_monthly=facts.housing_costs,
    )
