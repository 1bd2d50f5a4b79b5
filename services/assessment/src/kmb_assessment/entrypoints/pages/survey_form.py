"""The survey form (§16) as plain HTML fields, turned into the API's ``Survey`` body and back.

Field names are the survey's own, so a validation error names the field it belongs to. Dates may be
typed the Czech way (``30. 9. 2026``) as well as ISO (what date inputs send); the floor area with a
decimal comma. The form starts from the saved survey, else from intake's household snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from kmb_shared.contracts import HouseholdSnapshot

from ...application.survey import Survey, dwelling_kinds, legal_titles

LIST_FIELDS = ("extra_flags", "missing_facts", "checked_documents")
DATE_FIELDS = ("surveyed_on", "housing_ends_on")
#: the answers of "could the household pay an unexpected expense?" (empty: not asked)
EXPENSE_ANSWERS: dict[str, bool] = {"yes": True, "no": False}
EXPENSE_OPTIONS = [("yes", "ano"), ("no", "ne")]
#: the answers of the dependent-child question of a member (empty: not answered yet)
DEPENDENT_ANSWERS: dict[str, bool] = {"yes": True, "no": False}
DEPENDENT_OPTIONS = [("yes", "Ano"), ("no", "Ne")]
DEPENDENT_FIELD = "dependent_children"
_DEPENDENT_NAME = re.compile(rf"^{DEPENDENT_FIELD}\.(\d+)$")
#: where the errors about intake's household data are shown (they are corrected in intake)
HOUSEHOLD_FIELD = "household"

FIELD_LABELS: dict[str, str] = {
    "surveyed_on": "Datum šetření",
    "dwelling_kind": "Druh bydlení",
    "legal_title": "Právní důvod užívání",
    "size_m2": "Podlahová plocha (m²)",
    "housing_ends_on": "Bydlení končí dne",
    "unfit_for_habitation": "Byt nezpůsobilý k bydlení",
    "can_pay_unexpected_expense": "Domácnost by zvládla nečekaný výdaj",
    "extra_flags": "Další zvláštní zranitelnost",
    "missing_facts": "Nezjištěné údaje",
    "checked_documents": "Ověřené doklady",
    "notes": "Poznámky",
    "household": "Domácnost podle příjmu",
    "body": "Formulář",
}
DATE_ERROR = "Zadejte platné datum, např. 30. 9. 2026."
_DATE_PARSE_CODES = {"date_parsing", "date_from_datetime_parsing", "date_type"}
#: clearer words than the generic ones for the floor area (by error code)
SIZE_ERRORS: dict[str, str] = {
    "float_parsing": "Zadejte plochu v m², např. 34,5.",
    "float_type": "Zadejte plochu v m², např. 34,5.",
    "finite_number": "Zadejte plochu v m², např. 34,5.",
    "greater_than": "Plocha musí být větší než 0 m².",
    "less_than_equal": "Plocha smí být nejvýše 100 000 m².",
}
_CZECH_DATE = re.compile(r"^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s*$")


def date_text(value: str) -> str:
    """``"30. 9. 2026"`` -> ``"2026-09-30"``; anything else as typed (ISO from date inputs)."""
    match = _CZECH_DATE.match(value)
    if not match:
        return value.strip()
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def number_text(value: str) -> str:
    """``"12,5"`` -> ``"12.5"`` (spaces, also non-breaking, dropped; decimal comma)."""
    return re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")


def survey_from_form(values: Mapping[str, str], lists: Mapping[str, list[str]]) -> dict[str, Any]:
    """The ``Survey`` body of a submitted form; blank fields are left out (they mean "not found")."""
    body: dict[str, Any] = {}
    for name in DATE_FIELDS:
        text = values.get(name, "").strip()
        if text:
            body[name] = date_text(text)
    for name in ("dwelling_kind", "legal_title"):
        text = values.get(name, "").strip()
        if text:
            body[name] = text
    size = number_text(values.get("size_m2", ""))
    if size:
        body["size_m2"] = size
    body["unfit_for_habitation"] = bool(values.get("unfit_for_habitation"))
    expense = values.get("can_pay_unexpected_expense", "").strip()
    if expense:
        # An answer the form does not offer goes to validation as it came (and is refused there).
        body["can_pay_unexpected_expense"] = EXPENSE_ANSWERS.get(expense, expense)
    for name in LIST_FIELDS:
        body[name] = list(lists.get(name, []))
    notes = values.get("notes", "").strip()
    if notes:
        body["notes"] = notes
    answers: dict[str, Any] = {}
    for name, value in values.items():
        match = _DEPENDENT_NAME.match(name)
        if match and value.strip():
            # An answer the form does not offer goes to validation as it came (and is refused there).
            answers[match.group(1)] = DEPENDENT_ANSWERS.get(value.strip(), value.strip())
    if answers:
        body[DEPENDENT_FIELD] = answers
    return body


def dependent_field(member_index: int) -> str:
    """The form field of a member's dependent-child question (the API's field name)."""
    return f"{DEPENDENT_FIELD}.{member_index}"


def form_field(api_field: str) -> str:
    """The form field of an error's path (``checked_documents.0`` -> ``checked_documents``;
    ``dependent_children.2`` stays, one question per member; intake's data -> ``household``)."""
    head, _, rest = api_field.partition(".")
    if head == DEPENDENT_FIELD and rest.split(".", 1)[0].isdigit():
        return dependent_field(int(rest.split(".", 1)[0]))
    return head if head in FIELD_LABELS else "body"


