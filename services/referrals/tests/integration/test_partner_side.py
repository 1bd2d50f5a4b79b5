"""The partner's side sees and answers only its own organisation's referrals; every route checks the
caller's sign-in and role on the server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest

from kmb_shared.auth import Role
from kmb_shared.sessions import IntakeSessionChecker
from kmb_testkit.fixtures import bearer

from .support import ADMIN, ANALYST, AUDITOR, WORKER, Referrals, StubIntake, partner_user


@pytest.fixture
def referrals(offline_referrals: Referrals) -> Referrals:
    """Roles and scoping need no broker: the app without a Kafka consumer, on SQLite (the events
    these tests look at are read from the outbox; delivery is the broker tests' part)."""
    return offline_referrals


DOMOV = partner_user("ngo-domov")
PORADNA = partner_user("ngo-dluhova-poradna")


async def test_an_organisation_sees_only_its_inbox_and_answers_only_its_referrals(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    await referrals.partner("ngo-dluhova-poradna", ["debt_advice"])
    mine = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    theirs = await referrals.referral(uuid4(), "ngo-dluhova-poradna", "debt_advice")

    assert (await referrals.client.get("/api/partner/ngo-domov/inbox")).status_code == 401
    forged = await referrals.client.get("/api/partner/ngo-domov/inbox", headers=PORADNA)
    assert forged.status_code == 403
    assert forged.json()["detail"]["message_cs"] and forged.json()["detail"]["message_en"]

    inbox = await referrals.get("/api/partner/ngo-domov/inbox", as_=DOMOV)
    assert [item["referral_id"] for item in inbox] == [mine["id"]]
    assert inbox[0]["case_reference"].startswith("P-")

    base = "/api/partner/ngo-domov/referrals"
    other = await referrals.client.post(f"{base}/{theirs['id']}/accept", headers=DOMOV)
    assert other.status_code == 404, "another partner's referral does not exist for this one"
    wrong_org = await referrals.client.post(f"{base}/{mine['id']}/accept", headers=PORADNA)
    assert wrong_org.status_code == 403

    accepted = await referrals.client.post(f"{base}/{mine['id']}/accept", headers=DOMOV)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    again = await referrals.client.post(f"{base}/{mine['id']}/accept", headers=DOMOV)
    assert again.status_code == 409
    done = await referrals.client.post(
        f"{base}/{mine['id']}/complete", json={"outcome": "service_provided"}, headers=DOMOV
    )
    assert done.json()["status"] == "completed"

    events = await referrals.events(expect=4)
    accepted_event = next(e for e in events if e.type.endswith("referral_accepted.v1"))
    assert accepted_event.data["actor"] == {"user_id": "ngo-domov-user-1", "organisation": "ngo-domov"}
    assert (await referrals.get(f"/api/referrals/{theirs['id']}"))["status"] == "made"


async def test_a_partner_answers_its_own_referrals_on_the_worker_paths_but_nothing_more(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    await referrals.partner("ngo-dluhova-poradna", ["debt_advice"])
    case = uuid4()
    mine = await referrals.referral(case, "ngo-domov", "social_work", note="Volat po 15. hodině, Marie.")
    theirs = await referrals.referral(uuid4(), "ngo-dluhova-poradna", "debt_advice")

    accepted = await referrals.step(mine["id"], "accept", as_=DOMOV)
    assert accepted.status_code == 200, accepted.text
    # The partner gets the referral as its inbox shows it: its pseudonym of the case, never the case id,
    # and not the worker's note, which may name the household (never in the message; no consent here).
    assert accepted.json()["referral_id"] == mine["id"] and accepted.json()["status"] == "accepted"
    assert str(case) not in accepted.text and str(case).replace("-", "") not in accepted.text
    assert "note" not in accepted.json()["message"]
    assert "Marie" not in accepted.text
    assert (await referrals.step(theirs["id"], "accept", as_=DOMOV)).status_code == 404
    assert (await referrals.step(mine["id"], "cancel", as_=DOMOV)).status_code == 403
    assert (await referrals.client.get("/api/referrals", headers=DOMOV)).status_code == 403
    assert (await referrals.client.get("/api/alerts", headers=DOMOV)).status_code == 403
    made = await referrals.refer(uuid4(), "ngo-domov", "social_work", headers=DOMOV)
    assert made.status_code == 403

    # Its own record in the registry, not the others'.
    assert [p["slug"] for p in await referrals.get("/api/partners", as_=DOMOV)] == ["ngo-domov"]
    assert (await referrals.client.get("/api/partners/ngo-dluhova-poradna", headers=DOMOV)).status_code == 403


async def test_an_api_token_issued_for_a_partner_opens_its_inbox_only(referrals: Referrals) -> None:
    await referrals.partner("up-lipovec", ["binding_opinion"], kind="labour_office")
    await referrals.partner("ngo-domov", ["social_work"])
    made = await referrals.referral(uuid4(), "up-lipovec", "binding_opinion")

    refused = await referrals.client.post("/api/partners/up-lipovec/tokens", headers=WORKER)
    assert refused.status_code == 403
    assert (await referrals.client.post("/api/partners/nikdo/tokens", headers=ADMIN)).status_code == 404
    issued = await referrals.client.post("/api/partners/up-lipovec/tokens", headers=ADMIN)
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert (body["organisation"], body["roles"]) == ("up-lipovec", ["partner"])
    token = {"Authorization": f"Bearer {body['token']}"}

    inbox = await referrals.get("/api/partner/up-lipovec/inbox", as_=token)
    assert [item["referral_id"] for item in inbox] == [made["id"]]
    assert (await referrals.client.get("/api/partner/ngo-domov/inbox", headers=token)).status_code == 403
    opinion = {"positive": False}
    answered = await referrals.client.post(
        f"/api/partner/up-lipovec/referrals/{made['id']}/binding-opinion", json=opinion, headers=token
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "completed"
    events = await referrals.events(expect=4)  # made, accepted, binding opinion issued, completed
    issued_event = next(e for e in events if e.type.endswith("binding_opinion_issued.v1"))
    assert issued_event.data["actor"] == {"user_id": body["user_id"], "organisation": "up-lipovec"}

    forged = {"Authorization": f"Bearer {body['token'][:-3]}abc"}
    assert (await referrals.client.get("/api/partner/up-lipovec/inbox", headers=forged)).status_code == 401


async def test_an_analyst_is_refused_everywhere_and_an_auditor_only_reads(referrals: Referrals) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    made = await referrals.referral(uuid4(), "ngo-domov", "social_work")
    new = {"case_id": str(uuid4()), "partner": "ngo-domov", "kind": "social_work"}
    partner = {"slug": "ngo-novy", "name": "Nový", "kind": "ngo", "accepted_kinds": ["social_work"]}
    calls = [
        ("GET", "/api/referrals", None),
        ("GET", f"/api/referrals/{made['id']}", None),
        ("GET", "/api/alerts", None),
        ("GET", "/api/partners", None),
        ("GET", "/api/partners/ngo-domov", None),
        ("GET", "/api/partner/ngo-domov/inbox", None),
        ("POST", "/api/referrals", new),
        ("POST", f"/api/referrals/{made['id']}/accept", None),
        ("POST", f"/api/referrals/{made['id']}/cancel", None),
        ("POST", "/api/partners", partner),
        ("PATCH", "/api/partners/ngo-domov", {"active": False}),
        ("POST", "/api/demo/partners", None),
    ]
    for method, path, body in calls:
        response = await referrals.client.request(method, path, json=body, headers=ANALYST)
        assert response.status_code == 403, (method, path, response.text)

    reads = {path for method, path, _ in calls if method == "GET" and "/partner/" not in path}
    for path in reads:
        assert (await referrals.client.get(path, headers=AUDITOR)).status_code == 200, path
    for method, path, body in calls:
        if method != "GET":
            response = await referrals.client.request(method, path, json=body, headers=AUDITOR)
            assert response.status_code == 403, (method, path)
    assert (await referrals.get(f"/api/referrals/{made['id']}"))["status"] == "made", "nothing changed"


async def test_only_an_administrator_keeps_the_partner_registry(referrals: Referrals) -> None:
    body = {"slug": "ngo-domov", "name": "Domov", "kind": "ngo", "accepted_kinds": ["social_work"]}
    as_worker = await referrals.client.post("/api/partners", json=body, headers=WORKER)
    assert as_worker.status_code == 403
    catalogue_editor = bearer(Role.CATALOGUE_EDITOR, organisation="kmb-lipovec")
    assert (
        await referrals.client.post("/api/partners", json=body, headers=catalogue_editor)
    ).status_code == 403
    assert (await referrals.client.post("/api/partners", json=body)).status_code == 401
    assert (await referrals.client.post("/api/partners", json=body, headers=ADMIN)).status_code == 201
    patched = await referrals.client.patch("/api/partners/ngo-domov", json={"active": False}, headers=WORKER)
    assert patched.status_code == 403
    assert (await referrals.get("/api/partners/ngo-domov"))["active"] is True


async def test_a_partner_token_is_recorded_by_intake_and_refused_once_revoked_there(
    referrals: Referrals, intake: StubIntake
) -> None:
    """Issue 13 item 3: a partner's token expires, is listed among intake's tokens and is revoked
    there one by one; the referrals service then refuses it (asking the real intake app)."""
    await referrals.partner("up-lipovec", ["binding_opinion"], kind="labour_office")
    issued = await referrals.client.post("/api/partners/up-lipovec/tokens", headers=ADMIN)
    assert issued.status_code == 201, issued.text
    body = issued.json()
    issued_for = datetime.now(UTC) + timedelta(days=90)  # KMB_API_TOKEN_DAYS' default
    assert abs(datetime.fromisoformat(body["expires_at"]) - issued_for) < timedelta(minutes=5)
    token = {"Authorization": f"Bearer {body['token']}"}

    async with httpx.AsyncClient(base_url=intake.url, headers=ADMIN) as at_intake:
        listed = (await at_intake.get("/api/tokens")).json()
        assert [(t["id"], t["organisation"], t["roles"]) for t in listed] == [
            (body["id"], "up-lipovec", ["partner"])
        ]
        app = referrals.client._transport.app  # type: ignore[attr-defined]
        app.state.session_checker = IntakeSessionChecker(intake.url, ttl_s=0.0)  # ask every time
        assert (await referrals.client.get("/api/partner/up-lipovec/inbox", headers=token)).status_code == 200
        assert (await at_intake.delete(f"/api/tokens/{body['id']}")).status_code in (200, 204)
    refused = await referrals.client.get("/api/partner/up-lipovec/inbox", headers=token)
    assert refused.status_code == 401, refused.text


async def test_no_token_for_a_deactivated_partner_nor_without_intake(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("up-lipovec", ["binding_opinion"], kind="labour_office")
    off = await referrals.client.patch("/api/partners/up-lipovec", json={"active": False}, headers=ADMIN)
    assert off.status_code == 200
    refused = await referrals.client.post("/api/partners/up-lipovec/tokens", headers=ADMIN)
    assert refused.status_code == 409 and refused.json()["detail"]["code"] == "partner_inactive"
    await referrals.client.patch("/api/partners/up-lipovec", json={"active": True}, headers=ADMIN)
    deps = referrals.client._transport.app.state.referrals  # type: ignore[attr-defined]
    deps.intake.base_url = "http://127.0.0.1:9"  # nothing listens there
    down = await referrals.client.post("/api/partners/up-lipovec/tokens", headers=ADMIN)
    assert down.status_code == 503 and down.json()["detail"]["code"] == "intake_unavailable"
    assert down.json()["detail"]["message_cs"] and down.json()["detail"]["message_en"]
