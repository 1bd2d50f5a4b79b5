"""A partner never receives the case id, so partners cannot link a household between them: every answer a
partner gets (its inbox, the accept / decline / complete / binding-opinion routes on the worker's paths
and on its own, its pages) and every message on its topic names the case only by the partner's own
pseudonym, which differs between partners. A deactivated partner's users and API tokens act no more.

The case id is looked for in every form it could be written in: with hyphens, as 32 hex digits, in
upper case."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from kmb_shared.auth import Role

from .pages_support import browser
from .support import ADMIN, Record, Referrals, StubIntake, partner_user

DOMOV, AZYL, UP = "ngo-domov", "ngo-azyl", "up-lipovec"


def forms_of(case: UUID) -> list[str]:
    return [str(case), case.hex, str(case).upper(), case.hex.upper()]


def assert_no_case_id(case: UUID, text: str, where: str) -> None:
    for form in forms_of(case):
        assert form not in text, f"{where} carries the case id ({form})"


def assert_record_has_no_case_id(case: UUID, record: Record) -> None:
    parts = [record.raw.decode(), (record.key or b"").decode(), *record.headers.values()]
    for part in parts:
        assert_no_case_id(case, part, f"the partner message {record.type}")


async def _setup(referrals: Referrals, intake: StubIntake) -> tuple[UUID, dict[str, str]]:
    """One household referred to three partners; ngo-domov has the household's consent (identified)."""
    await referrals.partner(DOMOV, ["social_work", "debt_advice", "housing_assistance"])
    await referrals.partner(AZYL, ["social_work", "debt_advice"])
    await referrals.partner(UP, ["binding_opinion"], kind="labour_office")
    case = uuid4()
    intake.add(case, "Marie", "Nováková", "+420 777 123 456", "Lipová 12")
    await referrals.open_case(case, consent=[DOMOV], number=3)
    ids = {
        "domov_accept": (await referrals.referral(case, DOMOV, "social_work", note="Volat po 15."))["id"],
        "domov_decline": (await referrals.referral(case, DOMOV, "debt_advice"))["id"],
        "domov_side": (await referrals.referral(case, DOMOV, "housing_assistance"))["id"],
        "azyl_accept": (await referrals.referral(case, AZYL, "social_work"))["id"],
        "azyl_side": (await referrals.referral(case, AZYL, "debt_advice"))["id"],
        "up_general": (await referrals.referral(case, UP, "binding_opinion"))["id"],
        "up_side": (await referrals.referral(case, UP, "binding_opinion"))["id"],
    }
    return case, ids


async def _answer_as_partners(referrals: Referrals, ids: dict[str, str]) -> list[httpx.Response]:
    """Every answer route, as the partners themselves; the responses they got."""
    client = referrals.client
    domov, azyl, up = partner_user(DOMOV), partner_user(AZYL), partner_user(UP)
    calls: list[tuple[str, dict[str, Any] | None, dict[str, str]]] = [
        (f"/api/referrals/{ids['domov_accept']}/accept", None, domov),
        (f"/api/referrals/{ids['domov_accept']}/complete", {"outcome": "service_provided"}, domov),
        (f"/api/referrals/{ids['domov_decline']}/decline", {"reason": "no_capacity"}, domov),
        (f"/api/partner/{DOMOV}/referrals/{ids['domov_side']}/accept", None, domov),
        (f"/api/partner/{DOMOV}/referrals/{ids['domov_side']}/complete", {"outcome": "housed"}, domov),
        (f"/api/referrals/{ids['azyl_accept']}/accept", None, azyl),
        (f"/api/partner/{AZYL}/referrals/{ids['azyl_side']}/decline", {"reason": "no_capacity"}, azyl),
        (f"/api/referrals/{ids['up_general']}/binding-opinion", {"positive": True}, up),
        (f"/api/partner/{UP}/referrals/{ids['up_side']}/binding-opinion", {"positive": False}, up),
    ]
    answers = []
    for path, body, who in calls:
        response = await client.post(path, json=body, headers=who)
        assert response.status_code == 200, (path, response.text)
        answers.append(response)
    for slug in (DOMOV, AZYL, UP):
        inbox = await client.get(f"/api/partner/{slug}/inbox", headers=partner_user(slug))
        assert inbox.status_code == 200 and len(inbox.json()) >= 2
        answers.append(inbox)
    return answers


