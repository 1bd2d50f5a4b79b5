"""The catalogue entry form: flat HTML fields (``provider.name``, ``opening_hours.slots.0.opens``) to
the nested entry data and back, and each validation error to the form field it belongs next to.

Empty optional fields are left out, so the model's own defaults and "missing" messages apply; numbers
may be written the Czech way (``12 500``, ``54,5``); a value that does not parse is passed on as text,
so the model names what is wrong with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from kmb_shared.errors import localize

from ...domain import Solution

#: empty opening-hours rows the form offers below the filled ones (at least this many rows in all)
MIN_SLOT_ROWS = 3
MAX_SLOT_ROWS = 14
SLOT_PATTERN = re.compile(r"^opening_hours\.slots\.(\d+)(\..*)?$")

TEXT_FIELDS = (
    "kind",
    "title",
    "description",
    "provider.name",
    "provider.ico",
    "contacts.email",
    "contacts.web",
    "contacts.person",
    "address.street",
    "address.city",
    "address.postcode",
    "address.district",
    "opening_hours.note",
    "valid_from",
    "valid_to",
    "municipal_category",
    "guarantee_provider",
)
INT_FIELDS = (
    "capacity.total",
    "capacity.free",
    "rooms",
    "rent_monthly",
    "eligibility.min_household_size",
    "eligibility.max_household_size",
    "eligibility.income_ceiling",
    "eligibility.min_age",
    "eligibility.max_age",
)
DECIMAL_FIELDS = ("size_m2",)
LIST_FIELDS = (
    "situations",
    "eligibility.need_levels",
    "eligibility.household_types",
    "eligibility.ethos_categories",
    "eligibility.required_flags",
    "eligibility.excluded_flags",
)
CHECKBOXES = ("opening_hours.nonstop", "eligibility.children_allowed", "eligibility.within_register_ceiling")

#: a rule broken by the entry as a whole (or by a group) -> the field its message is shown next to,
#: found by the rule's English message (the domain's ``invalid_value`` texts)
RULE_FIELDS: Mapping[str, str] = {
    "Validity cannot end before it starts": "valid_to",
    "Flats and shelter places must state their capacity": "capacity.total",
    "A benefit has no capacity": "capacity.total",
    "Exactly the municipal flats have a category A/B/C": "municipal_category",
    "Exactly guaranteed housing names a guarantee provider": "guarantee_provider",
    "Only flats have a floor area and rooms": "size_m2",
    "A demo entry must say DEMO in its title": "title",
    "Free places cannot exceed the total": "capacity.free",
    "ETHOS categories are 1 to 13": "eligibility.ethos_categories",
    "A flag cannot be both required and excluded": "eligibility.excluded_flags",
    "The minimum age is above the maximum age": "eligibility.max_age",
    "The minimum household size is above the maximum": "eligibility.max_household_size",
    "A non-stop service has no time slots": "opening_hours.nonstop",
    "Opening hours need time slots, non-stop or a note": "opening_hours.note",
}
#: a rule of one opening-hours row, by its English message -> the row's field
SLOT_RULE_FIELDS: Mapping[str, str] = {"Opening and closing times must differ": "closes"}
#: where an error about the whole form goes (shown above the form)
GENERAL = "form"
#: Czech messages for error codes the shared localizer does not word itself
EXTRA_MESSAGES: Mapping[str, str] = {
    "time_parsing": "Zadejte čas ve tvaru H:MM, např. 8:30.",
    "time_type": "Zadejte čas ve tvaru H:MM, např. 8:30.",
}


@dataclass
class EntryForm:
    """What the user sent: the single values, the checkbox groups, and the entry data built from them."""

    values: dict[str, str]
    lists: dict[str, list[str]]
    data: dict[str, Any] = field(default_factory=dict)
    #: data index of an opening-hours row -> its row on the form (empty rows are skipped)
    slot_rows: list[int] = field(default_factory=list)

    def field_errors(self, exc: ValidationError) -> dict[str, str]:
        """Each validation error of the entry next to its form field (the first one per field)."""
        errors: dict[str, str] = {}
        for item in localize(list(exc.errors(include_url=False))):
            message = EXTRA_MESSAGES.get(item["code"], item["message_cs"])
            errors.setdefault(self.form_field(item["field"], item["message_en"]), message)
        return errors

    def form_field(self, error_field: str, message_en: str) -> str:
        """The form field an error (``field`` as the shared localizer names it) is shown next to."""
        slot = SLOT_PATTERN.match(error_field)
        if slot:
            index = int(slot.group(1))
            row = self.slot_rows[index] if index < len(self.slot_rows) else index
            rest = (slot.group(2) or "").lstrip(".").split(".")[0]
            rest = rest or SLOT_RULE_FIELDS.get(message_en, "weekdays")
            return f"opening_hours.slots.{row}.{rest}"
        if message_en in RULE_FIELDS:
            return RULE_FIELDS[message_en]
        name = ".".join(p for p in error_field.split(".") if not p.isdigit())
        if name == "capacity":  # the capacity as a whole does not fit the kind: its total is wrong
            return "capacity.total"
        if name.startswith("contacts.phones"):
            return "contacts.phones"
        known = (*TEXT_FIELDS, *INT_FIELDS, *DECIMAL_FIELDS, *LIST_FIELDS, *CHECKBOXES)
        if name in known or name in ("contacts.phones", "wheelchair_accessible"):
            return name
        return GENERAL


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *groups, last = path.split(".")
    for group in groups:
        data = data.setdefault(group, {})
    data[last] = value


def _number(text: str, decimal: bool = False) -> str:
    cleaned = re.sub(r"[\s\u00a0]", "", text)
    return cleaned.replace(",", ".") if decimal else cleaned


def slot_rows(values: Mapping[str, str], lists: Mapping[str, list[str]]) -> range:
    """The opening-hours rows to show or read: every row the form has, plus one empty row."""
    used = [int(m.group(1)) for key in (*values, *lists) if (m := SLOT_PATTERN.match(key))]
    return range(min(MAX_SLOT_ROWS, max(MIN_SLOT_ROWS, max(used, default=-1) + 2)))


def _time(text: str) -> str:
    """``8:30`` or ``8.30`` -> ``08:30`` (what a browser without a time picker lets people type)."""
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else text.strip()


def _opening_hours(form: EntryForm) -> dict[str, Any] | None:
    values, lists = form.values, form.lists
    slots = []
    for row in slot_rows(values, lists):
        prefix = f"opening_hours.slots.{row}."
        slot: dict[str, Any] = {
            "weekdays": lists.get(prefix + "weekdays", []),
            "opens": _time(values.get(prefix + "opens", "")),
            "closes": _time(values.get(prefix + "closes", "")),
        }
        if not any(slot.values()):
            continue
        slots.append({k: v for k, v in slot.items() if v or k == "weekdays"})
        form.slot_rows.append(row)
    nonstop = bool(values.get("opening_hours.nonstop"))
    note = values.get("opening_hours.note", "").strip()
    if not (slots or nonstop or note):
        return None
    return {"slots": slots, "nonstop": nonstop, **({"note": note} if note else {})}


def parse_entry_form(values: Mapping[str, str], lists: Mapping[str, list[str]]) -> EntryForm:
    """The entry data of a submitted form (validate it with ``SolutionCreate``)."""
    form = EntryForm(dict(values), {k: list(v) for k, v in lists.items()})
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if text := values.get(name, "").strip():
            _put(data, name, text)
    for name in INT_FIELDS + DECIMAL_FIELDS:
        if text := values.get(name, "").strip():
            _put(data, name, _number(text, decimal=name in DECIMAL_FIELDS))
    for name in LIST_FIELDS:
        _put(data, name, form.lists.get(name, []))
    for name in CHECKBOXES:
        _put(data, name, bool(values.get(name)))
    phones = [p.strip() for p in re.split(r"[,;\n]", values.get("contacts.phones", "")) if p.strip()]
    _put(data, "contacts.phones", phones)
    accessible = values.get("wheelchair_accessible", "")
    if accessible in ("yes", "no"):
        data["wheelchair_accessible"] = accessible == "yes"
    data.setdefault("provider", {})
    data.pop("opening_hours", None)
    if (hours := _opening_hours(form)) is not None:
        data["opening_hours"] = hours
    form.data = data
    return form


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def entry_form_values(solution: Solution) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The form filled in with ``solution`` (for the edit page)."""
    data = solution.model_dump(mode="json")

    def get(path: str) -> Any:
        node: Any = data
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node

    values = {name: _text(get(name)) for name in TEXT_FIELDS + INT_FIELDS + DECIMAL_FIELDS}
    values.update({name: "1" for name in CHECKBOXES if get(name)})
    values["contacts.phones"] = ", ".join(get("contacts.phones") or [])
    accessible = solution.wheelchair_accessible
    values["wheelchair_accessible"] = "" if accessible is None else ("yes" if accessible else "no")
    lists = {name: sorted(str(v) for v in get(name) or []) for name in LIST_FIELDS}
    hours = solution.opening_hours
    for row, slot in enumerate(hours.slots if hours else ()):
        prefix = f"opening_hours.slots.{row}."
        lists[prefix + "weekdays"] = [str(d) for d in slot.weekdays]
        values[prefix + "opens"] = slot.opens.strftime("%H:%M")
        values[prefix + "closes"] = slot.closes.strftime("%H:%M")
    return values, lists


def new_entry_values(today: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The empty form: in force from today, open to households with children."""
    return {"valid_from": today, "eligibility.children_allowed": "1"}, {}
