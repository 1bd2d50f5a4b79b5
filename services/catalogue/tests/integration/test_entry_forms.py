"""Catalogue administration through the pages: a new entry, editing (with the version read in a
hidden field), changing the capacity and withdrawing. A refused form comes back with the values as
sent and the Czech reason next to the field; a successful one redirects and its event names the
signed-in editor."""

from __future__ import annotations

import html
import re
from uuid import uuid4

import pytest

from kmb_shared.auth import Role

from .support import Catalogue, entry

#: tests that read events or feed the consumer run on the real broker; the rest without one

EDITOR = "jana.katalogova"
SHELTER_FORM: dict[str, str | list[str]] = {
    "kind": "night_shelter",
    "title": "Noclehárna Pod Lípou",
    "description": "Lůžka na jednu noc.",
    "provider.name": "Charita Lipovec",
    "provider.ico": "25596641",
    "contacts.phones": "+420 000 200 401, +420 000 200 402",
    "contacts.email": "noc@charita.example",
    "address.street": "Nádražní 3",
    "address.city": "Lipovec",
    "address.postcode": "999 01",
    "opening_hours.slots.0.weekdays": ["0", "1", "2", "3", "4", "5", "6"],
    "opening_hours.slots.0.opens": "18:30",
    "opening_hours.slots.0.closes": "7:30",
    "valid_from": "2026-01-01",
    "capacity.total": "20",
    "capacity.free": "6",
    "eligibility.need_levels": ["roofless", "houseless"],
    "eligibility.income_ceiling": "12 500",
    "situations": ["no_place_tonight"],
    "wheelchair_accessible": "yes",
}


def error_next_to(page: str, field: str) -> str:
    """The inline error rendered for ``field`` (empty if none)."""
    match = re.search(rf'<p class="error" id="e-{re.escape(field)}"[^>]*>([^<]*)</p>', page)
    return html.unescape(match.group(1).strip()) if match else ""


