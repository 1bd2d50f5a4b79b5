"""The catalogue's Czech pages: a signed-out visitor is sent to intake's login page and back, each
page checks the role on the server, forms need the session's CSRF token, and the worker's page of a
case's suggestions shows the ranking, the reasons, capacity, contacts, blockers and the links on."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from kmb_catalogue.adapters.clock import prague_today as today
from kmb_catalogue.domain.matching import ALTERNATIVE_REASON, FULL_REASON
from kmb_shared.auth import Role

from .support import Catalogue, entry, need_assessed

#: tests that read events or feed the consumer run on the real broker; the rest without one

INTAKE = "https://kmb.example/intake"
CATALOGUE = "https://kmb.example/katalog"
REFERRALS = "https://kmb.example/predani"


@pytest.fixture(autouse=True)
def public_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The services' public addresses, as a reverse proxy would publish them."""
    monkeypatch.setenv("KMB_INTAKE_PUBLIC_URL", INTAKE)
    monkeypatch.setenv("KMB_CATALOGUE_PUBLIC_URL", CATALOGUE)
    monkeypatch.setenv("KMB_REFERRALS_PUBLIC_URL", REFERRALS)


async def test_a_signed_out_visitor_goes_to_the_login_page_and_comes_back_afterwards(
    catalogue: Catalogue,
) -> None:
    case = uuid4()
    pages = {
        "/catalogue?kind=night_shelter": "%2Fcatalogue%3Fkind%3Dnight_shelter",
        f"/cases/{case}/suggestions": f"%2Fcases%2F{case}%2Fsuggestions",
        "/catalogue/new": "%2Fcatalogue%2Fnew",
    }
    for path, encoded in pages.items():
        response = await catalogue.anonymous.get(path)
        # next = the page's public address, percent-encoded as a query value
        expected = f"{INTAKE}/login?next=https%3A%2F%2Fkmb.example%2Fkatalog{encoded}"
        assert (response.status_code, response.headers["location"]) == (303, expected), path

    sent = await catalogue.anonymous.post("/catalogue/new", data={"title": "Noclehárna"})
    # a form sent while signed out cannot be replayed: back to the catalogue list after signing in
    assert sent.headers["location"] == f"{INTAKE}/login?next=https%3A%2F%2Fkmb.example%2Fkatalog%2Fcatalogue"
    assert await catalogue.count("catalogue_solution") == 0


async def test_each_page_renders_its_czech_heading_for_its_role(catalogue: Catalogue) -> None:
    shelter = await catalogue.create(
        entry("night_shelter", "Noclehárna U Mostu", capacity={"total": 20, "free": 6})
    )
    worker_pages = {
        "/catalogue": "<h1>Katalog řešení</h1>",
        f"/catalogue/{shelter['id']}": "<h1>Noclehárna U Mostu</h1>",
        f"/cases/{uuid4()}/suggestions": "<h1>Návrhy řešení</h1>",
    }
    editor_pages = {
        "/catalogue": "<h1>Katalog řešení</h1>",
        "/catalogue/new": "<h1>Nový záznam katalogu</h1>",
        f"/catalogue/{shelter['id']}/edit": "<h1>Upravit záznam</h1>",
    }
    for roles, pages in (((Role.WORKER,), worker_pages), ((Role.CATALOGUE_EDITOR,), editor_pages)):
        async with catalogue.browser(*roles) as browser:
            for path, heading in pages.items():
                response = await browser.get(path)
                assert response.status_code == 200, (roles, path)
                assert heading in response.text, (roles, path)
                assert '<html lang="cs">' in response.text and "Odhlásit" in response.text
                assert "<script" not in response.text
    # the shared layout's styles come from this service too
    styles = await catalogue.anonymous.get("/static/kmb.css")
    assert styles.status_code == 200 and "text/css" in styles.headers["content-type"]


