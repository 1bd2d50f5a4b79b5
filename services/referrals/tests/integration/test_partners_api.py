"""The partner registry: registering creates the partner's own topic, which then receives the
referral in the partner's shape as a binary CloudEvent."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from kmb_referrals.application.demo import DEMO_PARTNERS

from .support import ADMIN, Referrals

pytestmark = pytest.mark.kafka


async def _topics(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def _eventually_listed(bootstrap: str, topic: str, timeout_s: float = 30.0) -> bool:
    """A created topic reaches the broker's metadata cache a moment after the controller commits it
    (KRaft), so a listing right after the create may not show it yet: poll, bounded."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        if topic in await _topics(bootstrap):
            return True
        await asyncio.sleep(0.2)
    return False


async def test_registering_a_partner_creates_its_topic_which_gets_the_referral(referrals: Referrals) -> None:
    topic = referrals.topics.partner("ngo-domov")
    assert topic not in await _topics(referrals.bootstrap)
    created = await referrals.partner("ngo-domov", ["housing_assistance", "social_work"])
    assert created["topic"] == topic
    assert created["accepted_kinds"] == ["housing_assistance", "social_work"]
    assert await _eventually_listed(referrals.bootstrap, topic), f"{topic} not listed within 30 s"

    made = await referrals.referral(uuid4(), "ngo-domov", "housing_assistance")
    [record] = await referrals.partner_messages("ngo-domov", expect=1)
    assert record.type == "kmb.partner.referral.v3"
    assert record.headers["ce_specversion"] == "1.0"
    assert record.headers["ce_source"] == "/kmb/referrals"
    assert record.headers["content-type"] == "application/json"
    # Keyed by the per-partner pseudonym, never by the internal case id.
    assert record.key == record.data["case_reference"].encode() == record.headers["ce_subject"].encode()
    assert record.data["referral_id"] == made["id"]
    assert record.data["kind_label"] == "Asistence v bydlení (§ 22)"
    assert record.data["topic"] == topic
    assert record.data["due_on"] == made["due_on"]


async def test_partners_are_listed_read_and_changed(referrals: Referrals) -> None:
    await referrals.partner("bytovy-odbor", ["municipal_flat_application"], kind="housing_department")
    await referrals.partner("ngo-domov", ["social_work"])
    listed = await referrals.get("/api/partners")
    assert [p["slug"] for p in listed] == ["bytovy-odbor", "ngo-domov"]
    assert [p["internal"] for p in listed] == [True, False]

    patch = {
        "accepted_kinds": ["social_work", "debt_advice"],
        "contact": {"person": "Martin Modelový", "email": "info@domov.example"},
        "active": False,
    }
    changed = await referrals.client.patch("/api/partners/ngo-domov", json=patch, headers=ADMIN)
    assert changed.status_code == 200, changed.text
    read = await referrals.get("/api/partners/ngo-domov")
    assert read["accepted_kinds"] == ["debt_advice", "social_work"]
    assert read["contact"]["email"] == "info@domov.example"
    assert read["active"] is False

    assert (await referrals.client.get("/api/partners/nikdo", headers=ADMIN)).status_code == 404
    bad = await referrals.client.patch("/api/partners/ngo-domov", json={"accepted_kinds": []}, headers=ADMIN)
    assert bad.status_code == 422


async def test_a_slug_is_registered_once_and_must_be_valid(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    again = {"slug": "ngo-domov", "name": "Jiný", "kind": "ngo", "accepted_kinds": ["social_work"]}
    duplicate = await referrals.client.post("/api/partners", json=again, headers=ADMIN)
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"]["code"] == "partner_exists"
    wrong = {"slug": "Velká Písmena", "name": "X y", "kind": "ngo", "accepted_kinds": ["social_work"]}
    invalid = await referrals.client.post("/api/partners", json=wrong, headers=ADMIN)
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["field"] == "slug"


async def test_demo_partners_are_marked_and_loaded_once_with_their_topics(referrals: Referrals) -> None:
    first = (await referrals.client.post("/api/demo/partners", headers=ADMIN)).json()
    assert sorted(first["created"]) == sorted(p.slug for p in DEMO_PARTNERS)
    second = (await referrals.client.post("/api/demo/partners", headers=ADMIN)).json()
    assert second["created"] == []
    listed = await referrals.get("/api/partners")
    assert len(listed) == 7
    assert all("(DEMO)" in p["name"] for p in listed)
    for partner in DEMO_PARTNERS:  # listed a moment after the controller commits each create (KRaft)
        topic = referrals.topics.partner(partner.slug)
        assert await _eventually_listed(referrals.bootstrap, topic), f"{topic} not listed within 30 s"
    # The social department takes housing assistance (the end-to-end flow refers a case there).
    made = await referrals.refer(uuid4(), "socialni-odbor", "housing_assistance")
    assert made.status_code == 201


async def test_the_asyncapi_document_describes_events_and_partner_topics(referrals: Referrals) -> None:
    channels = (await referrals.client.get("/asyncapi.json")).json()["channels"]
    assert channels["kmb.partner.referral.v3"]["address"] == referrals.topics.partner("{slug}")
    # v2 (the worker's contact and the basis in words inside): no longer written, still described
    assert channels["kmb.partner.referral.v2"]["address"] == referrals.topics.partner("{slug}")
    # the first version (identity inside) is no longer written but still described, to read old messages
    assert channels["kmb.partner.referral.v1"]["address"] == referrals.topics.partner("{slug}")
    assert "kmb.partner.referral_status.v2" in channels
    assert "kmb.partner.referral_status.v1" in channels  # the note inside: still described, to be read
    published = {
        name for name, channel in channels.items() if channel["address"].endswith("kmb.referrals.v1")
    }
    assert published == {
        "kmb.referrals.referral_made.v1",
        "kmb.referrals.referral_accepted.v1",
        "kmb.referrals.referral_declined.v1",
        "kmb.referrals.referral_completed.v1",
        "kmb.referrals.referral_cancelled.v1",
        "kmb.referrals.referral_overdue.v1",
        "kmb.referrals.binding_opinion_issued.v1",
    }
