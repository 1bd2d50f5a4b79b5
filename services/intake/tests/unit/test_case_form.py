"""The case form's fields become the API body; errors find their way back to the rows the worker sees."""

from __future__ import annotations

from kmb_intake.entrypoints.pages.case_form import (
    case_from_form,
    date_text,
    field_label,
    number_text,
)
from kmb_intake.entrypoints.pages.common import safe_next
from kmb_shared.web import service_urls
from kmb_shared.web.filters import CZECH_FILTERS, cz_date

#: the shared Pages' filter (intake no longer defines its own)
cz_money = CZECH_FILTERS["cz_money"]


def test_amounts_may_be_typed_the_czech_way() -> None:
    assert number_text("12 500,50") == "12500.50"
    assert number_text("12\u00a0500") == "12500"
    assert number_text("abc") == "abc"  # left for validation to refuse


def test_dates_may_be_typed_the_czech_way() -> None:
    assert date_text("15. 3. 1985") == "1985-03-15"
    assert date_text("1.12.2025") == "2025-12-01"
    assert date_text("1985-03-15") == "1985-03-15"
    assert date_text("včera") == "včera"


def test_empty_member_rows_are_left_out_and_errors_map_back_to_the_row_shown() -> None:
    values = {
        "members.0.first_name": "Jana",
        "members.0.relationship": "applicant",
        "members.1.relationship": "child",  # a select alone does not make a row
        "members.2.first_name": "Petr",
        "members.2.incomes.1.amount_monthly": "3 000",
        "address.orp_code": "1000",
    }

    form = case_from_form(values, {}, "u-1")

    assert [m.get("first_name") for m in form.data["members"]] == ["Jana", "Petr"]
    assert form.data["members"][1]["incomes"] == [{"amount_monthly": "3000"}]
    # the second member sent is row 2 of the form; its first income sent is income row 1
    assert form.form_field("members.1.last_name") == "members.2.last_name"
    assert form.form_field("members.1.incomes.0.source") == "members.2.incomes.1.source"
    assert form.form_field("members.0.birth_number") == "members.0.birth_number"
    assert form.form_field("vulnerability_flags.0") == "vulnerability_flags"
    assert form.form_field("address.orp_code") == "address.orp_code"


def test_consent_is_sent_only_when_ticked_and_names_the_worker() -> None:
    values = {
        "consent.purpose": "Poradenství",
        "consent.given_on": "5. 1. 2026",
        "consent.partners": "up-praha, charita",
    }

    without = case_from_form(values, {}, "u-1")
    ticked = case_from_form({**values, "consent.given": "1"}, {}, "u-1")

    assert "consent" not in without.data
    assert ticked.data["consent"] == {
        "worker_id": "u-1",
        "purpose": "Poradenství",
        "given_on": "2026-01-05",
        "partners": ["up-praha", "charita"],
    }


def test_error_summary_labels_name_the_member_row() -> None:
    assert field_label("members.1.birth_number") == "Člen 2: rodné číslo"
    assert field_label("members.0.incomes.1.amount_monthly") == "Člen 1: výše příjmu 2"
    assert field_label("address.orp_code") == "Kód ORP"


def test_after_sign_in_only_kmb_pages_are_followed() -> None:
    assert safe_next("/cases?name=x") == "/cases?name=x"
    stats = service_urls()["stats"]
    assert safe_next(f"{stats}/dashboard") == f"{stats}/dashboard"
    assert safe_next("//evil.example/") == ""
    assert safe_next("https://evil.example/desk") == ""
    assert safe_next(f"{stats}.evil.example/") == ""


def test_dates_and_amounts_are_shown_the_czech_way() -> None:
    assert cz_date("2026-03-05") == "5. 3. 2026"
    assert cz_money("12500.5") == "12\u00a0500,50\u00a0Kč"
    assert cz_money(11000) == "11\u00a0000\u00a0Kč"