async def test_pages_check_the_role_on_the_server(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(entry("legal_aid", "Právní poradna")))["id"]

    async with catalogue.browser(Role.WORKER) as worker:
        entry_page = await worker.get(f"/catalogue/{sid}")
        new_form = await worker.get("/catalogue/new")
        withdraw = await worker.submit(f"/catalogue/{sid}/withdraw", {"version": "1", "confirm": "1"})
    async with catalogue.browser(Role.ANALYST) as analyst:
        listing = await analyst.get("/catalogue")
    async with catalogue.browser(Role.CATALOGUE_EDITOR) as editor:
        suggestions = await editor.get(f"/cases/{uuid4()}/suggestions")

    # a worker reads the entry but sees none of the editors' forms, and cannot use them
    assert entry_page.status_code == 200
    assert "Upravit záznam" not in entry_page.text and "/withdraw" not in entry_page.text
    for refused in (new_form, withdraw, listing, suggestions):
        assert refused.status_code == 403
        assert "<h1>Přístup odepřen</h1>" in refused.text
    assert (await catalogue.worker.get(f"/api/solutions/{sid}")).json()["withdrawn"] is False


async def test_a_form_without_the_sessions_csrf_token_is_refused(catalogue: Catalogue) -> None:
    form = {"kind": "legal_aid", "title": "Právní poradna", "provider.name": "Poradna, z. s."}
    form["valid_from"] = "2026-01-01"
    async with catalogue.browser(Role.CATALOGUE_EDITOR) as editor:
        missing = await editor.client.post("/catalogue/new", data=form)
        wrong = await editor.client.post("/catalogue/new", data={**form, "csrf_token": "jiny"})

    for response in (missing, wrong):
        assert response.status_code == 403
        assert "<h1>Formulář nelze přijmout</h1>" in response.text
    assert await catalogue.count("catalogue_solution") == 0


async def test_the_catalogue_list_filters_by_kind_validity_and_withdrawal(catalogue: Catalogue) -> None:
    tomorrow = (today() + timedelta(days=1)).isoformat()
    await catalogue.create(entry("night_shelter", "Noclehárna", capacity={"total": 20, "free": 6}))
    await catalogue.create(entry("debt_advice", "Dluhová poradna od zítřka", valid_from=tomorrow))
    gone = await catalogue.create(entry("legal_aid", "Právní poradna"))
    assert (await catalogue.editor.delete(f"/api/solutions/{gone['id']}?version=1")).status_code == 200

    async with catalogue.browser(Role.WORKER) as worker:
        default = (await worker.get("/catalogue")).text
        every_day = (await worker.get("/catalogue", valid="all")).text
        shelters = (await worker.get("/catalogue", kind="night_shelter", valid="all")).text
        with_withdrawn = (await worker.get("/catalogue", withdrawn="1")).text
        unknown = await worker.get("/catalogue", kind="hrad")

    # in force today by default: the advice starts tomorrow, the legal aid is withdrawn
    assert "Noclehárna</a>" in default and "6 z 20" in default
    assert "Dluhová poradna od zítřka" not in default and "Právní poradna" not in default
    assert "Dluhová poradna od zítřka" in every_day
    assert "Noclehárna</a>" in shelters and "Dluhová poradna" not in shelters
    assert "Právní poradna</a> <span" in with_withdrawn and "stažený" in with_withdrawn
    assert unknown.status_code == 422
    assert 'id="e-kind">Neznámý druh řešení; vyberte ze seznamu.' in unknown.text


async def test_an_entry_without_contacts_says_it_is_not_on_the_leaflet(catalogue: Catalogue) -> None:
    silent = await catalogue.create(entry("debt_advice", "Poradna bez kontaktu"))
    reachable = await catalogue.create(
        entry("debt_advice", "Poradna s e-mailem", contacts={"email": "poradna@op-lipovec.cz"})
    )

    async with catalogue.browser(Role.CATALOGUE_EDITOR) as editor:
        silent_page = (await editor.get(f"/catalogue/{silent['id']}")).text
        reachable_page = (await editor.get(f"/catalogue/{reachable['id']}")).text
    leaflet = (await catalogue.anonymous.get("/leaflet")).text

    assert 'id="not-on-leaflet">Záznam nemá telefon, e-mail ani web' in silent_page
    assert "not-on-leaflet" not in reachable_page
    assert "Poradna s e-mailem" in leaflet or "poradna@op-lipovec.cz" in leaflet
    assert "Poradna bez kontaktu" not in leaflet


