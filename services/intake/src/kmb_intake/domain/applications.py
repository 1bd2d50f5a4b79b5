"""Applications a contact point helps a household with (issue 12): the kinds as data, where each field
of a kind is pre-filled from in the case, the attachments' checklist and what is still missing.

A kind is read from a YAML file (``kmb_intake/application_kinds/`` ships the standard ones; a contact
point's folder, ``KMB_INTAKE_APPLICATION_KINDS_DIR``, adds kinds or replaces one by its code, fields and
wording included). :func:`parse_kind` checks a file's content and refuses it with a Czech message that
names the file and the place in it. Everything here is pure: no file, database or clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kmb_shared.contracts.vocabulary import (
    APPLICATION_GROUPS,
    APPLICATION_OUTCOMES,
    DWELLING_KINDS,
    INCOME_SOURCES,
    LEGAL_TITLES,
    NEED_LEVELS,
    RELATIONSHIPS,
)
from kmb_shared.formatting import format_date, format_money

from .birth_number import written_birth_number

#: the categories a document of the case may be given, so that an application's checklist ticks itself
DOCUMENT_CATEGORIES: Mapping[str, str] = {
    "id_card": "průkaz totožnosti",
    "income_proof": "doklad o příjmech",
    "lease": "nájemní nebo podnájemní smlouva",
    "housing_costs": "doklad o nákladech na bydlení",
    "bank_statement": "výpis z účtu",
    "notice": "výpověď z nájmu nebo rozhodnutí o vystěhování",
    "medical_report": "lékařská zpráva nebo rozhodnutí o postižení",
    "birth_certificate": "rodný list",
    "signed_application": "podepsaná žádost",
    "other": "jiný doklad",
}
#: how a submission reached the office
CHANNELS: Mapping[str, str] = {
    "in_person": "osobně",
    "post": "poštou",
    "data_box": "datovou schránkou",
    "email": "e-mailem",
    "online": "elektronickým formulářem",
}
STATES: Mapping[str, str] = {
    "draft": "rozpracovaná",
    "submitted": "podaná, čeká na odpověď",
    "decided": "vyřízená",
}
FIELD_TYPES = ("text", "textarea", "money", "number", "date")
FieldType = Literal["text", "textarea", "money", "number", "date"]

_INCOME_SOURCES = {f"income.{code}" for code in INCOME_SOURCES.as_dict()}
#: where a field may be pre-filled from (``None`` in a kind: the worker fills it in)
SOURCES: frozenset[str] = frozenset(
    {
        "applicant.first_name",
        "applicant.last_name",
        "applicant.name",
        "applicant.date_of_birth",
        "applicant.birth_number",
        "household.phone",
        "household.email",
        "address.street",
        "address.municipality",
        "address.postal_code",
        "address.district",
        "address.full",
        "dwelling.kind",
        "dwelling.legal_title",
        "dwelling.size_m2",
        "dwelling.rooms",
        "costs.rent",
        "costs.services",
        "costs.energy",
        "costs.total",
        "income.total",
        "income.by_source",
        "members.count",
        "members.list",
        "debts.arrears",
        "debts.other",
        "notice_date",
        "eviction_date",
        "assessment.need_level",
        "assessment.priority_score",
        "assessment.qualifies_for_register",
        "assessment.assessed_on",
        "today",
        *_INCOME_SOURCES,
    }
)


def _one_of(value: str, known: Iterable[str], unknown_cs: str) -> str:
    """``value`` if it is one of ``known``; else the Czech refusal naming it and what is known."""
    known = list(known)
    if value not in known:
        raise ValueError(f"{unknown_cs} „{value}“; známé: {', '.join(known)}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class KindField(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str = Field(min_length=1, max_length=200)
    type: FieldType = "text"
    source: str | None = None
    required: bool = False
    hint: str | None = Field(default=None, max_length=300)

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str | None) -> str | None:
        return None if value is None else _one_of(value, sorted(SOURCES), "neznámý zdroj")


class KindSection(_Strict):
    title: str = Field(min_length=1, max_length=200)
    fields: tuple[KindField, ...] = Field(min_length=1)


class KindAttachment(_Strict):
    category: str
    label: str = Field(min_length=1, max_length=300)
    required: bool = True

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        return _one_of(value, DOCUMENT_CATEGORIES, "neznámý druh dokladu")


class ApplicationKind(_Strict):
    """One kind of application: its form's sections and fields, its wording, the attachments."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    group: str
    title: str = Field(min_length=1, max_length=200)
    office: str = Field(min_length=1, max_length=300, description="To whom it is usually submitted")
    intro: str = Field(default="", max_length=2000)
    declaration: str = Field(default="", max_length=3000)
    answer_days: int = Field(default=30, ge=1, le=365, description="The office's usual time to answer")
    sections: tuple[KindSection, ...] = Field(min_length=1)
    attachments: tuple[KindAttachment, ...] = ()

    @field_validator("group")
    @classmethod
    def _known_group(cls, value: str) -> str:
        return _one_of(value, APPLICATION_GROUPS.as_dict(), "neznámá skupina")

    @model_validator(mode="after")
    def _unique_keys(self) -> ApplicationKind:
        keys = [f.key for f in self.fields]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"pole {', '.join(twice)} je v druhu uvedeno vícekrát")
        return self

    @property
    def fields(self) -> tuple[KindField, ...]:
        return tuple(f for section in self.sections for f in section.fields)


