"""The case form as plain HTML fields, turned into the API's ``CaseIn`` shape and back.

Field names are the dotted paths of the API body (``members.0.first_name``, ``address.orp_code``), so a
validation error names the field it belongs to. The form has a fixed number of member rows (no
JavaScript needed); empty rows are left out, and errors of the rows sent are mapped back to the rows
as the worker sees them. Amounts may be typed the Czech way (``12 500,50``), dates also as ``15. 3. 1985``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MEMBER_ROWS = 4
INCOME_ROWS = 2

MEMBER_FIELDS: Mapping[str, str] = {
    "first_name": "jméno",
    "last_name": "příjmení",
    "date_of_birth": "datum narození",
    "relationship": "vztah k žadateli",
    "sex": "pohlaví",
    "birth_number": "rodné číslo",
    "dependent_child": "nezaopatřené dítě",
}
#: the fields of a member row that, filled in, make the row count (selects alone do not)
MEMBER_TEXT = ("first_name", "last_name", "date_of_birth", "birth_number")
HOUSEHOLD_FIELDS: Mapping[str, str] = {
    "phone": "Telefon",
    "email": "E-mail",
    "address.street": "Ulice a číslo",
    "address.municipality": "Obec",
    "address.postal_code": "PSČ",
    "address.district": "Městská část",
    "address.orp_code": "Kód ORP",
    "dwelling.kind": "Druh bydlení",
    "dwelling.legal_title": "Právní titul k bydlení",
    "dwelling.size_m2": "Plocha (m²)",
    "dwelling.rooms": "Počet obytných místností",
    "costs.rent": "Nájemné měsíčně (Kč)",
    "costs.services": "Služby měsíčně (Kč)",
    "costs.energy": "Energie měsíčně (Kč)",
    "arrears": "Dluh na nájemném a službách (Kč)",
    "other_debts": "Jiné dluhy (Kč)",
    "notice_date": "Datum výpovědi",
    "eviction_date": "Datum vystěhování",
    "legal_basis": "Právní titul zpracování",
    "consent.purpose": "Účel souhlasu",
    "consent.given_on": "Souhlas udělen dne",
    "consent.partners": "Partneři, na které se souhlas vztahuje",
}
LIST_FIELDS = ("vulnerability_flags", "consent.partners")
NUMBER_FIELDS = frozenset(
    {
        "costs.rent",
        "costs.services",
        "costs.energy",
        "arrears",
        "other_debts",
        "dwelling.size_m2",
        "dwelling.rooms",
    }
)
DATE_FIELDS = frozenset({"notice_date", "eviction_date", "consent.given_on"})
CZECH_DATE = re.compile(r"^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s*$")
MEMBER_PATH = re.compile(r"^members\.(\d+)(?:\.incomes\.(\d+))?(.*)$")


def number_text(value: str) -> str:
    """``"12 500,50"`` -> ``"12500.50"`` (spaces, also non-breaking, dropped; decimal comma)."""
    return re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")


def date_text(value: str) -> str:
    """``"15. 3. 1985"`` -> ``"1985-03-15"``; anything else as typed (ISO from date inputs)."""
    match = CZECH_DATE.match(value)
    if not match:
        return value.strip()
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


@dataclass
class CaseForm:
    """The API body built from the form, and where each member and income came from."""

    data: dict[str, Any] = field(default_factory=dict)
    member_rows: list[int] = field(default_factory=list)
    income_rows: dict[int, list[int]] = field(default_factory=dict)

    def form_field(self, api_field: str) -> str:
        """The form field of an error's API path (member and income indices mapped back)."""
        match = MEMBER_PATH.match(api_field)
        if match is None:
            for name in LIST_FIELDS:
                if api_field.startswith(name + "."):
                    return name
            return api_field
        member, income, rest = int(match.group(1)), match.group(2), match.group(3)
        if member >= len(self.member_rows):
            return "members"
        row = self.member_rows[member]
        if income is None:
            return f"members.{row}{rest}"
        incomes = self.income_rows.get(member, [])
        income_row = incomes[int(income)] if int(income) < len(incomes) else 0
        return f"members.{row}.incomes.{income_row}{rest}"


def _member(
    values: Mapping[str, str], row: int, income_count: int
) -> tuple[dict[str, Any], list[int]] | None:
    prefix = f"members.{row}."
    member: dict[str, Any] = {}
    for name in MEMBER_FIELDS:
        value = values.get(prefix + name, "").strip()
        if value:
            member[name] = date_text(value) if name == "date_of_birth" else value
    incomes, income_rows = [], []
    for j in range(income_count):
        source = values.get(f"{prefix}incomes.{j}.source", "").strip()
        amount = number_text(values.get(f"{prefix}incomes.{j}.amount_monthly", ""))
        if amount or source:
            income: dict[str, Any] = {}
            if amount:
                income["amount_monthly"] = amount
            if source:
                income["source"] = source
            incomes.append(income)
            income_rows.append(j)
    if not incomes and not any(name in member for name in MEMBER_TEXT):
        return None
    if incomes:
        member["incomes"] = incomes
    return member, income_rows


MEMBER_ROW = re.compile(r"^members\.(\d{1,2})\.")
INCOME_ROW = re.compile(r"^members\.\d{1,2}\.incomes\.(\d{1,2})\.")


