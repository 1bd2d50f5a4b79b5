"""The referral lifecycle over HTTP: legal steps publish events, every illegal one is refused with 409."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from .support import ADMIN, WORKER, Referrals

pytestmark = pytest.mark.kafka

ACTIONS: dict[str, dict[str, Any] | None] = {
    "accept": None,
    "decline": {"reason": "no_capacity"},
    "complete": {"outcome": "service_provided"},
    "cancel": {"reason": "Domácnost se odstěhovala."},
}
# From the domain's table: made -> accepted | declined | cancelled; accepted -> completed | declined |
# cancelled; declined, completed and cancelled are final.
LEGAL = {
    "made": {"accept", "decline", "cancel"},
    "accepted": {"complete", "decline", "cancel"},
    "declined": set(),
    "completed": set(),
    "cancelled": set(),
}
# How to bring a fresh referral into each state.
PATHS = {
    "made": [],
    "accepted": ["accept"],
    "declined": ["decline"],
    "completed": ["accept", "complete"],
    "cancelled": ["cancel"],
}


async def _in_state(referrals: Referrals, state: str) -> str:
    made = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    for action in PATHS[state]:
        response = await referrals.step(made["id"], action, ACTIONS[action])
        assert response.status_code == 200, response.text
    assert (await referrals.get(f"/api/referrals/{made['id']}"))["status"] == state
    return str(made["id"])


async def test_every_illegal_transition_is_refused_with_409_in_czech_and_english(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    illegal = [(state, action) for state in LEGAL for action in ACTIONS if action not in LEGAL[state]]
    # 5 states x 4 actions = 20 pairs, of which 6 are legal: 14 must be refused.
    assert len(illegal) == 14
    for state, action in illegal:
        referral_id = await _in_state(referrals, state)
        response = await referrals.step(referral_id, action, ACTIONS[action])
        assert response.status_code == 409, (state, action, response.text)
        detail = response.json()["detail"]
        assert detail["code"] == "illegal_transition"
        assert detail["message_cs"].startswith("Předání ve stavu")
        assert f"'{state}'" in detail["message_en"]
        after = await referrals.get(f"/api/referrals/{referral_id}")
        assert after["status"] == state, "a refused step changes nothing"


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
        "kmb.partner.referral.v1",
        "kmb.partner.referral_status.v1",
        "kmb.partner.referral_status.v1",
    ]
    assert [u.data.get("update") for u in updates[1:]] == ["accepted", "completed"]


async def test_declining_needs_a_reason_from_the_list_and_other_needs_a_note(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    made = await referrals.referral(uuid4(), "ngo-domov", "social_work")

    unknown = await referrals.step(made["id"], "decline", {"reason": "too_busy"})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "reason"

    bare_other = await referrals.step(made["id"], "decline", {"reason": "other", "note": "  "})
    assert bare_other.status_code == 422
    item = bare_other.json()["detail"][0]
    assert (item["field"], item["code"]) == ("note", "note_required")
    assert item["message_cs"] and item["message_en"]

    explained = await referrals.step(
        made["id"], "decline", {"reason": "other", "note": "Mimo spádovou oblast."}
    )
    assert explained.status_code == 200
    assert (explained.json()["decline_reason"], explained.json()["decline_note"]) == (
        "other",
        "Mimo spádovou oblast.",
    )


async def test_a_referral_needs_a_registered_partner_that_takes_the_kind(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    unknown = await referrals.refer(uuid4(), "nikdo-takovy", "social_work")
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "partner"

    wrong_kind = await referrals.refer(uuid4(), "ngo-domov", "legal_aid")
    assert wrong_kind.status_code == 409
    assert wrong_kind.json()["detail"]["code"] == "partner_does_not_accept"

    await referrals.client.patch("/api/partners/ngo-domov", json={"active": False}, headers=ADMIN)
    inactive = await referrals.refer(uuid4(), "ngo-domov", "social_work")
    assert inactive.status_code == 409


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
