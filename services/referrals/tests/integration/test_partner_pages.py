"""The administrator's pages of the partner registry: register, change, deactivate, API token."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest

from kmb_shared.auth import Role

from .pages_support import browser, h1, worker
from .support import Referrals


@pytest.fixture
def referrals(offline_referrals: Referrals) -> Referrals:
    """Pages, roles and forms need no broker: the app without a Kafka consumer, on SQLite."""
    return offline_referrals


async def test_an_administrator_registers_a_partner_through_the_form(referrals: Referrals) -> None:
    admin = browser(referrals, Role.ADMIN)
    form = {
        "slug": "ngo-domov",
        "name": "Domov pro všechny, z. s.",
        "kind": "ngo",
        "accepted_kinds": ["social_work", "housing_assistance"],
        "contact_person": "Martin Modelový",
        "contact_email": "info@domov.example",
    }
    registered = await admin.post("/partners", form)
    assert registered.status_code == 303, registered.text
    assert registered.headers["location"] == "/partners/ngo-domov?saved=partner"

    shown = await referrals.get("/api/partners/ngo-domov")
    assert shown["accepted_kinds"] == ["housing_assistance", "social_work"]
    assert shown["contact"]["email"] == "info@domov.example"
    assert shown["topic"] == referrals.topics.partner("ngo-domov")
    page = await admin.get("/partners/ngo-domov?saved=partner")
    assert h1(page.text) == "Partner Domov pro všechny, z. s."
    assert "Partner byl zaregistrován" in page.text
    assert (await worker(referrals).post("/partners", {**form, "slug": "ngo-jiny"})).status_code == 403


async def test_a_wrong_registration_keeps_the_values_and_explains_each_field(referrals: Referrals) -> None:
    admin = browser(referrals, Role.ADMIN)
    form = {"slug": "Velká Písmena", "name": "Domov", "kind": "", "contact_email": "info-bez-zavinace"}
    refused = await admin.post("/partners", form)
    assert refused.status_code == 422
    assert "jen malá písmena bez diakritiky" in refused.text
    assert "Vyberte druh partnera." in refused.text
    assert "Vyberte alespoň jeden druh předání" in refused.text
    assert "Zadejte e-mail ve tvaru" in refused.text
    assert 'value="Velká Písmena"' in refused.text and 'value="info-bez-zavinace"' in refused.text
    assert await referrals.get("/api/partners") == []

    await referrals.partner("ngo-domov", ["social_work"])
    again = {"slug": "ngo-domov", "name": "Jiný", "kind": "ngo", "accepted_kinds": ["social_work"]}
    duplicate = await admin.post("/partners", again)
    assert duplicate.status_code == 409
    assert "už je registrován" in duplicate.text


async def test_an_administrator_changes_kinds_and_deactivates_a_partner(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    admin = browser(referrals, Role.ADMIN)
    changed = await admin.post(
        "/partners/ngo-domov", {"name": "Domov", "accepted_kinds": ["social_work", "debt_advice"]}
    )
    assert changed.headers["location"] == "/partners/ngo-domov?saved=changed"
    assert (await referrals.get("/api/partners/ngo-domov"))["accepted_kinds"] == [
        "debt_advice",
        "social_work",
    ]
    none = await admin.post("/partners/ngo-domov", {"name": "Domov"})
    assert none.status_code == 422 and "Vyberte alespoň jeden druh předání" in none.text

    case_id = uuid4()
    offered = await worker(referrals).get(f"/cases/{case_id}/refer?kind=debt_advice")
    assert 'value="ngo-domov"' in offered.text
    deactivated = await admin.post("/partners/ngo-domov/deactivate")
    assert deactivated.headers["location"] == "/partners/ngo-domov?saved=deactivated"
    assert (await referrals.get("/api/partners/ngo-domov"))["active"] is False
    gone = await worker(referrals).get(f"/cases/{case_id}/refer?kind=debt_advice")
    assert 'value="ngo-domov"' not in gone.text, "an inactive partner is not offered"
    assert "Žádný aktivní partner tento druh předání nepřijímá" in gone.text


async def test_a_token_issued_on_the_page_is_shown_once_and_opens_the_partners_inbox(
    referrals: Referrals,
) -> None:
    await referrals.partner("up-lipovec", ["binding_opinion"], kind="labour_office")
    made = await referrals.referral(uuid4(), "up-lipovec", "binding_opinion")
    admin = browser(referrals, Role.ADMIN)
    issued = await admin.post("/partners/up-lipovec/token")
    assert issued.status_code == 200
    found = re.search(r'id="token-value" readonly size="60" value="(kmb_[^"]+)"', issued.text)
    assert found, "the token is on the page"
    token = found.group(1)
    assert token not in (await admin.get("/partners/up-lipovec")).text, "shown only once"

    inbox = await referrals.get("/api/partner/up-lipovec/inbox", as_={"Authorization": f"Bearer {token}"})
    assert [item["referral_id"] for item in inbox] == [made["id"]]