def member_row_count(values: Mapping[str, str]) -> int:
    """The member rows of a submitted form: at least ``MEMBER_ROWS``, more when the form had more (a
    household edited on the page may have more members than the new-case form has rows)."""
    rows = [int(m.group(1)) + 1 for key in values if (m := MEMBER_ROW.match(key))]
    return max([MEMBER_ROWS, *rows])


def income_row_count(values: Mapping[str, str]) -> int:
    """The income rows per member of a submitted form: at least ``INCOME_ROWS``, more when it had more."""
    rows = [int(m.group(1)) + 1 for key in values if (m := INCOME_ROW.match(key))]
    return max([INCOME_ROWS, *rows])


def case_from_form(values: Mapping[str, str], lists: Mapping[str, list[str]], worker_id: str) -> CaseForm:
    """The ``CaseIn`` body of a submitted case form; blank fields are left out (so the model says
    which required ones are missing). A consent keeps the worker who recorded it when the form
    carries ``consent.worker_id`` (an edited household), else it names ``worker_id``."""
    form = CaseForm()
    members: list[dict[str, Any]] = []
    income_rows = income_row_count(values)
    for row in range(member_row_count(values)):
        parsed = _member(values, row, income_rows)
        if parsed is not None:
            form.income_rows[len(members)] = parsed[1]
            members.append(parsed[0])
            form.member_rows.append(row)
    form.data["members"] = members
    for name in HOUSEHOLD_FIELDS:
        value = values.get(name, "").strip()
        if not value or name.startswith("consent."):
            continue
        if name in NUMBER_FIELDS:
            value = number_text(value)
        elif name in DATE_FIELDS:
            value = date_text(value)
        _put(form.data, name, value)
    form.data["vulnerability_flags"] = list(lists.get("vulnerability_flags", []))
    if values.get("consent.given"):
        consent: dict[str, Any] = {"worker_id": values.get("consent.worker_id", "").strip() or worker_id}
        for name in ("purpose", "given_on"):
            value = values.get(f"consent.{name}", "").strip()
            if value:
                consent[name] = date_text(value) if name == "given_on" else value
        partners = re.split(r"[\s,;]+", values.get("consent.partners", "").strip())
        consent["partners"] = [slug for slug in partners if slug]
        form.data["consent"] = consent
    form.data.setdefault("address", {})
    form.data.setdefault("dwelling", {})
    if values.get("contact_id", "").strip():
        form.data["contact_id"] = values["contact_id"].strip()
    return form


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def form_from_household(household: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The form values (and checkbox lists) of a stored household: the household page starts from
    what is stored. Members stored by the thin flow (one ``name``, ``birth_date``) are split."""
    values: dict[str, str] = {}
    for i, member in enumerate(household.get("members") or []):
        if not isinstance(member, Mapping):
            continue
        p = f"members.{i}."
        first, last = member.get("first_name"), member.get("last_name")
        if first is None and last is None:
            first, _, last = _text(member.get("name")).partition(" ")
        values[p + "first_name"], values[p + "last_name"] = _text(first), _text(last)
        values[p + "date_of_birth"] = _text(member.get("date_of_birth") or member.get("birth_date"))
        for name in ("relationship", "sex", "birth_number"):
            values[p + name] = _text(member.get(name))
        values[p + "dependent_child"] = _text(member.get("dependent_child")) or "unknown"
        for j, income in enumerate(member.get("incomes") or []):
            values[f"{p}incomes.{j}.source"] = _text(income.get("source"))
            values[f"{p}incomes.{j}.amount_monthly"] = _text(income.get("amount_monthly"))
    for name in HOUSEHOLD_FIELDS:
        if name.startswith("consent."):
            continue
        node: Any = household
        for part in name.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        values[name] = _text(node)
    consent = household.get("consent")
    if isinstance(consent, Mapping):
        values["consent.given"] = "1"
        values["consent.purpose"] = _text(consent.get("purpose"))
        values["consent.given_on"] = _text(consent.get("given_on"))
        values["consent.worker_id"] = _text(consent.get("worker_id"))
        values["consent.partners"] = ", ".join(consent.get("partners") or [])
    lists = {"vulnerability_flags": [str(flag) for flag in household.get("vulnerability_flags") or []]}
    return values, lists


def field_label(form_field: str) -> str:
    """A Czech label for an error summary: ``members.1.birth_number`` -> "Člen 2: rodné číslo"."""
    match = re.match(r"^members\.(\d+)\.(?:incomes\.(\d+)\.)?(\w+)$", form_field)
    if match:
        number = int(match.group(1)) + 1
        if match.group(2) is not None:
            what = "zdroj příjmu" if match.group(3) == "source" else "výše příjmu"
            return f"Člen {number}: {what} {int(match.group(2)) + 1}"
        return f"Člen {number}: {MEMBER_FIELDS.get(match.group(3), match.group(3))}"
    special = {
        "members": "Členové domácnosti",
        "consent": "Souhlas nebo právní titul",
        "vulnerability_flags": "Zvláštní zranitelnost",
        "contact_id": "Kontakt",
        "body": "Formulář",
    }
    return HOUSEHOLD_FIELDS.get(form_field) or special.get(form_field, form_field)