async def test_a_partner_gets_no_case_id_from_any_answer_or_page_and_its_own_pseudonym(
    offline_referrals: Referrals, intake: StubIntake
) -> None:
    referrals = offline_referrals
    case, ids = await _setup(referrals, intake)
    answers = await _answer_as_partners(referrals, ids)
    for response in answers:
        assert_no_case_id(case, response.text, f"the answer to {response.request.url.path}")
        assert "case_id" not in response.text

    # Its pages too: the inbox and the answer through a form (then the inbox again).
    page = browser(referrals, Role.PARTNER, organisation=AZYL, user="azyl-eva")
    answered = await page.post(
        f"/partner/inbox/{ids['azyl_accept']}/complete", {"outcome": "service_provided"}
    )
    assert answered.status_code == 303, answered.text
    for path in ("/partner/inbox", "/partner/inbox?status=completed", "/api/partners/ngo-azyl"):
        shown = await page.get(path)
        assert shown.status_code == 200, path
        assert_no_case_id(case, shown.text, path)

    # Each partner knows the household by a pseudonym of its own, the same on all its referrals.
    references: dict[str, set[str]] = {}
    for slug in (DOMOV, AZYL, UP):
        inbox = await referrals.get(f"/api/partner/{slug}/inbox", as_=partner_user(slug))
        references[slug] = {item["case_reference"] for item in inbox}
    assert all(len(refs) == 1 for refs in references.values()), references
    assert len(set.union(*references.values())) == 3, "three partners, three different pseudonyms"

    # What its topic carries (staged in the outbox here; the broker test reads it from Kafka).
    for slug in (DOMOV, AZYL, UP):
        records = await referrals.read(referrals.topics.partner(slug), 0)
        assert len(records) >= 4, slug  # made ×2 (at least) and the steps
        for record in records:
            assert_record_has_no_case_id(case, record)
            assert record.data["case_reference"] in references[slug]


async def test_the_worker_still_gets_the_case_id(offline_referrals: Referrals, intake: StubIntake) -> None:
    """The worker's answer on the same routes is the worker's view (the case id, the note)."""
    case, ids = await _setup(offline_referrals, intake)
    accepted = await offline_referrals.step(ids["azyl_accept"], "accept")
    assert accepted.status_code == 200
    assert (accepted.json()["case_id"], accepted.json()["partner"]) == (str(case), AZYL)


async def test_a_deactivated_partners_token_and_users_are_refused(offline_referrals: Referrals) -> None:
    referrals = offline_referrals
    await referrals.partner(UP, ["binding_opinion"], kind="labour_office")
    made = await referrals.referral(uuid4(), UP, "binding_opinion")
    issued = await referrals.client.post(f"/api/partners/{UP}/tokens", headers=ADMIN)
    assert issued.status_code == 201, issued.text
    token = {"Authorization": f"Bearer {issued.json()['token']}"}
    user = browser(referrals, Role.PARTNER, organisation=UP, user="up-petr")
    assert len(await referrals.get(f"/api/partner/{UP}/inbox", as_=token)) == 1
    assert (await user.get("/partner/inbox")).status_code == 200

    off = await referrals.client.patch(f"/api/partners/{UP}", json={"active": False}, headers=ADMIN)
    assert off.status_code == 200 and off.json()["active"] is False

    refused = [
        ("GET", f"/api/partner/{UP}/inbox", None),
        ("POST", f"/api/partner/{UP}/referrals/{made['id']}/accept", None),
        ("POST", f"/api/partner/{UP}/referrals/{made['id']}/binding-opinion", {"positive": True}),
        ("POST", f"/api/referrals/{made['id']}/accept", None),
        ("POST", f"/api/referrals/{made['id']}/binding-opinion", {"positive": True}),
        ("GET", "/api/partners", None),
        ("GET", f"/api/partners/{UP}", None),
    ]
    for who in (token, partner_user(UP)):
        for method, path, body in refused:
            response = await referrals.client.request(method, path, json=body, headers=who)
            assert response.status_code == 403, (method, path, response.text)
            detail = response.json()["detail"]
            assert detail["code"] == "partner_inactive" and detail["message_cs"] and detail["message_en"]
    page = await user.get("/partner/inbox")
    assert page.status_code == 403 and "Přístup odepřen" in page.text
    answer = await user.post(f"/partner/inbox/{made['id']}/accept")
    assert answer.status_code == 403
    assert (await referrals.get(f"/api/referrals/{made['id']}"))["status"] == "made", "nothing changed"

    on = await referrals.client.patch(f"/api/partners/{UP}", json={"active": True}, headers=ADMIN)
    assert on.status_code == 200
    assert len(await referrals.get(f"/api/partner/{UP}/inbox", as_=token)) == 1, "active again: it reads"


@pytest.mark.kafka
async def test_the_partner_topics_on_the_broker_carry_no_case_id(
    referrals: Referrals, intake: StubIntake
) -> None:
    """Key, headers (ce_subject) and payload of every message on the partners' topics, as Kafka has them."""
    case, ids = await _setup(referrals, intake)
    await _answer_as_partners(referrals, ids)
    # domov: 3 made, accepted + completed, declined, accepted + completed; azyl: 2 made, accepted, declined;
    # the labour office: 2 made, and for each binding opinion the acceptance and the opinion
    expected = {DOMOV: 8, AZYL: 4, UP: 6}
    references = {}
    for slug, count in expected.items():
        records = await referrals.partner_messages(slug, expect=count)
        assert len(records) == count, slug
        for record in records:
            assert_record_has_no_case_id(case, record)
            assert (
                record.headers["ce_subject"] == record.data["case_reference"] == (record.key or b"").decode()
            )
        references[slug] = {record.data["case_reference"] for record in records}
        assert len(references[slug]) == 1, slug
    assert len(set.union(*references.values())) == 3
