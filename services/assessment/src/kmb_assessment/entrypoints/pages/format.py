"""The Czech names of the codes only assessment's pages show (statuses; the priority criteria's are
the domain's, :data:`~kmb_assessment.domain.priority.CRITERION_CS`) and the page texts built from
several values (the income against the ceiling, the ETHOS category).

Dates, money, numbers and percentages are the shared page filters' (``cz_date``, ``cz_money``,
``cz_number``, ``cz_percent``: :mod:`kmb_shared.web.filters`); the labels of shared codes are the
one vocabulary's (:mod:`kmb_shared.contracts.vocabulary`)."""

from __future__ import annotations

from typing import Any

from kmb_shared.contracts.vocabulary import ETHOS_CATEGORIES, ethos_label
from kmb_shared.formatting import format_money, format_percent

from ...domain.ethos import also_matches_cs
from ...domain.priority import CRITERION_CS

ASSESSMENT_STATUS_CS: dict[str, str] = {
    "pending": "čeká na šetření",
    "submitted": "vyhodnoceno",
    "cancelled": "zrušeno",
}

REGISTER_STATUS_CS: dict[str, str] = {
    "active": "platný zápis",
    "due": "k přehodnocení",
    "expired": "platnost skončila",
    "superseded": "nahrazen novějším",
}


def criterion_cs(code: str) -> str:
    """The Czech name of a priority criterion (never its code: an unknown one reads "jiné kritérium")."""
    return CRITERION_CS.get(code.split(":", 1)[0], "Jiné kritérium")


def income_vs_ceiling(income: Any) -> str:
    """The income against the register's ceiling in words (``IncomeOut``): never "100 %" for an
    income over the ceiling, with the difference in crowns."""
    if income is None or income.ceiling is None or income.ratio is None:
        return "–"
    percent = income.ratio * 100
    text = format_percent(percent)
    if income.amount > income.ceiling:
        if round(percent, 1) <= 100:
            text = f"těsně nad {format_percent(100)}"
        return f"{text} hranice – nad hranicí o {format_money(income.amount - income.ceiling)}"
    if income.amount == income.ceiling:
        return f"{format_percent(100)} hranice – přesně na hranici (nepřesahuje ji)"
    if round(percent, 1) >= 100:
        text = f"těsně pod {format_percent(100)}"
    return f"{text} hranice – pod hranicí o {format_money(income.ceiling - income.amount)}"


def ethos_also(candidates: Any, chosen: int | None) -> str:
    """'Údaje odpovídají i kategorii 13; platí nejzávažnější.' (Czech grammar; '' if no other)."""
    return also_matches_cs(tuple(candidates or ()), chosen)


def ethos_cs(category: int | None) -> str:
    """'8 – nejisté bydlení (…)' for an ETHOS category, '–' for none."""
    return "–" if category is None else ethos_label(category)


def ethos_hint(category: int | None) -> str:
    """What an ETHOS category covers in Czech practice ('u příbuzných nebo známých, bez nájmu, ubytovna'
    for 8), '' when the vocabulary has no hint."""
    if category is None or not ETHOS_CATEGORIES.knows(category):
        return ""
    return ETHOS_CATEGORIES.term(category).hint