def value_of(page: str, name: str) -> str:
    """The value of the input ``name`` as the form shows it."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page, re.S)
    assert match, name
    return html.unescape(match.group(1))


@pytest.mark.kafka
async def test_a_new_entry_from_the_form_is_published_and_its_page_says_so(catalogue: Catalogue) -> None:
    async with catalogue.browser(Role.CATALOGUE_EDITOR, user=EDITOR) as editor:
        sent = await editor.submit("/catalogue/new", SHELTER_FORM)
        assert sent.status_code == 303, sent.text
        location = sent.headers["location"]
        assert re.fullmatch(r"/catalogue/[0-9a-f-]{36}\?saved=created", location)
        page = (await editor.client.get(location)).text

    assert "Záznam byl přidán do katalogu." in page and "<h1>Noclehárna Pod Lípou</h1>" in page
    sid = location.split("/")[2].split("?")[0]
    stored = (await catalogue.worker.get(f"/api/solutions/{sid}")).json()
    assert stored["contacts"]["phones"] == ["+420 000 200 401", "+420 000 200 402"]
    assert stored["opening_hours"]["slots"] == [
        {"weekdays": [0, 1, 2, 3, 4, 5, 6], "opens": "18:30:00", "closes": "07:30:00"}
    ]
    assert (stored["capacity"], stored["provider"]) == (
        {"total": 20, "free": 6},
        {"name": "Charita Lipovec", "ico": "25596641"},
    )
    eligibility = stored["eligibility"]
    assert sorted(eligibility["need_levels"]) == ["houseless", "roofless"]
    # the box "accepts households with children" was not ticked; "12 500" is 12500 CZK
    assert (eligibility["children_allowed"], eligibility["income_ceiling"]) == (False, 12500)
    assert (stored["situations"], stored["wheelchair_accessible"]) == (["no_place_tonight"], True)
    [event] = await catalogue.events(expect=1)
    assert (event.type, event.payload["actor"]["user_id"]) == ("kmb.catalogue.solution_published.v1", EDITOR)


async def test_an_implausible_form_is_refused_with_czech_errors_next_to_the_fields(
    catalogue: Catalogue,
) -> None:
    form = {
        **SHELTER_FORM,
        "provider.ico": "12345678",  # 1·8+2·7+3·6+4·5+5·4+6·3+7·2 = 112 = 10·11 + 2: the check digit is 9
        "contacts.phones": "777 12 34",
        "address.street": "Nádražní",
        "capacity.total": "2000",
        "capacity.free": "6",
        "valid_to": "2099-12-31",
    }
    async with catalogue.browser(Role.CATALOGUE_EDITOR) as editor:
        refused = await editor.submit("/catalogue/new", form)

    assert refused.status_code == 422
    page = refused.text
    assert error_next_to(page, "provider.ico") == (
        "IČO 12345678 nemá správnou kontrolní číslici; zkontrolujte ho v obchodním rejstříku (ARES)."
    )
    assert error_next_to(page, "contacts.phones") == (
        "Telefon „777 12 34“ není české telefonní číslo: zadejte 9 číslic, případně s předvolbou +420."
    )
    assert error_next_to(page, "address.street") == "Uveďte ulici (nebo obec) i číslo domu, např. „Sadová 5“."
    assert error_next_to(page, "capacity.total") == "Kapacita celkem musí být 1 až 300."
    assert error_next_to(page, "valid_to").startswith("Datum musí být mezi 1. 1. 2000 a ")
    assert await catalogue.count("catalogue_solution") == 0


async def test_a_refused_new_entry_keeps_the_values_and_names_each_problem_at_its_field(
    catalogue: Catalogue,
) -> None:
    form = {**SHELTER_FORM, "title": "", "contacts.phones": "zavolejte", "eligibility.max_age": "dnes"}
    async with catalogue.browser(Role.CATALOGUE_EDITOR) as editor:
        refused = await editor.submit("/catalogue/new", form)
        # fixed those; now the entry as a whole breaks a rule: a shelter without its capacity
        whole = {**SHELTER_FORM, "capacity.total": "", "capacity.free": ""}
        no_capacity = await editor.submit("/catalogue/new", whole)

    assert refused.status_code == 422
    page = refused.text
    assert error_next_to(page, "title") == "Povinný údaj chybí."
    assert (
        error_next_to(page, "contacts.phones")
        == "Telefon „zavolejte“ není české telefonní číslo: zadejte 9 číslic, případně s předvolbou +420."
    )
    assert error_next_to(page, "eligibility.max_age") == "Zadejte celé číslo."
    assert 'href="#f-contacts.phones">Telefony</a>' in page  # the summary above the form links to it
    assert (value_of(page, "provider.name"), value_of(page, "contacts.phones")) == (
        "Charita Lipovec",
        "zavolejte",
    )
    assert value_of(page, "opening_hours.slots.0.opens") == "18:30"
    assert re.search(r'value="roofless"\s+checked', page)
    assert no_capacity.status_code == 422
    assert error_next_to(no_capacity.text, "capacity.total") == "U bytů a lůžek je nutné uvést kapacitu"
    assert await catalogue.count("catalogue_solution") == 0
    assert await catalogue.outbox_count() == 0


async def test_the_edit_form_shows_the_inline_error_and_keeps_the_values(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(entry("legal_aid", "Právní poradna", valid_to="2026-12-31")))["id"]
    async with catalogue.browser(Role.CATALOGUE_EDITOR) as editor:
        form_page = (await editor.get(f"/catalogue/{sid}/edit")).text
        # what a browser sends back: the token and version from the page, the edited fields
        sent = {
            "csrf_token": value_of(form_page, "csrf_token"),
            "version": value_of(form_page, "version"),
            "title": "Po",
            "provider.name": "Advokátní poradna Lipovec",
            "valid_from": value_of(form_page, "valid_from"),
        }
        refused = await editor.client.post(f"/catalogue/{sid}/edit", data=sent)
        saved = await editor.client.post(
            f"/catalogue/{sid}/edit", data={**sent, "title": "Právní poradna Lipovec"}
        )

    assert (value_of(form_page, "title"), value_of(form_page, "valid_to")) == ("Právní poradna", "2026-12-31")
    assert value_of(form_page, "version") == "1"
    assert refused.status_code == 422
    assert error_next_to(refused.text, "title") == "Text je příliš krátký."
    assert value_of(refused.text, "title") == "Po"
    assert value_of(refused.text, "provider.name") == "Advokátní poradna Lipovec"
    assert (saved.status_code, saved.headers["location"]) == (303, f"/catalogue/{sid}?saved=changed")
    stored = (await catalogue.worker.get(f"/api/solutions/{sid}")).json()
    # version 1 + one saved change = 2; the emptied end of validity is cleared
    assert (stored["title"], stored["version"], stored["valid_to"]) == ("Právní poradna Lipovec", 2, None)
    assert stored["kind"] == "legal_aid"


async def test_a_stale_edit_comes_back_with_a_clear_message_and_saves_only_when_sent_again(
    catalogue: Catalogue,
) -> None:
    sid = (await catalogue.create(entry("legal_aid", "Právní poradna")))["id"]
    mine = {"version": "1", "title": "Moje poradna", "provider.name": "Poradna", "valid_from": "2026-01-01"}
    theirs = await catalogue.editor.patch(f"/api/solutions/{sid}", json={"version": 1, "title": "Jejich"})
    assert theirs.status_code == 200

    async with catalogue.browser(Role.CATALOGUE_EDITOR) as editor:
        stale = await editor.submit(f"/catalogue/{sid}/edit", mine)
        after_the_warning = {**mine, "version": value_of(stale.text, "version")}
        again = await editor.submit(f"/catalogue/{sid}/edit", after_the_warning)

    assert stale.status_code == 409
    assert "Záznam mezitím upravil někdo jiný, vaše změny proto nebyly uloženy." in stale.text
    assert value_of(stale.text, "title") == "Moje poradna"
    assert after_the_warning["version"] == "2"  # the version that won, so sending again is deliberate
    assert again.status_code == 303
    stored = (await catalogue.worker.get(f"/api/solutions/{sid}")).json()
    assert (stored["title"], stored["version"]) == ("Moje poradna", 3)


async def test_the_capacity_form_keeps_the_taken_places_even_those_taken_meanwhile(
    catalogue: Catalogue,
) -> None:
    hostel = entry("asylum_house", "Azylový dům", capacity={"total": 5, "free": 3})
    sid = (await catalogue.create(hostel))["id"]
    async with catalogue.browser(Role.CATALOGUE_EDITOR) as editor:
        shown = await editor.get(f"/catalogue/{sid}")
        # while the editor reads the page, a worker gives a place to a case (the version goes up)
        taken = await catalogue.worker.post(f"/api/solutions/{sid}/allocate", json={"case_id": str(uuid4())})
        too_small = await editor.submit(f"/catalogue/{sid}/capacity", {"total": "2"})
        not_a_number = await editor.submit(f"/catalogue/{sid}/capacity", {"total": "pět"})
        grown = await editor.submit(f"/catalogue/{sid}/capacity", {"total": "8"})
        page = (await editor.client.get(grown.headers["location"])).text

    assert "Volných <strong>3</strong> z 5" in shown.text and taken.status_code == 200
    # 5 - 3 = 2 taken before, 3 after the worker's allocation: a total of 2 is refused,
    # 8 leaves 8 - 3 = 5 free
    assert too_small.status_code == 409
    assert (
        error_next_to(too_small.text, "total")
        == "Kapacitu „Azylový dům“ nelze snížit na 2, obsazeno je 3 míst."
    )
    assert value_of(too_small.text, "total") == "2"
    assert not_a_number.status_code == 422
    assert error_next_to(not_a_number.text, "total") == "Zadejte celé číslo, 0 nebo větší."
    assert "Kapacita byla změněna." in page and "Volných <strong>5</strong> z 8" in page
    assert "z toho pro případy v KMB 1" in page


@pytest.mark.kafka
async def test_withdrawing_asks_for_confirmation_and_then_takes_the_entry_off(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(entry("debt_advice", "Dluhová poradna")))["id"]
    async with catalogue.browser(Role.ADMIN, user="admin-1") as admin:
        unconfirmed = await admin.submit(f"/catalogue/{sid}/withdraw", {"version": "1", "reason": "Konec"})
        done = await admin.submit(
            f"/catalogue/{sid}/withdraw", {"version": "1", "reason": "Konec", "confirm": "1"}
        )
        page = (await admin.client.get(done.headers["location"])).text
        edit = await admin.get(f"/catalogue/{sid}/edit")

    assert unconfirmed.status_code == 422
    assert error_next_to(unconfirmed.text, "confirm") == "Potvrďte, že chcete záznam stáhnout."
    assert "Záznam byl stažen z katalogu." in page and "stažený z katalogu" in page
    assert "/withdraw" not in page  # nothing left to withdraw
    assert edit.status_code == 409 and "Stažený záznam už nelze upravovat." in edit.text
    events = await catalogue.events(expect=2)
    assert events[1].type == "kmb.catalogue.solution_withdrawn.v1"
    # The reason is kept with the entry and shown on its page, not written to the event (free text).
    assert (events[1].payload["reason"], events[1].payload["actor"]["user_id"]) == (None, "admin-1")
    assert "Důvod stažení: Konec" in page
