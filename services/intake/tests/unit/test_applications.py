"""Application kinds as data (issue 12): the shipped kinds load, a contact point's folder adds and
replaces kinds, a bad kind file is refused naming the file, the place and the problem; a kind's fields
are pre-filled from the case as entered; what is required and empty is missing; the checklist ticks
from the case's documents by their category."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kmb_intake.adapters.applications import SHIPPED_KINDS, load_kinds, read_kind_files
from kmb_intake.domain.applications import KindFileError, check_values, checklist, missing, prefill, shown
from kmb_shared.contracts.vocabulary import LEGAL_TITLES, NEED_LEVELS

TODAY = date(2026, 3, 10)
#: the seven kinds of issue 12
SHIPPED = {
    "register",
    "municipal_flat",
    "housing_allowance",
    "housing_supplement",
    "emergency_aid",
    "ngo_programme",
    "guaranteed_housing",
}

HOUSEHOLD: dict[str, Any] = {
    "members": [
        {
            "first_name": "Jana",
            "last_name": "Dvořáková",
            "date_of_birth": "1988-04-12",
            "relationship": "applicant",
            "birth_number": "8854120008",
            "incomes": [{"source": "employment", "amount_monthly": "18500"}],
        },
        {
            "first_name": "Petr",
            "last_name": "Dvořák",
            "date_of_birth": "1950-01-02",
            "relationship": "parent",
            "incomes": [
                {"source": "pension", "amount_monthly": "9200"},
                {"source": "employment", "amount_monthly": "3000"},
            ],
        },
    ],
    "phone": "+420 601 234 567",
    "address": {
        "street": "Korunní 12",
        "municipality": "Praha",
        "postal_code": "12000",
        "district": "Praha 2",
        "orp_code": "1000",
    },
    "dwelling": {"kind": "flat", "legal_title": "lease", "size_m2": 41},
    "costs": {"rent": "11000", "services": "2400", "energy": "1800"},
    "arrears": "0",
}
ASSESSMENT = {
    "status": "submitted",
    "need_level": "insecure",
    "priority_score": 30,
    "assessed_on": "2026-03-02",
}

MINIMAL = """
code: {code}
group: other
title: Žádost obce
office: Obecní úřad
sections:
  - title: Žadatel
    fields:
      - {{key: name, label: Jméno, source: applicant.name, required: true}}
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_seven_shipped_kinds_load_with_fields_and_attachments() -> None:
    kinds = load_kinds()
    assert set(kinds) == SHIPPED
    assert all(kind.fields and kind.office for kind in kinds.values())
    assert [a.category for a in kinds["housing_allowance"].attachments] == [
        "lease",
        "income_proof",
        "housing_costs",
    ]


def test_a_contact_points_folder_replaces_a_kind_by_its_code_and_adds_its_own(tmp_path: Path) -> None:
    own = write(tmp_path / "kinds", "municipal_flat.yaml", MINIMAL.format(code="municipal_flat"))
    write(own, "youth_flat.yaml", MINIMAL.format(code="youth_flat"))

    kinds = load_kinds(own)

    assert set(kinds) == SHIPPED | {"youth_flat"}
    assert kinds["municipal_flat"].title == "Žádost obce"
    assert [f.key for f in kinds["municipal_flat"].fields] == ["name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MINIMAL.format(code="x").replace("applicant.name", "applicant.shoe_size"),
            "sections.0.fields.0.source: neznámý zdroj „applicant.shoe_size“",
        ),
        (MINIMAL.format(code="x").replace("title: Žádost obce\n", ""), "title: chybí (povinná položka)"),
        (
            MINIMAL.format(code="x").replace("group: other", "group: lottery"),
            "group: neznámá skupina „lottery“",
        ),
        (
            MINIMAL.format(code="x") + "attachments:\n  - {category: horoscope, label: Horoskop}\n",
            "attachments.0.category: neznámý druh dokladu „horoscope“",
        ),
        (
            MINIMAL.format(code="x").replace("required: true", "type: colour"),
            "sections.0.fields.0.type: neznámý typ pole",
        ),
        (MINIMAL.format(code="x") + "colour: red\n", "colour: neznámá položka"),
        ("code: [unclosed\n", "není platný YAML"),
        ("- just a list\n", "obsahem má být mapa"),
    ],
)
def test_a_bad_kind_file_is_refused_naming_the_file_and_what_is_wrong(
    tmp_path: Path, text: str, expected: str
) -> None:
    folder = write(tmp_path / "kinds", "spatny.yaml", text)
    with pytest.raises(KindFileError) as refused:
        read_kind_files(folder)
    assert "spatny.yaml" in str(refused.value)
    assert expected in str(refused.value)


