"""Recommended next steps: stable codes with Czech texts, in a fixed order."""

from __future__ import annotations

from .ethos import Classification
from .facts import Facts
from .model import NextStep
from .numbers import cs_number, exceeds_pct
from .rules import RuleSet
from .vocabulary import DOMESTIC_VIOLENCE_FLAG, ETHOS_LEAVING_INSTITUTION, NeedLevel

#: Every step the assessment may recommend, in the order it lists them.
NEXT_STEP_TEXTS: dict[str, str] = {
    "emergency_accommodation": (
        "Zajistit nouzové přenocování nebo ubytování (noclehárna, azylový dům) a kontakt s terénní sociální prací."
    ),
    "violence_support": (
        "Kontaktovat intervenční centrum a zajistit bezpečné ubytování (azylový dům pro oběti domácího násilí)."
    ),
    "eviction_prevention": (
        "Zajistit právní pomoc a jednat s pronajímatelem o odvrácení ztráty bydlení (výpověď, vystěhování)."
    ),
    "institution_release_planning": (
        "Dohodnout s institucí (věznice, nemocnice, dětský domov) bydlení na den odchodu."
    ),
    "register_application": "Podat žádost o zápis do evidence osob v bytové nouzi (§ 13–17).",
    "binding_opinion": "Požádat Úřad práce o závazné stanovisko (§ 18).",
    "housing_assistance": "Zapsat potřebu asistence v bydlení (§ 22), případně i v dosavadním bytě.",
    "supported_housing": (
        "Nabídnout podporované bydlení: bydlení s garancí, podnájemní nebo podporované obecní bydlení."
    ),
    "building_inspection": "Podat podnět stavebnímu úřadu nebo hygieně k posouzení způsobilosti bytu.",
    "housing_allowance": "Požádat Úřad práce o příspěvek na bydlení (náklady přesahují {allowance_pct} % příjmu).",
    "material_need_benefits": (
        "Ověřit na Úřadu práce nárok na dávky pomoci v hmotné nouzi (příspěvek na živobytí, doplatek na bydlení)."
    ),
    "energy_advice": "Doporučit energetické poradenství a ověřit možnosti úspor a podpory na energie.",
    "debt_advice": "Doporučit dluhové poradenství.",
    "income_above_ceiling": (
        "Příjem přesahuje hranici pro zápis do evidence: poskytnout poradenství k dostupnému bydlení (§ 12)."
    ),
    "housing_advice": "Poskytnout poradenství v bydlení (§ 12); domácnost není v bytové nouzi.",
}

_HOUSED_OR_LOSING_IT = (NeedLevel.INSECURE, NeedLevel.AT_RISK)
_WITHOUT_ADEQUATE_HOME = (NeedLevel.ROOFLESS, NeedLevel.HOUSELESS, NeedLevel.INSECURE, NeedLevel.INADEQUATE)


def next_steps(
    facts: Facts,
    classification: Classification,
    flags: tuple[str, ...],
    qualifies: bool,
    rules: RuleSet,
) -> tuple[NextStep, ...]:
    level = classification.need_level
    in_need = level is not NeedLevel.NOT_IN_NEED
    wanted = {
        "emergency_accommodation": level is NeedLevel.ROOFLESS,
        "violence_support": DOMESTIC_VIOLENCE_FLAG in facts.flags,
        "eviction_prevention": facts.threat_date is not None or facts.notice_date is not None,
        "institution_release_planning": ETHOS_LEAVING_INSTITUTION in classification.candidates,
        "register_application": qualifies,
        "binding_opinion": qualifies,
        "housing_assistance": in_need and (bool(flags) or level in _HOUSED_OR_LOSING_IT),
        "supported_housing": qualifies and level in _WITHOUT_ADEQUATE_HOME,
        "building_inspection": facts.unfit,
        "housing_allowance": exceeds_pct(
            facts.housing_costs, facts.income, rules.housing_costs.allowance_hint_pct
        ),
        "material_need_benefits": facts.income < facts.subsistence_minimum,
        "energy_advice": exceeds_pct(facts.energy, facts.income, rules.energy_poverty_pct),
        "debt_advice": facts.debts > 0,
        "income_above_ceiling": in_need
        and facts.income_ceiling is not None
        and facts.income > facts.income_ceiling,
        "housing_advice": not in_need,
    }
    allowance_pct = cs_number(rules.housing_costs.allowance_hint_pct)
    return tuple(
        NextStep(code, text.format(allowance_pct=allowance_pct))
        for code, text in NEXT_STEP_TEXTS.items()
        if wanted[code]
    )