class KindFileError(ValueError):
    """A kind file that cannot be used: the message names the file, the place in it and what is wrong."""


def parse_kind(name: str, data: object) -> ApplicationKind:
    """The kind of one file's parsed content, or :class:`KindFileError` in Czech."""
    if not isinstance(data, dict):
        raise KindFileError(f"Soubor druhu žádosti {name}: obsahem má být mapa (klíč: hodnota).")
    try:
        return ApplicationKind.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "(celý soubor)"
            problems.append(f"{where}: {_message_cs(error)}")
        raise KindFileError(f"Soubor druhu žádosti {name} nelze použít: " + "; ".join(problems)) from None


def _message_cs(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "chybí (povinná položka)"
    if kind == "extra_forbidden":
        return "neznámá položka"
    if kind == "literal_error":
        return f"neznámý typ pole; možné: {', '.join(FIELD_TYPES)}"
    if kind == "string_pattern_mismatch":
        return "jen malá písmena bez diakritiky, číslice a podtržítka, na začátku písmeno"
    if kind == "too_short":
        return "nesmí být prázdné"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"neplatná hodnota ({error['msg']})"


def merge_kinds(*layers: Sequence[ApplicationKind]) -> dict[str, ApplicationKind]:
    """The kinds by code: each later layer adds kinds and replaces those of the same code."""
    kinds: dict[str, ApplicationKind] = {}
    for layer in layers:
        for kind in layer:
            kinds[kind.code] = kind
    return kinds


# --- pre-filling from the case -------------------------------------------------------------------


def _money(value: object) -> str:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return ""
    return str(amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount)


def _amount(value: object) -> Decimal:
    try:
        return Decimal(str(value or 0))
    except InvalidOperation:
        return Decimal(0)


def _applicant(household: Mapping[str, Any]) -> Mapping[str, Any]:
    members = household.get("members") or []
    for member in members:
        if member.get("relationship") == "applicant":
            return member  # type: ignore[no-any-return]
    return members[0] if members else {}


def _incomes(household: Mapping[str, Any]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for member in household.get("members") or []:
        for income in member.get("incomes") or []:
            source = str(income.get("source"))
            sums[source] = sums.get(source, Decimal(0)) + _amount(income.get("amount_monthly"))
    return sums


def _member_line(member: Mapping[str, Any]) -> str:
    name = f"{member.get('first_name', '')} {member.get('last_name', '')}".strip()
    parts = [
        name,
        f"nar. {format_date(member.get('date_of_birth'))}",
        RELATIONSHIPS.label(member.get("relationship")),
    ]
    incomes = [
        f"{INCOME_SOURCES.label(i.get('source'))} {format_money(_amount(i.get('amount_monthly')))}"
        for i in member.get("incomes") or []
    ]
    if incomes:
        parts.append("příjem: " + ", ".join(incomes))
    return ", ".join(parts)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def source_value(
    source: str, household: Mapping[str, Any], assessment: Mapping[str, Any] | None, today: date
) -> str | None:
    """The value a field gets from the case (text as the form shows it); ``None`` when the case does not
    have it (e.g. no assessment could be read): the worker fills it in."""
    applicant = _applicant(household)
    address = household.get("address") or {}
    dwelling = household.get("dwelling") or {}
    costs = household.get("costs") or {}
    incomes = _incomes(household)
    head, _, rest = source.partition(".")
    if head == "assessment":
        if not assessment:
            return None
        value = assessment.get(rest)
        if rest == "need_level":
            return NEED_LEVELS.label(value) if value else None
        if rest == "qualifies_for_register":
            return None if value is None else ("ano" if value else "ne")
        return None if value is None else str(value)
    simple: dict[str, object] = {
        "applicant.first_name": applicant.get("first_name"),
        "applicant.last_name": applicant.get("last_name"),
        "applicant.name": f"{applicant.get('first_name', '')} {applicant.get('last_name', '')}".strip(),
        "applicant.date_of_birth": applicant.get("date_of_birth"),
        "applicant.birth_number": written_birth_number(applicant.get("birth_number")),
        "household.phone": household.get("phone"),
        "household.email": household.get("email"),
        "address.street": address.get("street"),
        "address.municipality": address.get("municipality"),
        "address.postal_code": address.get("postal_code"),
        "address.district": address.get("district"),
        "address.full": ", ".join(
            str(p)
            for p in (address.get(k) for k in ("street", "postal_code", "municipality", "district"))
            if p
        ),
        "dwelling.kind": DWELLING_KINDS.label(dwelling["kind"]) if dwelling.get("kind") else None,
        "dwelling.legal_title": LEGAL_TITLES.label(dwelling["legal_title"])
        if dwelling.get("legal_title")
        else None,
        "dwelling.size_m2": dwelling.get("size_m2"),
        "dwelling.rooms": dwelling.get("rooms"),
        "members.count": len(household.get("members") or []),
        "members.list": "\n".join(_member_line(m) for m in household.get("members") or []),
        "notice_date": household.get("notice_date"),
        "eviction_date": household.get("eviction_date"),
        "today": today.isoformat(),
    }
    if source in simple:
        value = simple[source]
        return None if value in (None, "") else _text(value)
    money: dict[str, object] = {
        "costs.rent": costs.get("rent", 0),
        "costs.services": costs.get("services", 0),
        "costs.energy": costs.get("energy", 0),
        "costs.total": sum(_amount(costs.get(k)) for k in ("rent", "services", "energy")),
        "income.total": sum(incomes.values(), Decimal(0)),
        "debts.arrears": household.get("arrears", 0),
        "debts.other": household.get("other_debts", 0),
    }
    if source in money:
        return _money(money[source])
    if source == "income.by_source":
        lines = [f"{INCOME_SOURCES.label(code)}: {format_money(total)}" for code, total in incomes.items()]
        return "\n".join(lines) or None
    if source in _INCOME_SOURCES:
        return _money(incomes.get(rest, Decimal(0)))
    return None


def prefill(
    kind: ApplicationKind, household: Mapping[str, Any], assessment: Mapping[str, Any] | None, today: date
) -> dict[str, str]:
    """Every field of the kind with what the case says (empty where it says nothing)."""
    values = {}
    for field in kind.fields:
        value = source_value(field.source, household, assessment, today) if field.source else None
        values[field.key] = value or ""
    return values


# --- the worker's values, what is missing, the checklist -----------------------------------------


@dataclass(frozen=True)
class FieldProblem:
    key: str
    label: str
    message_cs: str


def check_values(
    kind: ApplicationKind, values: Mapping[str, str]
) -> tuple[dict[str, str], list[FieldProblem]]:
    """The form's values of the kind's fields (trimmed) and the ones that are not a valid value of their
    type (a money amount, a whole number, a date). Empty values are not a problem here: see :func:`missing`."""
    clean: dict[str, str] = {}
    problems = []
    for field in kind.fields:
        value = str(values.get(field.key, "")).strip()
        clean[field.key] = value
        if not value:
            continue
        message = _type_problem(field.type, value)
        if message:
            problems.append(FieldProblem(field.key, field.label, message))
    return clean, problems


def _type_problem(kind: str, value: str) -> str:
    if kind == "money":
        try:
            amount = Decimal(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            return "Zadejte částku v Kč (číslo)."
        return "" if amount >= 0 else "Částka nesmí být záporná."
    if kind == "number":
        return "" if value.isdigit() else "Zadejte celé číslo."
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return "Zadejte datum (RRRR-MM-DD)."
    return ""


def missing(kind: ApplicationKind, values: Mapping[str, str]) -> list[FieldProblem]:
    """The required fields without a value: the application cannot be printed as final until filled."""
    return [
        FieldProblem(f.key, f.label, f"Vyplňte „{f.label}“.")
        for f in kind.fields
        if f.required and not str(values.get(f.key, "")).strip()
    ]


#: the sources whose value is one value of the stored household, so that the worker may correct the case
#: from an application: source -> its path in the household (``applicant``: the applicant member)
CASE_PATHS: Mapping[str, tuple[str, ...]] = {
    **{
        source: tuple(source.removeprefix("household.").split("."))
        for source in (
            *(f"applicant.{name}" for name in ("first_name", "last_name", "date_of_birth", "birth_number")),
            "household.phone",
            "household.email",
            *(f"address.{name}" for name in ("street", "municipality", "postal_code")),
            *(f"costs.{name}" for name in ("rent", "services", "energy")),
            "dwelling.size_m2",
            "dwelling.rooms",
            "notice_date",
            "eviction_date",
        )
    },
    "debts.arrears": ("arrears",),
    "debts.other": ("other_debts",),
}


def corrected_household(
    kind: ApplicationKind, household: Mapping[str, Any], values: Mapping[str, str], today: date
) -> tuple[dict[str, Any], list[str]]:
    """The household with the application's values where they differ from what the case says, for
    the fields that are one value of the case (:data:`CASE_PATHS`), and the labels of those fields.
    Other fields (totals, lists, labels of codes) are not written back."""
    new = json.loads(json.dumps(household))
    changed = []
    for field in kind.fields:
        path = CASE_PATHS.get(field.source or "")
        value = str(values.get(field.key, "")).strip()
        if path is None or value == (source_value(field.source or "", household, None, today) or ""):
            continue
        target: Any = _applicant(new) if path[0] == "applicant" else new
        for part in path[1:-1] if path[0] == "applicant" else path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = (
            value.replace(" ", "").replace(",", ".") if field.type == "money" else (value or None)
        )
        changed.append(field.label)
    return new, changed


@dataclass(frozen=True)
class ChecklistItem:
    category: str
    label: str
    required: bool
    #: the names of the case's documents of that category (empty: still missing)
    documents: tuple[str, ...]

    @property
    def ticked(self) -> bool:
        return bool(self.documents)


def checklist(kind: ApplicationKind, documents: Sequence[tuple[str | None, str]]) -> list[ChecklistItem]:
    """Each attachment the office wants, ticked by the case's (not deleted) documents of its category
    (``documents``: category and file name of each)."""
    return [
        ChecklistItem(
            a.category,
            a.label,
            a.required,
            tuple(name for category, name in documents if category == a.category),
        )
        for a in kind.attachments
    ]


def shown(field_type: str, value: str) -> str:
    """A value as the printout shows it: money as "18 000 Kč", a date as "12. 4. 1988"."""
    if not value:
        return ""
    if field_type == "money":
        try:
            return format_money(
                Decimal(value.replace(" ", "").replace("\u00a0", "").replace(",", ".")), nbsp=False
            )
        except InvalidOperation:
            return value
    if field_type == "date":
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def outcome_label(code: str | None) -> str:
    return APPLICATION_OUTCOMES.label(code) if code else ""
