"""Checking an uploaded rule set before anyone may use it, and comparing it with the set in force.

A rule set that a rules editor uploads must be, beyond what the model itself validates:

- **complete**: every field written out (no value left to a default), and every code of the set in
  force (dwelling kinds, legal titles, vulnerability flags) still present, so stored surveys stay
  readable under it;
- **sourced**: the ``sources`` map covers every value field (a path covers everything below it);
- **dated** today or later at the contact point (a rule set never changes the past);
- **consistent**: a new version, an effective date no other set in use has (unless it supersedes that
  set), thresholds and points in their order, a plausible coefficient and subsistence minimum.

Every problem is reported at once, with the field and the reason in Czech and English.
Pure: no I/O; ``today`` and the known rule sets are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kmb_shared.formatting import format_date

from .loading import superseded_versions
from .rules import RuleSet, SituationRule, VulnerabilityRule, source_for
from .vocabulary import NEED_LEVEL_CS, NeedLevel

#: top-level fields that describe the set itself rather than carry a value of the law
META_FIELDS = frozenset({"version", "title", "unconfirmed", "supersedes", "sources", "overlaps"})
#: optional lists that may be left out (empty means "none")
OPTIONAL_FIELDS = frozenset({"unconfirmed", "supersedes", "overlaps"})
#: model types whose attributes with a default are optional by design (None: "no category")
_OPTIONAL_ATTRIBUTE_MODELS: tuple[type[BaseModel], ...] = (SituationRule, VulnerabilityRule)
#: union tags pydantic puts into error locations of the subsistence minimum
_UNION_TAGS = frozenset({"further_adult", "further_person_15_plus"})
#: the income-ceiling coefficient a rule set may plausibly hold (the act: 1.43, the decree: 1.6)
COEFFICIENT_RANGE = (Decimal("1"), Decimal("3"))
WHOLE_FILE = "(soubor)"


@dataclass(frozen=True)
class Problem:
    """One reason an uploaded rule set is refused."""

    field: str
    code: str
    message_cs: str
    message_en: str


@dataclass(frozen=True)
class CheckOutcome:
    rule_set: RuleSet | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.rule_set is not None and not self.problems


# --- Czech labels of the fields -------------------------------------------------------------------

FIELD_LABELS_CS: dict[str, str] = {
    "version": "Verze",
    "effective_from": "Účinnost od",
    "title": "Název",
    "unconfirmed": "Hodnoty s nepotvrzeným právním základem",
    "supersedes": "Nahrazuje sady pravidel",
    "sources": "Zdroje hodnot",
    "overlaps": "Záměrné souběhy kritérií priority",
    "subsistence_minimum": "Životní minimum",
    "subsistence_minimum.categories": "Životní minimum: kategorie osob",
    "subsistence_minimum.single_person": "Životní minimum: jednotlivec (Kč)",
    "subsistence_minimum.first_adult": "Životní minimum: první dospělá osoba (Kč)",
    "subsistence_minimum.further_adult": "Životní minimum: další dospělá osoba (Kč)",
    "subsistence_minimum.first_person": "Životní minimum: první osoba v domácnosti (Kč)",
    "subsistence_minimum.further_person_15_plus": (
        "Životní minimum: další osoba od 15 let, která není nezaopatřeným dítětem (Kč)"
    ),
    "subsistence_minimum.child_under_6": "Životní minimum: nezaopatřené dítě do 6 let (Kč)",
    "subsistence_minimum.child_6_to_15": "Životní minimum: nezaopatřené dítě 6–15 let (Kč)",
    "subsistence_minimum.dependent_15_to_26": "Životní minimum: nezaopatřené dítě 15–26 let (Kč)",
    "income_ceiling_coefficient": "Koeficient příjmové hranice (násobek životního minima)",
    "housing_costs": "Náklady na bydlení",
    "housing_costs.allowance_hint_pct": "Náklady na bydlení: nárok na příspěvek na bydlení nad (% příjmu)",
    "housing_costs.excessive_pct": "Náklady na bydlení: nadměrné nad (% příjmu)",
    "housing_costs.at_risk_pct": "Náklady na bydlení: ohrožení ztrátou bydlení nad (% příjmu)",
    "housing_costs.unexpected_expense_czk": "Náklady na bydlení: nečekaný výdaj (Kč)",
    "energy_poverty_pct": "Energetická chudoba: energie nad (% příjmu)",
    "overcrowding": "Přelidnění",
    "overcrowding.m2_per_person": "Přelidnění: méně než (m² na osobu)",
    "overcrowding.severe_m2_per_person": "Extrémní přelidnění: méně než (m² na osobu)",
    "eviction_horizon_days": "Hrozící ztráta bydlení: do (dní)",
    "large_family_children": "Početná rodina: nejméně (nezaopatřených dětí)",
    "register_validity": "Platnost zápisu v evidenci",
    "register_validity.months": "Platnost zápisu v evidenci (měsíců)",
    "register_validity.reassessment_window_days": "Přehodnocení zápisu: dní před koncem platnosti",
    "dwelling_kinds": "Druhy bydlení",
    "legal_titles": "Právní důvody užívání",
    "special_vulnerability": "Zvláštní zranitelnost",
    "priority": "Body priority",
    "priority.need_level": "Body priority: úroveň bytové nouze",
    "priority.threat_within_horizon": "Body priority: hrozící ztráta bydlení",
    "priority.per_child": "Body priority: za každé nezaopatřené dítě",
    "priority.children_cap": "Body priority: za děti nejvýše",
    "priority.cost_burden_excessive": "Body priority: nadměrné náklady na bydlení",
    "priority.cost_burden_at_risk": "Body priority: náklady ohrožující bydlení",
    "priority.energy_poverty": "Body priority: energetická chudoba",
    "priority.overcrowding": "Body priority: přelidnění",
    "priority.severe_overcrowding": "Body priority: extrémní přelidnění",
    "priority.income_below_subsistence_minimum": "Body priority: příjem pod životním minimem",
    "priority.debts": "Body priority: dluhy",
}
for _level in NeedLevel:
    FIELD_LABELS_CS[f"priority.need_level.{_level.value}"] = (
        f"Body priority: úroveň bytové nouze „{NEED_LEVEL_CS[_level]}“"
    )

_ENTRY_GROUPS_CS = {
    "dwelling_kinds": "Druh bydlení",
    "legal_titles": "Právní důvod užívání",
    "special_vulnerability": "Zvláštní zranitelnost",
}
_ENTRY_ATTRIBUTES_CS = {
    "ethos": "kategorie ETHOS",
    "light": "kategorie ETHOS Light",
    "label": "název",
    "landlord": "je tu pronajímatel nebo ubytovatel",
    "home": "jde o byt nebo dům",
    "points": "body priority",
}


def _entry_label(group: str, code: str, rule_sets: Sequence[RuleSet | None]) -> str:
    for rules in rule_sets:
        if rules is None:
            continue
        entries: Mapping[str, SituationRule | VulnerabilityRule] = getattr(rules, group)
        if code in entries:
            return entries[code].label
    return "nový záznam"


def field_label(path: str, *rule_sets: RuleSet | None) -> str:
    """The Czech name of a field path; the entries of a code list are named by their Czech label."""
    if path in FIELD_LABELS_CS:
        return FIELD_LABELS_CS[path]
    parts = path.split(".")
    if parts[0] in _ENTRY_GROUPS_CS and len(parts) >= 2:
        entry = f"{_ENTRY_GROUPS_CS[parts[0]]} „{_entry_label(parts[0], parts[1], rule_sets)}“"
        if len(parts) == 2:
            return entry
        attribute = _ENTRY_ATTRIBUTES_CS.get(parts[2], "údaj")
        return f"{entry}: {attribute}"
    if parts[0] == "overlaps":
        return "Záměrný souběh kritérií priority"
    if parts[0] == "sources":
        return "Zdroj hodnoty"
    for cut in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in FIELD_LABELS_CS:
            return f"{FIELD_LABELS_CS[prefix]}: další údaj"
    return "Neznámé pole"


# --- translating the model's own validation ---------------------------------------------------------

_WHOLE_NUMBER = ("Hodnota musí být celé číslo.", "Must be a whole number.")
_NUMBER = ("Hodnota musí být číslo.", "Must be a number.")
_DATE = ("Hodnota musí být datum ve tvaru RRRR-MM-DD.", "Must be a date (YYYY-MM-DD).")
_YES_NO = ("Hodnota musí být ano (true), nebo ne (false).", "Must be true or false.")
_MAPPING = ("Očekává se mapování (název: hodnota).", "A mapping (name: value) is expected.")
_LIST = ("Očekává se seznam.", "A list is expected.")
_NOT_ALLOWED = ("Nepovolená hodnota; povolené: {expected}.", "Not allowed; expected {expected}.")

_TYPE_TEXTS: dict[str, tuple[str, str]] = {
    "missing": (
        "Údaj chybí. Sada pravidel musí být úplná (každá hodnota vypsaná).",
        "Missing. A rule set must be complete (every value written out).",
    ),
    "greater_than": ("Hodnota musí být větší než {gt}.", "Must be greater than {gt}."),
    "greater_than_equal": ("Hodnota musí být alespoň {ge}.", "Must be at least {ge}."),
    "less_than": ("Hodnota musí být menší než {lt}.", "Must be less than {lt}."),
    "less_than_equal": ("Hodnota smí být nejvýše {le}.", "Must be at most {le}."),
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), _WHOLE_NUMBER),
    **dict.fromkeys(("decimal_type", "decimal_parsing"), _NUMBER),
    **dict.fromkeys(("date_type", "date_parsing", "date_from_datetime_parsing"), _DATE),
    "date_from_datetime_inexact": ("Hodnota musí být datum bez času.", "Must be a date without a time."),
    "string_type": ("Hodnota musí být text.", "Must be text."),
    "string_too_short": ("Text nesmí být prázdný.", "Must not be empty."),
    **dict.fromkeys(("bool_type", "bool_parsing"), _YES_NO),
    "extra_forbidden": (
        "Neznámé pole (překlep v názvu?); sada pravidel je nezná.",
        "Unknown field (a typo?); rule sets have no such field.",
    ),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), _MAPPING),
    **dict.fromkeys(("tuple_type", "list_type"), _LIST),
    **dict.fromkeys(("literal_error", "enum"), _NOT_ALLOWED),
    "union_tag_invalid": (
        "Neznámé kategorie osob životního minima; povolené: further_adult (do 30. 6. 2026),"
        " further_person_15_plus (od 1. 7. 2026).",
        "Unknown subsistence-minimum categories; expected further_adult or further_person_15_plus.",
    ),
}

#: the model's own value errors (English, from ``domain.rules``) with their Czech reading
_VALUE_ERRORS_CS: tuple[tuple[str, str], ...] = (
    (
        "expected allowance_hint_pct <= excessive_pct <= at_risk_pct",
        "Prahy nákladů na bydlení musí jít po sobě: příspěvek na bydlení ≤ nadměrné náklady ≤ ohrožení"
        " ztrátou bydlení.",
    ),
    (
        "expected severe_m2_per_person < m2_per_person",
        "Hranice extrémního přelidnění musí být menší než hranice přelidnění.",
    ),
    ("unconfirmed names an unknown field", "Seznam nepotvrzených hodnot uvádí neznámé pole"),
    ("sources names an unknown field", "Zdroje uvádějí neznámé pole"),
    (
        "special_vulnerability lacks the flags the code derives",
        "Zvláštní zranitelnost postrádá příznaky, které posouzení samo odvozuje",
    ),
)


def _location(loc: Iterable[Any]) -> str:
    parts = [str(part) for part in loc if str(part) not in _UNION_TAGS]
    return ".".join(parts) or WHOLE_FILE


def _value_error_cs(message: str) -> str:
    text = message.removeprefix("Value error, ")
    for english, czech in _VALUE_ERRORS_CS:
        if text.startswith(english):
            rest = text[len(english) :].lstrip(": ")
            return f"{czech}: {rest}." if rest else czech
    return f"Neplatná hodnota: {text}"


def _from_validation(error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        code = str(item["type"])
        field = _location(item["loc"])
        context = {key: str(value) for key, value in (item.get("ctx") or {}).items()}
        if code in ("value_error", "assertion_error"):
            problems.append(Problem(field, "inconsistent", _value_error_cs(item["msg"]), item["msg"]))
            continue
        cs, en = _TYPE_TEXTS.get(code, ("Neplatná hodnota.", item["msg"]))
        try:
            cs, en = cs.format(**context), en.format(**context)
        except (KeyError, IndexError):
            pass
        problems.append(Problem(field, code, cs, en))
    return problems


# --- completeness, sources, date, consistency -------------------------------------------------------


def _defaults_relied_on(model: BaseModel, path: str = "") -> list[Problem]:
    """Fields left to their default (not written in the file), through nested models and maps."""
    problems: list[Problem] = []
    optional_attributes = isinstance(model, _OPTIONAL_ATTRIBUTE_MODELS)
    for name, info in type(model).model_fields.items():
        where = f"{path}{name}"
        if not path and name in OPTIONAL_FIELDS:
            continue
        if name not in model.model_fields_set and not info.is_required() and not optional_attributes:
            problems.append(
                Problem(
                    where,
                    "missing",
                    "Údaj chybí a platila by pro něj výchozí hodnota. Sada pravidel musí být úplná:"
                    " vypište ho.",
                    "Missing: a default would apply. A rule set must be complete: write it out.",
                )
            )
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            problems += _defaults_relied_on(value, f"{where}.")
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    problems += _defaults_relied_on(item, f"{where}.{key}.")
    return problems


def _missing_codes(rules: RuleSet, in_force: RuleSet | None) -> list[Problem]:
    """Codes the set in force knows and the upload drops (stored surveys use them)."""
    if in_force is None:
        return []
    problems = []
    for group in _ENTRY_GROUPS_CS:
        have: Mapping[str, object] = getattr(rules, group)
        for code, rule in getattr(in_force, group).items():
            if code not in have:
                problems.append(
                    Problem(
                        f"{group}.{code}",
                        "missing",
                        f"Chybí záznam „{rule.label}“, který platná sada pravidel zná; uložená šetření"
                        " ho používají, proto ho nová sada musí obsahovat také.",
                        f"Missing entry {code!r} that the rule set in force has; stored surveys use it.",
                    )
                )
    return problems


def _covered(path: str, value: Any, sources: Mapping[str, Any]) -> bool:
    if path in sources:
        return True
    if isinstance(value, dict) and value:
        return all(_covered(f"{path}.{key}", item, sources) for key, item in value.items())
    return False


def _unsourced(data: Mapping[str, Any]) -> list[Problem]:
    """Value fields the ``sources`` map does not cover (a path covers everything below it)."""
    raw_sources = data.get("sources")
    sources: Mapping[str, Any] = raw_sources if isinstance(raw_sources, dict) else {}
    problems = []
    for name in RuleSet.model_fields:
        if name in META_FIELDS and not (name == "overlaps" and data.get("overlaps")):
            continue
        if name not in data:
            continue  # reported as missing
        if not _covered(name, data[name], sources):
            problems.append(
                Problem(
                    name,
                    "unsourced",
                    "Hodnota nemá uvedený zdroj. Doplňte do „sources“ předpis nebo dokument, ze kterého"
                    " pochází (zdroj pole platí i pro vše pod ním).",
                    "No source given. Add the law or document it comes from to 'sources' (a path"
                    " covers everything below it).",
                )
            )
    for key, text in sources.items():
        if not isinstance(text, str) or not text.strip():
            problems.append(
                Problem(
                    f"sources.{key}",
                    "unsourced",
                    "Zdroj nesmí být prázdný.",
                    "A source must not be empty.",
                )
            )
    return problems


def _dated(effective_from: date, today: date) -> list[Problem]:
    if effective_from >= today:
        return []
    return [
        Problem(
            "effective_from",
            "date_in_past",
            f"Účinnost od {format_date(effective_from)} je v minulosti. Nová sada pravidel smí platit"
            f" nejdříve dnes ({format_date(today)}); posouzení, která už proběhla, se nemění.",
            f"Effective from {effective_from.isoformat()} is in the past; a new rule set may take effect"
            f" today ({today.isoformat()}) at the earliest.",
        )
    ]


def _order(problems: list[Problem], field: str, ok: bool, message_cs: str, message_en: str) -> None:
    if not ok:
        problems.append(Problem(field, "inconsistent", message_cs, message_en))


def _version_taken(version: str) -> Problem:
    return Problem(
        "version",
        "inconsistent",
        f"Verze {version} už existuje. Každá sada pravidel potřebuje novou verzi (posouzení ji cituje).",
        f"Version {version} already exists; every rule set needs a new version.",
    )


def _consistency(rules: RuleSet, known: Sequence[RuleSet]) -> list[Problem]:
    problems: list[Problem] = []
    versions = {known_set.version for known_set in known}
    if rules.version in versions:
        problems.append(_version_taken(rules.version))
    unknown = [version for version in rules.supersedes if version not in versions]
    _order(
        problems,
        "supersedes",
        not unknown,
        f"Nahrazuje neznámou sadu pravidel: {', '.join(unknown)}.",
        f"Supersedes an unknown rule set: {', '.join(unknown)}.",
    )
    replaced = superseded_versions([*known, rules])
    same_day = [
        known_set.version
        for known_set in known
        if known_set.effective_from == rules.effective_from and known_set.version not in replaced
    ]
    _order(
        problems,
        "effective_from",
        not same_day,
        f"Ke dni {format_date(rules.effective_from)} už platí sada {', '.join(same_day)}. Zvolte jiné datum,"
        " nebo ji uveďte v „supersedes“ (nahrazuje).",
        f"Rule set {', '.join(same_day)} already takes effect that day; choose another date or supersede it.",
    )
    low, high = COEFFICIENT_RANGE
    _order(
        problems,
        "income_ceiling_coefficient",
        low <= rules.income_ceiling_coefficient <= high,
        f"Koeficient {rules.income_ceiling_coefficient} není věrohodný: očekává se mezi {low} a {high}"
        " (zákon 1,43, nařízení vlády 1,6).",
        f"Coefficient {rules.income_ceiling_coefficient} is implausible: expected between {low} and {high}.",
    )
    minimum = rules.subsistence_minimum
    _order(
        problems,
        "subsistence_minimum",
        minimum.single_person >= minimum.first >= minimum.further,
        "Částky životního minima nejdou po sobě: jednotlivec ≥ první osoba ≥ další osoba.",
        "Subsistence-minimum amounts out of order: single person >= first person >= further person.",
    )
    costs = rules.housing_costs
    _order(
        problems,
        "housing_costs.at_risk_pct",
        costs.at_risk_pct >= costs.excessive_pct,
        "Práh ohrožení ztrátou bydlení musí být alespoň práh nadměrných nákladů.",
        "The at-risk threshold must be at least the excessive threshold.",
    )
    _order(
        problems,
        "overcrowding.severe_m2_per_person",
        rules.overcrowding.severe_m2_per_person < rules.overcrowding.m2_per_person,
        "Hranice extrémního přelidnění musí být menší než hranice přelidnění.",
        "The severe-overcrowding limit must be below the overcrowding limit.",
    )
    validity = rules.register_validity
    _order(
        problems,
        "register_validity.reassessment_window_days",
        validity.reassessment_window_days < validity.months * 28,
        "Přehodnocení musí začít až po zápisu: okno přehodnocení musí být kratší než platnost zápisu.",
        "The reassessment window must be shorter than the validity of an entry.",
    )
    _order(
        problems,
        "eviction_horizon_days",
        rules.eviction_horizon_days > 0,
        "Horizont hrozící ztráty bydlení musí být alespoň 1 den.",
        "The eviction horizon must be at least one day.",
    )
    levels = rules.priority.need_level
    points = [levels.of(level) for level in NeedLevel]
    _order(
        problems,
        "priority.need_level",
        all(a >= b for a, b in pairwise(points)),
        "Body za úroveň bytové nouze musí klesat od „bez střechy“ po „není v bytové nouzi“.",
        "Need-level points must not rise from roofless to not in need.",
    )
    priority = rules.priority
    _order(
        problems,
        "priority.cost_burden_at_risk",
        priority.cost_burden_at_risk >= priority.cost_burden_excessive,
        "Body za náklady ohrožující bydlení musí být alespoň body za nadměrné náklady (platí místo nich).",
        "At-risk cost points must be at least the excessive cost points (they apply instead).",
    )
    _order(
        problems,
        "priority.severe_overcrowding",
        priority.severe_overcrowding >= priority.overcrowding,
        "Body za extrémní přelidnění musí být alespoň body za přelidnění (platí místo nich).",
        "Severe-overcrowding points must be at least the overcrowding points.",
    )
    _order(
        problems,
        "priority.children_cap",
        priority.children_cap >= priority.per_child,
        "Strop bodů za děti musí být alespoň body za jedno dítě.",
        "The children cap must be at least the points per child.",
    )
    return problems


def check_rule_set(
    text: str, *, today: date, known: Sequence[RuleSet], in_force: RuleSet | None
) -> CheckOutcome:
    """Check an uploaded rule set (YAML ``text``) against ``today`` and the ``known`` rule sets (those
    in use: packaged and activated); ``in_force`` is the set in force today (its codes must stay)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return CheckOutcome(
            None,
            (
                Problem(
                    WHOLE_FILE,
                    "yaml",
                    f"Soubor není platný YAML: {exc}",
                    f"Not valid YAML: {exc}",
                ),
            ),
        )
    if not isinstance(data, dict):
        return CheckOutcome(
            None,
            (
                Problem(
                    WHOLE_FILE,
                    "yaml",
                    "Sada pravidel musí být mapování (název: hodnota), ne prázdný soubor nebo seznam.",
                    "A rule set must be a mapping (name: value).",
                ),
            ),
        )
    problems = _unsourced(data)
    raw_date = data.get("effective_from")
    try:
        rules = RuleSet.model_validate(data)
    except ValidationError as exc:
        problems = _from_validation(exc) + problems
        if isinstance(raw_date, date):
            problems += _dated(raw_date, today)
        raw_version = data.get("version")
        if isinstance(raw_version, str) and raw_version in {known_set.version for known_set in known}:
            problems.append(_version_taken(raw_version))
        return CheckOutcome(None, tuple(problems))
    problems = (
        _defaults_relied_on(rules)
        + _missing_codes(rules, in_force)
        + problems
        + _dated(rules.effective_from, today)
        + _consistency(rules, known)
    )
    return CheckOutcome(rules, tuple(problems))


