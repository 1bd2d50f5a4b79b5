"""Recommended next steps: stable codes with Czech texts, in a fixed order."""

from __future__ import annotations

from .ethos import Classification, dwelling_ethos, has_landlord, leaving_institution, lives_in_home
from .facts import Facts
from .model import NextStep
from .numbers import cs_number, exceeds_pct
from .rules import RuleSet
from .vocabulary import (
    DOMESTIC_VIOLENCE_FLAG,
    ETHOS_LEAVING_INSTITUTION,
    ETHOS_NIGHT_SHELTER,
    ETHOS_WOMENS_SHELTER,
    NeedLevel,
)

#: Every step the assessment may recommend, in the order it lists them (the general text; a few
#: steps read differently where the situation asks for it, see ``VARIANT_TEXTS``).
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
    "housing_assistance": "Zapsat potřebu asistence v bydlení (§ 22).",
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

#: (code, situation) -> the text of a step where the general one would not fit.
VARIANT_TEXTS: dict[tuple[str, str], str] = {
    # Someone already in a night shelter needs more than a night.
    ("emergency_accommodation", "in_night_shelter"): (
        "Zajistit ubytování na delší dobu než noc (azylový dům) a kontakt s terénní sociální prací."
    ),
    # Someone already in a women's shelter has safe accommodation: plan what follows it.
    ("violence_support", "in_womens_shelter"): (
        "Spolupracovat s intervenčním centrem a azylovým domem na bezpečném navazujícím bydlení po odchodu z azylového domu."
    ),
    # No one to negotiate with (no legal title, ownership): legal help without a landlord.
    ("eviction_prevention", "no_landlord"): (
        "Zajistit právní a sociální pomoc k odvrácení ztráty bydlení a včas hledat navazující bydlení."
    ),
    # Assistance in the current home only where there is one (flat, house).
    (
        "housing_assistance",
        "in_home",
    ): "Zapsat potřebu asistence v bydlení (§ 22), případně i v dosavadním bytě.",
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
        # Leaving an institution is not an eviction: its step is institution_release_planning.
        "eviction_prevention": (facts.threat_date is not None or facts.notice_date is not None)
        and not leaving_institution(facts, rules),
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
    situations = _situations(facts, rules)
    allowance_pct = cs_number(rules.housing_costs.allowance_hint_pct)
    steps = []
    for code, text in NEXT_STEP_TEXTS.items():
        if not wanted[code]:
            continue
        variant = next(
            (VARIANT_TEXTS[code, name] for name in situations if (code, name) in VARIANT_TEXTS), text
        )
        steps.append(NextStep(code, variant.format(allowance_pct=allowance_pct)))
    return tuple(steps)


def _situations(facts: Facts, rules: RuleSet) -> tuple[str, ...]:
    kind_ethos = dwelling_ethos(facts, rules)
    names = []
    if kind_ethos == ETHOS_NIGHT_SHELTER:
        names.append("in_night_shelter")
    if kind_ethos == ETHOS_WOMENS_SHELTER:
        names.append("in_womens_shelter")
    if has_landlord(facts, rules) is False:
        names.append("no_landlord")
    if lives_in_home(facts, rules):
        names.append("in_home")
    return tuple(names)
