"""The entry form: flat form fields to the entry and back, and every broken rule shown next to the
field it is about."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from kmb_catalogue.adapters.demo import load_demo_catalogue
from kmb_catalogue.domain import SolutionCreate
from kmb_catalogue.domain.model import STATE_FIELDS
from kmb_catalogue.entrypoints.pages.entry_form import (
    GENERAL,
    EntryForm,
    entry_form_values,
    parse_entry_form,
    slot_rows,
)
from kmb_catalogue.entrypoints.pages.labels import label_of

BASE = {
    "kind": "debt_advice",
    "title": "Dluhová poradna",
    "provider.name": "Poradna, z. s.",
    "valid_from": "2026-01-01",
    "eligibility.children_allowed": "1",
}


def submit(values: dict[str, str], lists: dict[str, list[str]] | None = None) -> EntryForm:
    return parse_entry_form({**BASE, **values}, lists or {})


def errors_of(form: EntryForm) -> dict[str, str]:
    """Form field -> Czech message, as the pages show them."""
    with pytest.raises(ValidationError) as caught:
        SolutionCreate.model_validate(form.data)
    return form.field_errors(caught.value)


def author_fields(entry: Any) -> dict[str, Any]:
    return entry.model_dump(exclude=set(STATE_FIELDS))


def test_every_demo_entry_survives_the_edit_form_unchanged() -> None:
    for entry in load_demo_catalogue():
        values, lists = entry_form_values(entry)

        form = parse_entry_form({**values, "kind": entry.kind.value, "demo": ""}, lists)
        again = SolutionCreate.model_validate({**form.data, "demo": entry.demo})

        assert author_fields(again) == author_fields(entry), entry.title


def test_numbers_may_be_written_the_czech_way() -> None:
    form = submit(
        {
            "kind": "ngo_flat",
            "capacity.total": "2",
            "capacity.free": "1",
            "size_m2": "54,5",
            "rent_monthly": "12 500",
            "eligibility.income_ceiling": "25\u00a0000",
        }
    )

    entry = SolutionCreate.model_validate(form.data)

    assert (entry.size_m2, entry.rent_monthly, entry.eligibility.income_ceiling) == (54.5, 12500, 25000)


def test_empty_optional_parts_are_left_out_and_an_unchecked_box_means_no() -> None:
    form = submit({"eligibility.children_allowed": "", "contacts.phones": " +420 000 100 101 ;"})

    entry = SolutionCreate.model_validate(form.data)

    assert (entry.address, entry.opening_hours, entry.capacity) == (None, None, None)
    assert entry.eligibility.children_allowed is False
    assert entry.contacts.phones == ("+420 000 100 101",)


def test_opening_hours_rows_with_nothing_filled_in_are_skipped() -> None:
    lists = {"opening_hours.slots.2.weekdays": ["0", "2"]}
    form = submit({"opening_hours.slots.2.opens": "8:00", "opening_hours.slots.2.closes": "12:00"}, lists)

    entry = SolutionCreate.model_validate(form.data)

    assert entry.opening_hours is not None
    assert [(s.weekdays, s.opens.hour, s.closes.hour) for s in entry.opening_hours.slots] == [((0, 2), 8, 12)]


def test_the_form_offers_one_empty_opening_hours_row_after_the_last_filled_one() -> None:
    # rows 0..4 used -> 5 rows + 1 empty = 6; nothing used -> the minimum of 3
    assert slot_rows({"opening_hours.slots.4.opens": "8:00"}, {}) == range(6)
    assert slot_rows({}, {}) == range(3)


def test_field_errors_are_shown_next_to_their_fields_even_in_a_later_opening_hours_row() -> None:
    form = submit(
        {"title": "", "contacts.phones": "zavolejte", "opening_hours.slots.1.opens": "8:00"},
        {"eligibility.need_levels": ["homeless"]},
    )

    errors = errors_of(form)

    assert errors == {
        "title": "Povinný údaj chybí.",
        "contacts.phones": "Telefon „zavolejte“ není české telefonní číslo: zadejte 9 číslic, případně s předvolbou +420.",
        "eligibility.need_levels": errors["eligibility.need_levels"],
        # the second row on the form is the first (and only) row sent
        "opening_hours.slots.1.weekdays": "Údaj je příliš krátký nebo prázdný.",
        "opening_hours.slots.1.closes": "Povinný údaj chybí.",
    }
    assert errors["eligibility.need_levels"].startswith("Neznámá hodnota")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"valid_to": "2025-12-31"}, "valid_to", "Platnost nemůže skončit dřív, než začne"),
        ({"kind": "night_shelter"}, "capacity.total", "U bytů a lůžek je nutné uvést kapacitu"),
        (
            {"kind": "housing_allowance", "capacity.total": "1", "capacity.free": "1"},
            "capacity.total",
            "Dávka nemá kapacitu",
        ),
        (
            {"kind": "asylum_house", "capacity.total": "3", "capacity.free": "4"},
            "capacity.free",
            "Volných míst nemůže být víc než celkem",
        ),
        (
            {"kind": "municipal_flat", "capacity.total": "1", "capacity.free": "1"},
            "municipal_category",
            "Kategorii A/B/C má právě každý obecní byt",
        ),
        (
            {"kind": "guaranteed_housing", "capacity.total": "1", "capacity.free": "1"},
            "guarantee_provider",
            "Poskytovatele garance uvádí právě bydlení s garancí",
        ),
        ({"rooms": "2"}, "size_m2", "Plochu a počet pokojů mají jen byty"),
        (
            {"eligibility.min_age": "65", "eligibility.max_age": "18"},
            "eligibility.max_age",
            "Dolní věková hranice je vyšší než horní",
        ),
        (
            {"eligibility.min_household_size": "4", "eligibility.max_household_size": "2"},
            "eligibility.max_household_size",
            "Nejmenší velikost domácnosti je vyšší než největší",
        ),
        (
            {"opening_hours.nonstop": "1", "opening_hours.slots.0.opens": "8:00"},
            "opening_hours.nonstop",
            "Nepřetržitý provoz nemá mít časové úseky",
        ),
        ({"rent_monthly": "hodně"}, "rent_monthly", "Zadejte celé číslo."),
        (
            {"opening_hours.slots.0.opens": "ráno"},
            "opening_hours.slots.0.opens",
            "Zadejte čas ve tvaru H:MM, např. 8:30.",
        ),
    ],
)
def test_a_broken_rule_is_shown_next_to_the_field_it_is_about(
    values: dict[str, str], field: str, message: str
) -> None:
    lists = {"opening_hours.slots.0.weekdays": ["0"]} if "opening_hours.slots.0.opens" in values else {}
    if "opening_hours.slots.0.opens" in values:
        values = {**values, "opening_hours.slots.0.closes": "12:00"}

    assert errors_of(submit(values, lists)) == {field: message}
    assert label_of(field) != field  # the error summary names the field in Czech


def test_shared_flags_in_required_and_excluded_are_shown_at_the_excluded_ones() -> None:
    flags = ["domestic_violence"]
    form = submit({}, {"eligibility.required_flags": flags, "eligibility.excluded_flags": flags})

    assert errors_of(form) == {"eligibility.excluded_flags": "Znak nemůže být zároveň vyžadovaný i vyloučený"}


def test_an_error_about_no_field_of_the_form_goes_above_the_form() -> None:
    form = submit({})

    assert form.form_field("body", "Something else entirely") == GENERAL
    assert form.form_field("demo", "Input should be a valid boolean") == GENERAL


def test_opening_hours_rows_have_readable_labels() -> None:
    assert label_of("opening_hours.slots.1.opens") == "Otevírací doba, řádek 2: od"
    assert label_of("eligibility.max_age") == "Nejvyšší věk"