# --- value-by-value comparison -------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRow:
    """One value of the proposed set beside the same value of the set in force."""

    path: str
    label: str
    current: object
    proposed: object
    source: str | None

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


_NOT_COMPARED = frozenset({"sources"})


def flatten(rules: RuleSet) -> dict[str, object]:
    """Every leaf value of ``rules`` by its dotted path (maps by key; lists as tuples)."""
    out: dict[str, object] = {}

    def walk(path: str, value: object) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(f"{path}.{name}" if path else name, getattr(value, name))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(f"{path}.{key}", item)
        else:
            out[path] = value

    for name in RuleSet.model_fields:
        if name not in _NOT_COMPARED:
            walk(name, getattr(rules, name))
    return out


def compare(current: RuleSet | None, proposed: RuleSet) -> list[ValueRow]:
    """The proposed set value by value beside ``current`` (None: nothing in force), in the order of
    the proposed set's fields, then the values only the current set has."""
    ours = flatten(proposed)
    theirs = flatten(current) if current is not None else {}
    paths = list(ours) + [path for path in theirs if path not in ours]
    return [
        ValueRow(
            path=path,
            label=field_label(path, proposed, current),
            current=theirs.get(path),
            proposed=ours.get(path),
            source=source_for(proposed, path),
        )
        for path in paths
    ]


# --- the impact of a proposed set on one stored result ---------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a result decides for the register: entry, need level, priority."""

    qualifies: bool
    need_level: str
    priority: int


ENTERS = "enters"
LEAVES = "leaves"
NEED_LEVEL = "need_level"
PRIORITY = "priority"

CHANGE_CS: dict[str, str] = {
    ENTERS: "nově by splnil(a) podmínky zápisu do evidence",
    LEAVES: "přestal(a) by splňovat podmínky zápisu do evidence",
    NEED_LEVEL: "změna úrovně bytové nouze",
    PRIORITY: "změna bodů priority",
}


def changes(before: Outcome, after: Outcome) -> tuple[str, ...]:
    """How ``after`` differs from ``before``: entering or leaving the register, need level, priority."""
    out = []
    if after.qualifies and not before.qualifies:
        out.append(ENTERS)
    if before.qualifies and not after.qualifies:
        out.append(LEAVES)
    if after.need_level != before.need_level:
        out.append(NEED_LEVEL)
    if after.priority != before.priority:
        out.append(PRIORITY)
    return tuple(out)
