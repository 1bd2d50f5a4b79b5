"""The referral lifecycle over HTTP on the real broker: legal steps publish events and partner messages
(the refusals are in test_validation_api, on the app without a broker)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from .support import WORKER, Referrals

pytestmark = pytest.mark.kafka


async def test_a_referral_made_accepted_and_completed_publishes_each_step(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case_id = uuid4()
    made = await referrals.referral(case_id, "ngo-domov", "social_work")
    assert (made["status"], made["made_on"]) == ("made", "2026-03-02")
    assert (await referrals.step(made["id"], "accept")).json()["status"] == "accepted"
    done = await referrals.step(made["id"], "complete", {"outcome": "service_provided"})
    assert done.json()["status"] == "completed"
    assert [h["to_state"] for h in done.json()["history"]] == ["made", "accepted", "completed"]

    events = await referrals.events(expect=3)
    assert [e.type for e in events] == [
        "kmb.referrals.referral_made.v1",
        "kmb.referrals.referral_accepted.v1",
        "kmb.referrals.referral_completed.v1",
    ]
    assert {e.data["referral_id"] for e in events} == {made["id"]}
    assert all(e.key == str(case_id).encode() for e in events)
    assert events[0].data["actor"] == {"user_id": "worker-7", "organisation": "kmb-lipovec"}
    assert events[2].data["outcome"] == "service_provided"

    updates = await referrals.partner_messages("ngo-domov", expect=3)
    assert [u.type for u in updates] == [
        "kmb.partner.referral.v3",
        "kmb.partner.referral_status.v2",
        "kmb.partner.referral_status.v2",
    ]
    assert [u.data.get("update") for u in updates[1:]] == ["accepted", "completed"]


async def test_lists_filter_by_case_partner_and_status(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work", "debt_advice"])
    await referrals.partner("pravni-poradna", ["legal_aid"], kind="legal_service")
    case_a, case_b = uuid4(), uuid4()
    first = await referrals.referral(case_a, "ngo-domov", "social_work")
    await referrals.referral(case_a, "pravni-poradna", "legal_aid")
    await referrals.referral(case_b, "ngo-domov", "debt_advice")
    await referrals.step(first["id"], "accept")

    async def ids(**query: str) -> list[str]:
        return sorted(r["id"] for r in await referrals.get("/api/referrals", **query))

    assert len(await ids(case_id=str(case_a))) == 2
    assert len(await ids(partner="ngo-domov")) == 2
    assert await ids(case_id=str(case_a), status="accepted") == [first["id"]]
    assert len(await ids(status="made")) == 2


async def test_a_case_conference_refers_to_several_partners_under_one_id(referrals: Referrals) -> None:
    for slug in ("socialni-odbor", "ngo-domov", "up-lipovec"):
        await referrals.partner(slug, ["case_conference"])
    case_id = uuid4()
    body = {"case_id": str(case_id), "partners": ["socialni-odbor", "ngo-domov", "up-lipovec"]}
    response = await referrals.client.post("/api/case-conferences", json=body, headers=WORKER)
    assert response.status_code == 201, response.text
    conference = response.json()
    assert {r["partner"] for r in conference["referrals"]} == {"socialni-odbor", "ngo-domov", "up-lipovec"}
    assert {r["conference_id"] for r in conference["referrals"]} == {conference["conference_id"]}
    assert {r["kind"] for r in conference["referrals"]} == {"case_conference"}

    message = (await referrals.partner_messages("up-lipovec", expect=1))[0]
    assert message.data["conference_id"] == conference["conference_id"]

    doubled = {"case_id": str(case_id), "partners": ["ngo-domov", "ngo-domov"]}
    assert (
        await referrals.client.post("/api/case-conferences", json=doubled, headers=WORKER)
    ).status_code == 422
