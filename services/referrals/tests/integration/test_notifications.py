"""The worker's notifications on the real broker (SQLite and PostgreSQL): a partner's decline with its
reason in Czech, an acceptance, a completion, a binding opinion and an overdue referral each tell the
worker who made the referral; each worker sees and marks read only their own."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer
from kmb_testkit.probe import wait_until

from .conftest import ServiceFactory
from .support import LIPOVEC, MONDAY, WORKER, Clock, Referrals, partner_user

pytestmark = pytest.mark.kafka

DOMOV = partner_user("ngo-domov")
UP = partner_user("up-lipovec")
#: another worker of the same contact point, and one of another contact point
COLLEAGUE = bearer(Role.WORKER, organisation=LIPOVEC, user="worker-8")
ELSEWHERE = bearer(Role.WORKER, organisation="kmb-jinde", user="worker-7")


async def texts(referrals: Referrals, as_: dict[str, str] = WORKER, **query: str) -> list[str]:
    return [n["text_cs"] for n in await referrals.get("/api/notifications", as_=as_, **query)]


async def test_a_partner_declining_with_a_reason_tells_the_worker_in_czech_and_only_them(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case_id = uuid4()
    await referrals.open_case(case_id, number=7)
    made = await referrals.referral(case_id, "ngo-domov", "social_work")
    assert await texts(referrals) == []  # making it is the worker's own act

    declined = await referrals.step(
        made["id"], "decline", {"reason": "no_capacity", "note": "plno"}, as_=DOMOV
    )
    assert declined.status_code == 200, declined.text
    events = await referrals.events(expect=2)  # the step went out as ever: made, declined
    assert events[-1].type == "kmb.referrals.referral_declined.v1"

    mine = await referrals.get("/api/notifications", unread="true")
    assert [(n["case_number"], n["update"], n["read"]) for n in mine] == [
        ("KMB-2026-00007", "declined", False)
    ]
    assert mine[0]["text_cs"] == (
        "Partner ngo-domov odmítl předání „Sociální práce“ k případu KMB-2026-00007. Důvod: Nedostatečná kapacita."
    )
    assert "plno" not in str(mine)  # the partner's free note stays on the referral, out of notifications

    page = await referrals.client.get("/notifications", headers=WORKER)
    assert mine[0]["text_cs"] in page.text
    assert "Označit vše jako přečtené (1)" in page.text
    assert not any(code in page.text for code in ("no_capacity", "declined", "social_work"))

    # another worker of the contact point, and a worker of another one, see nothing and mark nothing
    assert await texts(referrals, COLLEAGUE) == []
    assert await texts(referrals, ELSEWHERE) == []
    theirs = await referrals.client.post(f"/api/notifications/{mine[0]['id']}/read", headers=COLLEAGUE)
    assert theirs.status_code == 404
    assert (await referrals.client.post("/api/notifications/read", headers=COLLEAGUE)).json() == {"marked": 0}
    assert len(await texts(referrals, unread="true")) == 1

    read = await referrals.client.post(f"/api/notifications/{mine[0]['id']}/read", headers=WORKER)
    assert read.json() == {"marked": 1}
    assert await texts(referrals, unread="true") == []
    assert [n["read"] for n in await referrals.get("/api/notifications")] == [True]


async def test_acceptance_completion_and_a_binding_opinion_are_told_once_each(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    await referrals.partner("up-lipovec", ["binding_opinion"], kind="labour_office")
    case_id = uuid4()
    await referrals.open_case(case_id, number=3)
    work = await referrals.referral(case_id, "ngo-domov", "social_work")
    opinion = await referrals.referral(case_id, "up-lipovec", "binding_opinion")
    await referrals.step(work["id"], "accept", as_=DOMOV)
    await referrals.step(work["id"], "complete", {"outcome": "service_provided"}, as_=DOMOV)
    body: dict[str, Any] = {"positive": True, "justified_housing_costs": 9000}
    assert (await referrals.step(opinion["id"], "binding-opinion", body, as_=UP)).status_code == 200
    # a step the worker records themselves is not told back to them
    own = await referrals.referral(case_id, "ngo-domov", "social_work")
    await referrals.step(own["id"], "accept")

    assert await texts(referrals) == [
        "Partner up-lipovec vydal závazné stanovisko k předání „Závazné stanovisko Úřadu práce (§ 18)“ k případu "
        "KMB-2026-00003. Stanovisko je kladné.",
        "Partner ngo-domov dokončil předání „Sociální práce“ k případu KMB-2026-00003. Výsledek: Služba poskytnuta.",
        "Partner ngo-domov přijal předání „Sociální práce“ k případu KMB-2026-00003.",
    ]
    assert (await referrals.client.post("/api/notifications/read", headers=WORKER)).json() == {"marked": 3}
    assert await texts(referrals, unread="true") == []


async def test_an_overdue_referral_tells_its_worker(service_factory: ServiceFactory) -> None:
    clock = Clock(MONDAY)
    async with service_factory(clock, overdue_interval_s=0.1, deadline_days={"social_work": 3}) as referrals:
        await referrals.partner("ngo-domov", ["social_work"])
        case_id = uuid4()
        await referrals.open_case(case_id, number=5)
        await referrals.referral(case_id, "ngo-domov", "social_work")  # due Thursday 5 March
        clock.day = date(2026, 3, 6)

        async def told() -> bool:
            return bool(await texts(referrals, unread="true"))

        await wait_until(told)
        assert await texts(referrals) == [
            "Partner ngo-domov neodpověděl včas na předání „Sociální práce“ k případu KMB-2026-00005: "
            "lhůta pro odpověď uplynula."
        ]
        assert await texts(referrals, COLLEAGUE) == []
