"""A worker's program that got no answer may send the same referral again (issue 16): with the same
``Idempotency-Key`` the referral is made once, its event and its partner message leave once (read back
from the real broker), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest

from .support import WORKER, Referrals

pytestmark = pytest.mark.kafka


async def test_a_referral_sent_twice_with_one_key_is_made_once(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case, key = uuid4(), {"Idempotency-Key": str(uuid4())}
    first = await referrals.refer(case, "ngo-domov", "social_work", headers=key)
    again = await referrals.refer(case, "ngo-domov", "social_work", headers=key)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    listed = await referrals.get("/api/referrals", as_=WORKER, case_id=str(case))
    assert [r["id"] for r in listed] == [first.json()["id"]]
    assert len(await referrals.events(expect=1)) == 1
    assert len(await referrals.partner_messages("ngo-domov", expect=1)) == 1


async def test_two_requests_with_one_key_at_once_make_one_referral(referrals: Referrals) -> None:
    """Sent at the same moment (a client retrying too soon): one makes it, the other is told the first
    is under way (409) or gets its answer; never two referrals."""
    await referrals.partner("ngo-domov", ["social_work"])
    case, key = uuid4(), {"Idempotency-Key": "same-moment"}
    answers = await asyncio.gather(
        *(referrals.refer(case, "ngo-domov", "social_work", headers=key) for _ in range(3))
    )
    assert sorted({a.status_code for a in answers} - {201, 409}) == [], [a.text for a in answers]
    made = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(made) == 1
    listed = await referrals.get("/api/referrals", as_=WORKER, case_id=str(case))
    assert [r["id"] for r in listed] == list(made)


async def test_the_same_key_for_another_referral_is_refused(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work", "debt_advice"])
    case, key = uuid4(), {"Idempotency-Key": "retry-1"}
    assert (await referrals.refer(case, "ngo-domov", "social_work", headers=key)).status_code == 201
    reused = await referrals.refer(case, "ngo-domov", "debt_advice", headers=key)
    assert reused.status_code == 422
    [problem] = reused.json()["detail"]
    assert (problem["field"], problem["code"]) == ("Idempotency-Key", "idempotency_key_reused")
    assert problem["message_cs"] and problem["message_en"]
    assert len(await referrals.get("/api/referrals", as_=WORKER, case_id=str(case))) == 1
