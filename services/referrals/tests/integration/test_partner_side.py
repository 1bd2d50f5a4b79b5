"""The partner's side sees and answers only its own organisation's referrals."""

from __future__ import annotations

from uuid import uuid4

import pytest

from .support import Referrals

pytestmark = pytest.mark.kafka


def org(slug: str) -> dict[str, str]:
    return {"X-KMB-Org": slug, "X-KMB-User": f"{slug}-user-1"}


async def test_an_organisation_sees_only_its_inbox_and_answers_only_its_referrals(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    await referrals.partner("ngo-dluhova-poradna", ["debt_advice"])
    mine = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    theirs = await referrals.referral(uuid4(), "ngo-dluhova-poradna", "debt_advice")

    assert (await referrals.client.get("/api/partner/ngo-domov/inbox")).status_code == 403
    forged = await referrals.client.get("/api/partner/ngo-domov/inbox", headers=org("ngo-dluhova-poradna"))
    assert forged.status_code == 403
    assert forged.json()["detail"]["message_en"]

    inbox = (await referrals.client.get("/api/partner/ngo-domov/inbox", headers=org("ngo-domov"))).json()
    assert [item["referral_id"] for item in inbox] == [mine["id"]]
    assert inbox[0]["case_reference"].startswith("P-")

    other = await referrals.client.post(
        f"/api/partner/ngo-domov/referrals/{theirs['id']}/accept", headers=org("ngo-domov")
    )
    assert other.status_code == 404
    wrong_org = await referrals.client.post(
        f"/api/partner/ngo-domov/referrals/{mine['id']}/accept", headers=org("ngo-dluhova-poradna")
    )
    assert wrong_org.status_code == 403

    accepted = await referrals.client.post(
        f"/api/partner/ngo-domov/referrals/{mine['id']}/accept", headers=org("ngo-domov")
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    again = await referrals.client.post(
        f"/api/partner/ngo-domov/referrals/{mine['id']}/accept", headers=org("ngo-domov")
    )
    assert again.status_code == 409
    done = await referrals.client.post(
        f"/api/partner/ngo-domov/referrals/{mine['id']}/complete",
        json={"outcome": "service_provided"},
        headers=org("ngo-domov"),
    )
    assert done.json()["status"] == "completed"

    events = await referrals.events(expect=4)
    accepted_event = next(e for e in events if e.type.endswith("referral_accepted.v1"))
    assert accepted_event.data["actor"] == {"user_id": "ngo-domov-user-1", "organisation": "ngo-domov"}
    assert (await referrals.client.get(f"/api/referrals/{theirs['id']}")).json()["status"] == "made"
