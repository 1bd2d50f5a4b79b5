"""The priority score: a plain sum of listed contributions, every point from the rule set.

Criteria, in the order listed: need level; loss of housing within the eviction horizon; dependent
children (per child, capped); each §6 vulnerability flag; housing-cost burden (at-risk share for a
household that cannot pay an unexpected expense or was not asked, otherwise the excessive share); overcrowding (severe or, if not, ordinary); energy poverty;
income below the subsistence minimum; debts. Criteria giving 0 points are not listed.
Income enters only through shares of income and the subsistence-minimum test, so more income
never raises the score. Some criteria read the same fact (e.g. ETHOS 6 and the leaving-institution
flag); rule sets from 1 July 2026 document each such pair and why both score in ``overlaps``.
"""

from __future__ import annotations

from kmb_shared.contracts.vocabulary import NEED_LEVELS

from .ethos import Classification, leaving_institution, threat_when, threat_within_horizon
from .facts import Facts
from .model import Contribution
from .numbers import cs_number, czk, days_cs, exceeds_pct, points_cs
from .rules import RuleSet

#: The Czech name of each priority criterion (``vulnerability:<flag>`` is one line per flag), as the
#: explanations and the pages say it.
CRITERION_CS: dict[str, str] = {
    "need_level": "Úroveň bytové nouze",
    "threat_within_horizon": "Hrozící ztráta bydlení",
    "children": "Nezaopatřené děti",
    "vulnerability": "Zvláštní zranitelnost",
    "cost_burden_at_risk": "Náklady na bydlení ohrožují domácnost",
    "cost_burden_excessive": "Nadměrné náklady na bydlení",
    "severe_overcrowding": "Extrémní přelidnění",
    "overcrowding": "Přelidnění",
    "energy_poverty": "Energetická chudoba",
    "income_below_subsistence_minimum": "Příjem pod životním minimem",
    "debts": "Dluhy",
}


def _need_and_threat(facts: Facts, classification: Classification, rules: RuleSet) -> list[Contribution]:
    points = rules.priority
    level = classification.need_level
    which = "" if classification.category is None else f" (ETHOS {classification.category})"
    items = [
        Contribution(
            "need_level",
            points.need_level.of(level),
            f"{CRITERION_CS['need_level']}: {NEED_LEVELS.label(level)}{which}.",
        )
    ]
    if threat_within_horizon(facts, rules):
        what = "Odchod z instituce" if leaving_institution(facts, rules) else "Ztráta bydlení"
        text = f"{what} do {days_cs(rules.eviction_horizon_days)} ({threat_when(facts)})."
        items.append(Contribution("threat_within_horizon", points.threat_within_horizon, text))
    if facts.children:
        earned = min(facts.children * points.per_child, points.children_cap)
        text = (
            f"{CRITERION_CS['children']}: {facts.children} × {points_cs(points.per_child)},"
            f" nejvýše {points_cs(points.children_cap)}."
        )
        items.append(Contribution("children", earned, text))
    return items


def _vulnerability(flags: tuple[str, ...], rules: RuleSet) -> list[Contribution]:
    items = []
    for flag in flags:
        rule = rules.special_vulnerability[flag]
        items.append(
            Contribution(
                f"vulnerability:{flag}", rule.points, f"{CRITERION_CS['vulnerability']}: {rule.label}."
            )
        )
    return items


def _money_and_space(facts: Facts, rules: RuleSet) -> list[Contribution]:
    points = rules.priority
    costs = rules.housing_costs
    items = []
    # Over the at-risk share a household that can pay an unexpected expense is not at risk
    # (classification says so too): it scores the excessive burden, not the at-risk one.
    at_risk_applies = facts.can_pay_unexpected_expense is not True
    for criterion, threshold, earned in (
        ("cost_burden_at_risk", costs.at_risk_pct, points.cost_burden_at_risk),
        ("cost_burden_excessive", costs.excessive_pct, points.cost_burden_excessive),
    ):
        if criterion == "cost_burden_at_risk" and not at_risk_applies:
            continue
        if exceeds_pct(facts.housing_costs, facts.income, threshold):
            text = f"Náklady na bydlení přesahují {cs_number(threshold)} % příjmu."
            if not at_risk_applies and exceeds_pct(facts.housing_costs, facts.income, costs.at_risk_pct):
                text = (
                    f"Náklady na bydlení přesahují {cs_number(costs.at_risk_pct)} % příjmu, domácnost ale"
                    " zvládne nečekaný výdaj: body za nadměrné náklady"
                    f" (více než {cs_number(threshold)} %), ne za ohrožení."
                )
            items.append(Contribution(criterion, earned, text))
            break
    crowding = rules.overcrowding
    m2 = facts.m2_per_person
    if m2 is not None and m2 < crowding.m2_per_person:
        severe = m2 < crowding.severe_m2_per_person
        limit = crowding.severe_m2_per_person if severe else crowding.m2_per_person
        criterion = "severe_overcrowding" if severe else "overcrowding"
        earned = points.severe_overcrowding if severe else points.overcrowding
        text = f"{CRITERION_CS[criterion]}: méně než {cs_number(limit)} m² na osobu ({cs_number(m2, 2)} m²)."
        items.append(Contribution(criterion, earned, text))
    if exceeds_pct(facts.energy, facts.income, rules.energy_poverty_pct):
        text = f"Náklady na energie přesahují {cs_number(rules.energy_poverty_pct)} % příjmu."
        items.append(Contribution("energy_poverty", points.energy_poverty, text))
    if facts.income < facts.subsistence_minimum:
        text = (
            f"Příjem {czk(facts.income)} je nižší než životní minimum domácnosti"
            f" {czk(facts.subsistence_minimum)}."
        )
        items.append(
            Contribution("income_below_subsistence_minimum", points.income_below_subsistence_minimum, text)
        )
    if facts.debts > 0:
        items.append(Contribution("debts", points.debts, f"Dluhy celkem {czk(facts.debts)}."))
    return items


def priority_contributions(
    facts: Facts, classification: Classification, flags: tuple[str, ...], rules: RuleSet
) -> tuple[Contribution, ...]:
    items = [
        *_need_and_threat(facts, classification, rules),
        *_vulnerability(flags, rules),
        *_money_and_space(facts, rules),
    ]
    return tuple(item for item in items if item.points > 0)


def priority_score(contributions: tuple[Contribution, ...]) -> int:
    return sum(item.points for item in contributions)