@pytest.mark.kafka
async def test_the_suggestions_page_shows_the_ranking_capacity_contacts_blockers_and_links(
    catalogue: Catalogue,
) -> None:
    flat = await catalogue.create(
        entry("municipal_flat", "Obecní byt 2+1", capacity={"total": 1, "free": 1}, size_m2=54)
    )
    legal = await catalogue.create(
        entry(
            "legal_aid",
            "Právní poradna Lipovec",
            contacts={"phones": ["+420 000 300 301"], "email": "pravo@lipovec.example"},
            address={"street": "Husova 5", "city": "Lipovec", "postcode": "999 01"},
        )
    )
    sublease = await catalogue.create(
        entry("sublease_housing", "Podnájemní byt", capacity={"total": 3, "free": 1})
    )
    womens = entry("womens_shelter", "Azylový dům pro ženy", capacity={"total": 8, "free": 2})
    await catalogue.create({**womens, "eligibility": {"required_flags": ["domestic_violence"]}})
    taken = await catalogue.worker.post(
        f"/api/solutions/{flat['id']}/allocate", json={"case_id": str(uuid4())}
    )
    assert taken.status_code == 200  # the only municipal flat goes to another household
    family = need_assessed(
        "insecure", household_type="family_with_children", household_size=3, children=1, ethos_category=8
    )
    await catalogue.assess(family)
    await catalogue.suggestions(family.case_id, assessment_id=family.assessment_id)

    async with catalogue.browser(Role.WORKER) as worker:
        page = (await worker.get(f"/cases/{family.case_id}/suggestions")).text

    # the ranking of test_matching's same household: legal aid 67.0, sublease 65.2
    assert page.index("Právní poradna Lipovec</h2>") < page.index("Podnájemní byt</h2>")
    assert "úroveň bytové nouze: nejisté bydlení" in page
    assert "Obecní byty jsou vyčerpány" in page
    assert ALTERNATIVE_REASON in page
    assert "1 z 3" in page  # the sublease's free places now
    assert 'href="tel:+420000300301"' in page and "Husova 5, 999 01 Lipovec" in page
    refer = f"{REFERRALS}/cases/{family.case_id}/refer?solution_id="
    assert f'href="{refer}{legal["id"]}"' in page and f'href="{refer}{sublease["id"]}"' in page
    assert 'href="/leaflet.pdf">Vytisknout leták' in page
    assert f'href="{INTAKE}/cases/{family.case_id}">Zpět na případ' in page
    rejected = page[page.index("<details") : page.index("</details>")]
    assert "Nevhodné záznamy (2)" in rejected
    assert FULL_REASON in rejected and "Vyžaduje: domácí násilí." in rejected


@pytest.mark.kafka
async def test_the_suggestions_page_shows_an_unaffordable_rent_under_its_own_warning_heading(
    catalogue: Catalogue,
) -> None:
    await catalogue.create(
        entry("municipal_flat", "Obecní byt 2+kk", capacity={"total": 1, "free": 1}, rent_monthly=13500)
    )
    single = need_assessed("insecure", household_type="single", income_monthly=15000)
    await catalogue.assess(single)
    await catalogue.suggestions(single.case_id, assessment_id=single.assessment_id)

    async with catalogue.browser(Role.WORKER) as worker:
        page = (await worker.get(f"/cases/{single.case_id}/suggestions")).text

    # 13 500 / 15 000 = 90 % of income, over the 40 % threshold
    warning = "<li>Nájem by tvořil 90 % příjmu domácnosti (nad 40 % je to neúnosné).</li>"
    card = page[page.index("Obecní byt 2+kk</h2>") :]
    reasons = card[card.index("Proč se hodí:") : card.index("Upozornění:")]
    assert warning in card[card.index("Upozornění:") :]
    assert "Nájem by tvořil" not in reasons


async def test_a_case_without_an_assessment_gets_a_note_instead_of_suggestions(
    catalogue: Catalogue,
) -> None:
    async with catalogue.browser(Role.WORKER) as worker:
        response = await worker.get(f"/cases/{uuid4()}/suggestions")

    assert response.status_code == 200
    assert "zatím nejsou žádné návrhy" in response.text
    assert "<details" not in response.text
