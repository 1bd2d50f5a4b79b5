"""A referral goes only to a registered, active partner that takes its kind: the API answers 422 for an
unknown partner and 409 with the partner's name in Czech and English otherwise; the refer form shows
the Czech refusal at the partner field and refers nothing."""

from __future__ import annotations

from uuid import uuid4

from .pages_support import worker
from .support import ADMIN, Referrals


async def test_an_inactive_partner_or_one_not_taking_the_kind_is_refused_on_the_api_and_the_form(
    offline_referrals: Referrals,
) -> None:
    referrals = offline_referrals
    await referrals.partner("ngo-domov", ["social_work"])
    wrong_kind = await referrals.refer(uuid4(), "ngo-domov", "legal_aid")
    assert wrong_kind.status_code == 409
    assert (
        wrong_kind.json()["detail"]["message_cs"]
        == "Partner Partner ngo-domov nepřijímá předání typu „Právní pomoc“."
    )
    assert wrong_kind.json()["detail"]["message_en"] == (
        "Partner Partner ngo-domov does not take referrals of the kind 'legal_aid'."
    )

    await referrals.client.patch("/api/partners/ngo-domov", json={"active": False}, headers=ADMIN)
    inactive = await referrals.refer(uuid4(), "ngo-domov", "social_work")
    assert inactive.status_code == 409
    assert (
        inactive.json()["detail"]["message_cs"]
        == "Partner Partner ngo-domov není aktivní a nepřijímá předání."
    )
    assert (
        inactive.json()["detail"]["message_en"]
        == "Partner Partner ngo-domov is inactive and takes no referrals."
    )

    case_id = uuid4()
    form = {"kind": "social_work", "partner": "ngo-domov", "note": ""}
    refused = await worker(referrals).post(f"/cases/{case_id}/refer", form)
    assert refused.status_code == 409
    assert "není aktivní a nepřijímá předání" in refused.text
    assert await referrals.get("/api/referrals", case_id=str(case_id)) == []
