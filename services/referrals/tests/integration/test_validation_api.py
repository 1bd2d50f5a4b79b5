"""The referral lifecycle's refusals over HTTP: every illegal step is refused with 409, a decline needs a
reason from the list (and "other" a note), a referral a registered partner that takes the kind; in Czech
and English. No broker needed: the app without a Kafka consumer, on SQLite."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from .support import ADMIN, Referrals


@pytest.fixture
def referrals(offline_referrals: Referrals) -> Referrals:
    return offline_referrals


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