def field_label(name: str) -> str:
    if name.startswith(f"{DEPENDENT_FIELD}."):
        return f"Nezaopatřené dítě – člen domácnosti č. {int(name.split('.', 1)[1]) + 1}"
    return FIELD_LABELS.get(name, name)


def errors_by_field(items: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Form field -> the first Czech message about it (from ``{field, code, message_cs}`` items)."""
    out: dict[str, str] = {}
    for item in items:
        name, code = form_field(item["field"]), item["code"]
        message = item["message_cs"]
        if name in DATE_FIELDS and code in _DATE_PARSE_CODES:
            message = DATE_ERROR
        elif name == "size_m2":
            message = SIZE_ERRORS.get(code, message)
        if name in out and name in (HOUSEHOLD_FIELD, "extra_flags") and message not in out[name]:
            out[name] = f"{out[name]} {message}"  # every implausible flag, not just the first
        else:
            out.setdefault(name, message)
    return out


def error_summary(errors: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(field, Czech label, message) for the list of errors above the form (an error of the whole
    form, under ``body``, is shown on its own)."""
    return [(name, field_label(name), message) for name, message in errors.items() if name != "body"]


def _number_value(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}".replace(".", ",")


def values_of_survey(survey: Survey) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The form's fields as the survey was saved."""
    expense = survey.can_pay_unexpected_expense
    values = {
        "surveyed_on": survey.surveyed_on.isoformat() if survey.surveyed_on else "",
        "dwelling_kind": survey.dwelling_kind or "",
        "legal_title": survey.legal_title or "",
        "size_m2": _number_value(survey.size_m2),
        "housing_ends_on": survey.housing_ends_on.isoformat() if survey.housing_ends_on else "",
        "unfit_for_habitation": "1" if survey.unfit_for_habitation else "",
        "can_pay_unexpected_expense": "" if expense is None else ("yes" if expense else "no"),
        "notes": survey.notes or "",
    }
    for index, answer in survey.dependent_children.items():
        values[dependent_field(index)] = "yes" if answer else "no"
    lists = {name: list(getattr(survey, name)) for name in LIST_FIELDS}
    return values, lists


def values_of_household(household: HouseholdSnapshot, today: date) -> dict[str, str]:
    """A first survey: dated today, with the dwelling as intake recorded it (codes the rule sets know)."""
    dwelling = household.dwelling
    values = {"surveyed_on": today.isoformat()}
    if dwelling is not None:
        if dwelling.kind in dwelling_kinds():
            values["dwelling_kind"] = dwelling.kind
        if dwelling.legal_title in legal_titles():
            values["legal_title"] = dwelling.legal_title
        if dwelling.size_m2:
            values["size_m2"] = _number_value(dwelling.size_m2)
    return values
