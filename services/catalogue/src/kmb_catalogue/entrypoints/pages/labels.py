"""Czech labels of the entry form's fields (the form and its error summary)."""

from __future__ import annotations

from collections.abc import Mapping

from .entry_form import GENERAL, SLOT_PATTERN

#: the Czech label of every field (the form and its error summary)
LABELS: Mapping[str, str] = {
    "kind": "Druh řešení",
    "title": "Název",
    "description": "Popis",
    "provider.name": "Poskytovatel",
    "provider.ico": "IČO poskytovatele",
    "contacts.phones": "Telefony",
    "contacts.email": "E-mail",
    "contacts.web": "Webová stránka",
    "contacts.person": "Kontaktní osoba",
    "address.street": "Ulice a číslo",
    "address.city": "Obec",
    "address.postcode": "PSČ",
    "address.district": "Městská část",
    "opening_hours.nonstop": "Nepřetržitý provoz",
    "opening_hours.note": "Poznámka k otevírací době",
    "valid_from": "Platí od",
    "valid_to": "Platí do",
    "capacity.total": "Kapacita celkem",
    "capacity.free": "Z toho volných",
    "municipal_category": "Kategorie obecního bytu",
    "guarantee_provider": "Poskytovatel garance",
    "size_m2": "Plocha (m²)",
    "rooms": "Počet pokojů",
    "rent_monthly": "Nájemné měsíčně (Kč)",
    "wheelchair_accessible": "Bezbariérový přístup",
    "situations": "Oddíly veřejného letáku",
    "eligibility.need_levels": "Úrovně bytové nouze",
    "eligibility.household_types": "Typy domácností",
    "eligibility.ethos_categories": "Kategorie ETHOS",
    "eligibility.min_household_size": "Nejmenší domácnost (osob)",
    "eligibility.max_household_size": "Největší domácnost (osob)",
    "eligibility.children_allowed": "Přijímá i domácnosti s dětmi",
    "eligibility.income_ceiling": "Příjmový strop (Kč čistého měsíčně)",
    "eligibility.within_register_ceiling": "Příjem v mezích evidence osob v bytové nouzi",
    "eligibility.required_flags": "Vyžadované okolnosti",
    "eligibility.excluded_flags": "Vyloučené okolnosti",
    "eligibility.min_age": "Nejnižší věk",
    "eligibility.max_age": "Nejvyšší věk",
    GENERAL: "Záznam",
}


def label_of(name: str) -> str:
    """The label of a field, opening-hours rows included (``Otevírací doba, řádek 2: od``)."""
    slot = SLOT_PATTERN.match(name)
    if slot:
        part = {"weekdays": "dny", "opens": "od", "closes": "do"}.get((slot.group(2) or ".")[1:], "")
        return f"Otevírací doba, řádek {int(slot.group(1)) + 1}: {part}".rstrip(": ")
    return LABELS.get(name, name)
