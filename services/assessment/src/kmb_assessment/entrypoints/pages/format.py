"""Czech formatting for the pages (dates, money, numbers, percentages) and the Czech names of the
codes the pages show (statuses, priority criteria, relationships)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ...application.results import ETHOS_CATEGORY_CS
from ...config import LOCAL_TIME
from ...domain.ethos import also_matches_cs

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

#: Priority criteria (``vulnerability:<flag>`` is one line per flag).
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

RELATIONSHIP_CS: dict[str, str] = {
    "applicant": "žadatel/ka",
    "partner": "manžel/ka, partner/ka",
    "spouse": "manžel/ka",
    "child": "dítě",
    "parent": "rodič",
    "sibling": "sourozenec",
    "other_relative": "jiný příbuzný",
    "other": "jiný vztah",
}


def criterion_cs(code: str) -> str:
    """The Czech name of a priority criterion (never its code: an unknown one reads "jiné kritérium")."""
    return CRITERION_CS.get(code.split(":", 1)[0], "Jiné kritérium")


def _as_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    return value


def cz_date(value: Any) -> str:
    """``2026-03-05`` -> ``5. 3. 2026`` with non-breaking spaces, so a date never wraps (dates,
    datetimes in the office's time, ISO strings)."""
    value = _as_date(value)
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TIME).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return f"{value.day}.\u00a0{value.month}.\u00a0{value.year}"
    return "" if value is None else str(value)


def cz_datetime(value: Any) -> str:
    """A moment in the office's time: ``5. 3. 2026 14:05``."""
    value = _as_date(value)
    if isinstance(value, datetime):
        local = value.astimezone(LOCAL_TIME) if value.tzinfo else value
        return f"{cz_date(local.date())} {local:%H:%M}"
    return cz_date(value)


def cz_number(value: Any, digits: int = 1) -> str:
    """``1234.5`` -> ``1 234,5``; up to ``digits`` decimals, trailing zeros dropped."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{number:,.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def cz_money(value: Any) -> str:
    """Whole crowns: ``12500`` -> ``12 500 Kč``."""
    text = cz_number(value, 0)
    return f"{text}\u00a0Kč" if text else ""


def cz_pct(value: Any, digits: int = 1) -> str:
    """``75.0`` -> ``75 %``; ``12.55`` -> ``12,6 %`` (the value is already a percentage)."""
    text = cz_number(value, digits)
    return f"{text}\u00a0%" if text else ""


def income_vs_ceiling(income: Any) -> str:
    """The income against the register's ceiling in words (``IncomeOut``): never "100 %" for an
    income over the ceiling, with the difference in crowns."""
    if income is None or income.ceiling is None or income.ratio is None:
        return "–"
    percent = income.ratio * 100
    text = cz_pct(percent)
    if income.amount > income.ceiling:
        if round(percent, 1) <= 100:
            text = "těsně nad 100\u00a0%"
        return f"{text} hranice – nad hranicí o {cz_money(income.amount - income.ceiling)}"
    if income.amount == income.ceiling:
        return "100\u00a0% hranice – přesně na hranici (nepřesahuje ji)"
    if round(percent, 1) >= 100:
        text = "těsně pod 100\u00a0%"
    return f"{text} hranice – pod hranicí o {cz_money(income.ceiling - income.amount)}"


def ethos_also(candidates: Any, chosen: int | None) -> str:
    """'Údaje odpovídají i kategorii 13; platí nejzávažnější.' (Czech grammar; '' if no other)."""
    return also_matches_cs(tuple(candidates or ()), chosen)


def ethos_cs(category: int | None) -> str:
    """'8 – nejisté bydlení (…)' for an ETHOS category, '–' for none."""
    if category is None:
        return "–"
    label = ETHOS_CATEGORY_CS.get(category)
    return f"{category} – {label}" if label else str(category)
