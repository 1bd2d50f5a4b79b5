"""Accepting a housing offer ends the household's other housing searches; a partner that declines after
accepting raises an alert for the worker."""

from __future__ import annotations

from uuid import uuid4

import pytest

from .support import WORKER, Referrals

pytestmark = pytest.mark.kafka


async def test_accepting_a_municipal_flat_cancels_the_other_open_housing_referrals(
    referrals: Referrals,
) -> None:
    await referrals.partner("bytovy-odbor", ["municipal_flat_application"], kind="housing_department")
    await referrals.partner("realitni-expert", ["real_estate_search"], kind="real_estate_expert")
    await referrals.partner("ngo-domov", ["social_service_place", "housing_assistance"])
    case_id, neighbour = uuid4(), uuid4()
    flat = await referrals.referral(case_id, "bytovy-odbor", "municipal_flat_application")
    market = await referrals.referral(case_id, "realitni-expert", "real_estate_search")
    shelter = await referrals.referral(case_id, "ngo-domov", "social_service_place")
    assistance = await referrals.referral(case_id, "ngo-domov", "housing_assistance")
    other_household = await referrals.referral(neighbour, "realitni-expert", "real_estate_search")

    accepted = await referrals.step(flat["id"], "accept")
    assert accepted.status_code == 200, accepted.text

    async def status(referral: dict[str, str]) -> str:
        return str((await referrals.get(f"/api/referrals/{referral['id']}"))["status"])

    assert await status(flat) == "accepted"
    assert await status(market) == "cancelled"
    assert await status(shelter) == "cancelled"
    # Support in the new home goes on; another household's search is not touched.
    assert await status(assistance) == "made"
    assert await status(other_household) == "made"

    # 5 ReferralMade + 1 ReferralAccepted + 2 ReferralCancelled = 8 events
    events = await referrals.events(expect=8)
    cancelled = [e for e in events if e.type == "kmb.referrals.referral_cancelled.v1"]
    assert sorted(e.data["referral_id"] for e in cancelled) == sorted([market["id"], shelter["id"]])
    accept_event = next(e for e in events if e.type == "kmb.referrals.referral_accepted.v1")
    assert all(e.data["reason"] == "housing_offer_accepted" for e in cancelled)
    assert all(e.data["caused_by"] == accept_event.headers["ce_id"] for e in cancelled)

    # The expert hears about it on its own topic: its referral, then the cancellation.
    messages = await referrals.partner_messages("realitni-expert", expect=3)
    update = next(m for m in messages if m.data.get("referral_id") == market["id"] and m.data.get("update"))
    assert (update.data["update"], update.data["state"]) == ("cancelled", "cancelled")
    assert update.data["reason_label"].startswith("Domácnost přijala nabídku bydlení")


async def test_declining_after_accepting_raises_an_alert_until_dismissed(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    made = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    quiet = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    await referrals.step(made["id"], "accept")
    declined = await referrals.step(made["id"], "decline", {"reason": "higher_care_needed"})
    await referrals.step(quiet["id"], "decline", {"reason": "no_capacity"})  # before accepting: no alert
    assert declined.json()["declined_after_acceptance"] is True
    assert declined.json()["needs_worker_alert"] is True

    alerts = await referrals.get("/api/alerts")
    assert [a["id"] for a in alerts] == [made["id"]]
    events = await referrals.events(expect=5)
    declines = {e.data["referral_id"]: e.data for e in events if e.type.endswith("referral_declined.v1")}
    assert declines[made["id"]]["after_acceptance"] is True
    assert declines[quiet["id"]]["after_acceptance"] is False

    dismissed = await referrals.client.post(f"/api/alerts/{made['id']}/dismiss", headers=WORKER)
    assert dismissed.json()["needs_worker_alert"] is False
    assert await referrals.get("/api/alerts") == []
    assert (
        await referrals.client.post(f"/api/alerts/{quiet['id']}/dismiss", headers=WORKER)
    ).status_code == 404


async def test_a_binding_opinion_completes_the_labour_office_referral(referrals: Referrals) -> None:
    await referrals.partner("up-lipovec", ["binding_opinion", "benefit_claim"], kind="labour_office")
    case_id = uuid4()
    made = await referrals.referral(case_id, "up-lipovec", "binding_opinion")
    opinion = {"positive": True, "justified_housing_costs": 9800, "estimated_benefit": 3100}
    response = await referrals.step(made["id"], "binding-opinion", opinion)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "completed"
    assert response.json()["outcome"] == "opinion_issued"
    assert response.json()["binding_opinion"] == opinion

    events = await referrals.events(expect=4)
    assert [e.type.split(".")[2] for e in events] == [
        "referral_made",
        "referral_accepted",
        "binding_opinion_issued",
        "referral_completed",
    ]
    issued = events[2].data
    assert (issued["positive"], issued["justified_housing_costs"], issued["estimated_benefit"]) == (
        True,
        9800,
        3100,
    )

    again = await referrals.step(made["id"], "binding-opinion", opinion)
    assert again.status_code == 409
    claim = await referrals.referral(case_id, "up-lipovec", "benefit_claim")
    wrong = await referrals.step(claim["id"], "binding-opinion", opinion)
    assert wrong.status_code == 422