def test_a_repeated_field_key_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.format(code="x") + "      - {key: name, label: Jméno znovu}\n"
    with pytest.raises(KindFileError, match="pole name je v druhu uvedeno vícekrát"):
        read_kind_files(write(tmp_path / "kinds", "dvakrat.yaml", text))


def test_a_missing_folder_is_named() -> None:
    with pytest.raises(KindFileError, match="neexistuje"):
        load_kinds(Path("/nonexistent/kinds"))


def test_housing_allowance_is_prefilled_with_incomes_by_source_and_costs_as_entered() -> None:
    kind = load_kinds()["housing_allowance"]
    values = prefill(kind, HOUSEHOLD, ASSESSMENT, TODAY)
    assert values["first_name"] == "Jana" and values["last_name"] == "Dvořáková"
    assert values["birth_number"] == "8854120008"
    assert values["address"] == "Korunní 12, 12000, Praha, Praha 2"
    # employment 18 500 + 3 000, pension 9 200; total 30 700 (both members)
    assert values["income_employment"] == "21500"
    assert values["income_pension"] == "9200"
    assert values["income_self_employment"] == "0"
    assert values["income_total"] == "30700"
    assert (values["rent"], values["services"], values["energy"], values["costs_total"]) == (
        "11000",
        "2400",
        "1800",
        "15200",
    )
    assert values["legal_title"] == LEGAL_TITLES.label("lease")  # the code's Czech label, never the code
    assert values["period"] == ""  # no source: the worker fills it in
    assert values["members"].splitlines()[0].startswith("Jana Dvořáková, nar. 12. 4. 1988")


def test_the_register_application_takes_the_assessment_result_or_leaves_it_for_the_worker() -> None:
    kind = load_kinds()["register"]
    assessed = prefill(kind, HOUSEHOLD, ASSESSMENT, TODAY)
    assert assessed["assessed_on"] == "2026-03-02"
    assert assessed["need_level"] == NEED_LEVELS.label("insecure")
    unreachable = prefill(kind, HOUSEHOLD, None, TODAY)
    assert unreachable["need_level"] == "" and unreachable["assessed_on"] == ""


def test_required_values_left_empty_are_missing_and_wrong_types_are_refused() -> None:
    kind = load_kinds()["housing_allowance"]
    values = prefill(kind, HOUSEHOLD, None, TODAY)
    assert [p.key for p in missing(kind, values)] == ["period"]
    assert missing(kind, {**values, "period": "1. čtvrtletí 2026"}) == []

    _, problems = check_values(kind, {**values, "rent": "hodně", "period": "Q1"})
    assert [(p.key, p.message_cs) for p in problems] == [("rent", "Zadejte částku v Kč (číslo).")]


def test_the_checklist_ticks_by_the_documents_category() -> None:
    kind = load_kinds()["housing_allowance"]
    items = checklist(kind, [("lease", "smlouva.pdf"), (None, "foto.jpg"), ("income_proof", "vyplata.pdf")])
    assert [(i.category, i.ticked, i.documents) for i in items] == [
        ("lease", True, ("smlouva.pdf",)),
        ("income_proof", True, ("vyplata.pdf",)),
        ("housing_costs", False, ()),
    ]


def test_values_are_printed_in_czech_form() -> None:
    assert shown("money", "18500") == "18 500 Kč"
    assert shown("date", "1988-04-12") == "12. 4. 1988"
    assert shown("text", "Korunní 12") == "Korunní 12"


def test_the_shipped_folder_holds_only_kind_files() -> None:
    assert sorted(p.stem for p in SHIPPED_KINDS.glob("*.yaml")) == sorted(SHIPPED)
