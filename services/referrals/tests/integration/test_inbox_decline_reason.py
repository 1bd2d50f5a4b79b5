"""The partner sees on its own inbox card why it declined a referral (the reason in Czech), beside the
worker to reach the household through; another partner's inbox shows nothing of it."""

from __future__ import annotations

from uuid import uuid4

from kmb_shared.auth import Role

from .pages_support import browser
from .support import Referrals


async def test_a_declined_referral_shows_its_reason_on_the_partners_card(
    offline_referrals: Referrals,
) -> None:
    referrals = offline_referrals
    await referrals.partner("ngo-domov", ["social_work"])
    await referrals.partner("ngo-dluhova-poradna", ["debt_advice"])
    made = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    waiting = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    partner = browser(referrals, Role.PARTNER, organisation="ngo-domov", user="domov-jana")

    declined = await partner.post(
        f"/partner/inbox/{made['id']}/decline", {"reason": "no_capacity", "note": ""}
    )
    assert declined.status_code == 303, declined.text
    card = (await partner.get("/partner/inbox?status=declined")).text
    assert made["id"] in card and waiting["id"] not in card
    assert "<dt>Důvod odmítnutí</dt><dd>Nedostatečná kapacita</dd>" in card
    assert "<dt>Kontakt na pracovníka</dt>" in card
    assert "no_capacity" not in card.replace('value="no_capacity"', "")  # only the form's option values

    waiting_card = (await partner.get("/partner/inbox?status=made")).text
    assert "Důvod odmítnutí</dt>" not in waiting_card
    other = browser(referrals, Role.PARTNER, organisation="ngo-dluhova-poradna", user="poradna-petr")
    assert "Nedostatečná kapacita</dd>" not in (await other.get("/partner/inbox")).text
