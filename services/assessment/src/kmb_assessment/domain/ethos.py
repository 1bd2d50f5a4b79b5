"""ETHOS classification and need level, with the reasons in Czech.

Precedence: every ETHOS category that the facts support is collected; the assessment takes the
most severe one, i.e. the lowest number (1 living rough ... 13 overcrowding), and says which others
applied. ETHOS Light is chosen the same way among the findings that have one. Without any ETHOS
category a household is ``at_risk`` when it is losing its housing later than the eviction horizon,
has been given notice, or spends more than the at-risk share of income on housing (unless it can
pay an unexpected expense); otherwise it is ``not_in_need``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kmb_shared.contracts.vocabulary import NEED_LEVELS

from .facts import Facts
from .numbers import cs_date, cs_number, czk, days_cs, exceeds_pct, pct
from .rules import RuleSet, SituationRule
from .vocabulary import (
    DOMESTIC_VIOLENCE_FLAG,
    ETHOS_EVICTION,
    ETHOS_LEAVING_INSTITUTION,
    ETHOS_OVERCROWDING,
    ETHOS_UNFIT,
    ETHOS_VIOLENCE,
    HOME_KINDS,
    TITLES_WITH_LANDLORD,
    EthosLight,
    NeedLevel,
    need_level_for_ethos,
)


@dataclass(frozen=True, slots=True)
class EthosFinding:
    category: int
    light: EthosLight | None
    reason: str


@dataclass(frozen=True, slots=True)
class Classification:
    category: int | None
    light: EthosLight | None
    need_level: NeedLevel
    candidates: tuple[int, ...]
    reasons: tuple[str, ...]


def threat_within_horizon(facts: Facts, rules: RuleSet) -> bool:
    """The housing ends within the eviction horizon (a date already past counts as within)."""
    days = facts.threat_days
    return days is not None and days <= rules.eviction_horizon_days


def leaving_institution(facts: Facts, rules: RuleSet) -> bool:
    """The household lives in an institution it is due to leave (dwelling kind of ETHOS 6): its
    end date is the day of leaving, not an eviction, and there is no landlord."""
    rule = rules.dwelling_kinds.get(facts.dwelling_kind) if facts.dwelling_kind else None
    return rule is not None and rule.ethos == ETHOS_LEAVING_INSTITUTION


def dwelling_ethos(facts: Facts, rules: RuleSet) -> int | None:
    """The ETHOS category the dwelling kind itself implies (None: conventional or unknown)."""
    rule = rules.dwelling_kinds.get(facts.dwelling_kind) if facts.dwelling_kind else None
    return None if rule is None else rule.ethos


def has_landlord(facts: Facts, rules: RuleSet) -> bool | None:
    """Whether someone who can end the housing can be negotiated with (lease, sublease, lodging
    contract, cooperative); None when the legal title is not known. Never for an institution."""
    if leaving_institution(facts, rules):
        return False
    if facts.legal_title is None:
        return None
    rule = rules.legal_titles.get(facts.legal_title)
    if rule is not None and rule.landlord is not None:
        return rule.landlord
    return facts.legal_title in TITLES_WITH_LANDLORD


def lives_in_home(facts: Facts, rules: RuleSet) -> bool:
    """The household lives in a flat or a house of its own (where housing assistance can also be
    given in it): not staying there without a legal title (a title that implies an ETHOS category)."""
    if facts.dwelling_kind is None:
        return False
    title = rules.legal_titles.get(facts.legal_title) if facts.legal_title else None
    if title is not None and title.ethos is not None:
        return False
    rule = rules.dwelling_kinds.get(facts.dwelling_kind)
    if rule is not None and rule.home is not None:
        return rule.home
    return facts.dwelling_kind in HOME_KINDS


def also_matches_cs(candidates: tuple[int, ...], chosen: int | None) -> str:
    """'Údaje odpovídají i kategorii 13.' / 'i kategoriím 11 a 13.' ('' when no other applies)."""
    others = [str(category) for category in candidates if category != chosen]
    if not others:
        return ""
    if len(others) == 1:
        return f"Údaje odpovídají i kategorii {others[0]}; platí nejzávažnější."
    listed = ", ".join(others[:-1]) + f" a {others[-1]}"
    return f"Údaje odpovídají i kategoriím {listed}; platí nejzávažnější."


def threat_when(facts: Facts) -> str:
    """'11. 5. 2026, za 70 dní' / 'dnes' / 'již před 3 dny' (Czech)."""
    days = facts.threat_days
    if facts.threat_date is None or days is None:
        return ""
    if days > 0:
        relative = f"za {days_cs(days)}"
    elif days == 0:
        relative = "tedy dnes"
    else:
        relative = "tedy již před " + ("1 dnem" if days == -1 else f"{-days} dny")
    return f"{cs_date(facts.threat_date)}, {relative}"


def _situation_findings(facts: Facts, rules: RuleSet) -> tuple[list[EthosFinding], list[str]]:
    findings: list[EthosFinding] = []
    notes: list[str] = []
    kind_rule: SituationRule | None = None
    if facts.dwelling_kind is None:
        notes.append("Druh bydlení nebyl zjištěn.")
    else:
        kind_rule = rules.dwelling_kinds.get(facts.dwelling_kind)
        if kind_rule is None:
            notes.append(
                f"Zjištěný druh bydlení sada pravidel {rules.version} nezná; kategorie ETHOS z něj neplyne."
            )
        elif kind_rule.ethos is not None:
            text = f"ETHOS {kind_rule.ethos}: {kind_rule.label}."
            if kind_rule.ethos == ETHOS_LEAVING_INSTITUTION and facts.threat_date is not None:
                text = f"ETHOS {kind_rule.ethos}: {kind_rule.label}; den odchodu {threat_when(facts)}."
            findings.append(EthosFinding(kind_rule.ethos, kind_rule.light, text))
    title_rule = rules.legal_titles.get(facts.legal_title) if facts.legal_title else None
    if (kind_rule is None or kind_rule.ethos is None) and title_rule and title_rule.ethos is not None:
        text = f"ETHOS {title_rule.ethos}: {title_rule.label}."
        findings.append(EthosFinding(title_rule.ethos, title_rule.light, text))
    return findings, notes


def _other_findings(facts: Facts, rules: RuleSet) -> list[EthosFinding]:
    findings: list[EthosFinding] = []
    # The end date of a stay in an institution is the day of leaving (ETHOS 6), not an eviction.
    institution = leaving_institution(facts, rules)
    if threat_within_horizon(facts, rules) and facts.threat_date is not None and not institution:
        # Without a landlord (no legal title, ownership) the end of housing is no eviction by one.
        what = "hrozící ztráta bydlení" if has_landlord(facts, rules) is False else "hrozící vystěhování"
        text = (
            f"ETHOS {ETHOS_EVICTION}: bydlení končí {threat_when(facts)}, tj. do"
            f" {days_cs(rules.eviction_horizon_days)} ({what})."
        )
        findings.append(EthosFinding(ETHOS_EVICTION, None, text))
    if DOMESTIC_VIOLENCE_FLAG in facts.flags:
        text = f"ETHOS {ETHOS_VIOLENCE}: ohrožení domácím násilím."
        findings.append(EthosFinding(ETHOS_VIOLENCE, None, text))
    if facts.unfit:
        text = f"ETHOS {ETHOS_UNFIT}: byt je nezpůsobilý k bydlení (zjištění šetření)."
        findings.append(EthosFinding(ETHOS_UNFIT, None, text))
    limit = rules.overcrowding.m2_per_person
    severe = rules.overcrowding.severe_m2_per_person
    if facts.m2_per_person is not None and facts.m2_per_person < limit:
        below, label = (
            (severe, "extrémní přelidnění") if facts.m2_per_person < severe else (limit, "přelidnění")
        )
        text = (
            f"ETHOS {ETHOS_OVERCROWDING}: na osobu připadá {cs_number(facts.m2_per_person, 2)} m²,"
            f" méně než {cs_number(below)} m² ({label})."
        )
        findings.append(EthosFinding(ETHOS_OVERCROWDING, None, text))
    return findings


def _risks(facts: Facts, rules: RuleSet) -> tuple[list[str], list[str]]:
    """Reasons that make the household at risk, and notes on risks that do not count."""
    risks: list[str] = []
    notes: list[str] = []
    if facts.threat_date is not None and not threat_within_horizon(facts, rules):
        risks.append(
            f"Bydlení končí {threat_when(facts)}, tedy později než za"
            f" {days_cs(rules.eviction_horizon_days)}: ohrožení ztrátou bydlení."
        )
    elif facts.threat_date is None and facts.notice_date is not None:
        risks.append(
            f"Domácnosti byla dána výpověď ({cs_date(facts.notice_date)}), datum konce bydlení není"
            " známo: ohrožení ztrátou bydlení."
        )
    at_risk_pct = rules.housing_costs.at_risk_pct
    if exceeds_pct(facts.housing_costs, facts.income, at_risk_pct):
        what = (
            f"Náklady na bydlení tvoří {cs_number(pct(facts.burden) or 0)} % příjmu,"
            f" více než {cs_number(at_risk_pct)} %"
            if facts.income
            else f"Domácnost nemá žádný příjem a náklady na bydlení činí {czk(facts.housing_costs)}"
        )
        if facts.can_pay_unexpected_expense:
            expense = czk(rules.housing_costs.unexpected_expense_czk)
            notes.append(f"{what}; domácnost ale zvládne nečekaný výdaj {expense}, nejde tedy o ohrožení.")
        else:
            risks.append(f"{what}: ohrožení ztrátou bydlení.")
    return risks, notes


def classify(facts: Facts, rules: RuleSet) -> Classification:
    findings, notes = _situation_findings(facts, rules)
    findings += _other_findings(facts, rules)
    reasons = [*notes, *(finding.reason for finding in findings)]
    if findings:
        chosen = min(findings, key=lambda finding: finding.category)
        candidates = tuple(sorted({finding.category for finding in findings}))
        lights = [finding.light for finding in findings if finding.light is not None]
        light = min(lights, key=lambda item: item.rank) if lights else None
        level = need_level_for_ethos(chosen.category)
        if len(candidates) > 1:
            listed = ", ".join(str(category) for category in candidates)
            reasons.append(
                f"Použitelné kategorie ETHOS: {listed}; rozhoduje nejzávažnější (nejnižší číslo),"
                f" tedy ETHOS {chosen.category}."
            )
        reasons.append(
            f"Úroveň bytové nouze: {NEED_LEVELS.label(level)} (skupina kategorie ETHOS {chosen.category})."
        )
        return Classification(chosen.category, light, level, candidates, tuple(reasons))
    risks, risk_notes = _risks(facts, rules)
    reasons += [*risks, *risk_notes]
    level = NeedLevel.AT_RISK if risks else NeedLevel.NOT_IN_NEED
    if risks:
        reasons.append(f"Žádná kategorie ETHOS neplatí; úroveň bytové nouze: {NEED_LEVELS.label(level)}.")
    else:
        reasons.append("Nebyla zjištěna žádná kategorie ETHOS ani ohrožení ztrátou bydlení.")
    return Classification(None, None, level, (), tuple(reasons))
