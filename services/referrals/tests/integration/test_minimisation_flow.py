"""A partner topic never carries personal data, not even with consent or a legal basis (issue 14): the
message says what happened and where its details are; a partner the consent names (or a legal basis
allows) fetches them over the partner API, from the real intake at that moment, which logs the view
under the partner's user and organisation. Another partner, or one without a basis, gets none."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from kmb_shared.auth import Role
from kmb_testkit.intake_bodies import case_body, member

from .conftest import ServiceFactory
from .pages_support import browser
from .support import AUDITOR, WORKER, Referrals, StubIntake, free_port, partner_user

pytestmark = pytest.mark.kafka

# Values no id, pseudonym, date or label in a message can contain by chance.
FIRST, LAST = "Zbyňka", "Qwertyová"
PHONE, PHONE_STORED = "+420 731 908 246", "+420731908246"
EMAIL = "zbynka.qwertyova@posta-test.cz"
STREET = "Xyzova 771"
BORN = "1979-11-23"
NOTE = "Volat Zbyňce po 15. hodině."
BASIS = "§ 18 zákona č. 175/2025 Sb."


async def open_real_case(intake: StubIntake, consent: list[str]) -> dict[str, Any]:
    """A case opened in the real intake (behind the stub) by the tests' worker, with the test values."""
    body = case_body(
        legal_basis=None,
        consent={
            "purpose": "Předání",
            "given_on": "2026-01-05",
            "worker_id": "worker-7",
            "partners": consent,
        },
        members=[member(first_name=FIRST, last_name=LAST, date_of_birth=BORN)],
        phone=PHONE,
        email=EMAIL,
        address={
            "street": STREET,
            "municipality": "Lipovec",
            "orp_code": "1000",
            "district": "Lipovec-sever",
        },
    )
    async with httpx.AsyncClient(base_url=intake.url) as client:
        response = await client.post("/api/cases", json=body, headers=WORKER)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def partner_views(intake: StubIntake, case_id: str) -> set[tuple[str, str]]:
    """(user, organisation) of the partners' fetches in intake's view log, as the case's auditor reads it."""
    async with httpx.AsyncClient(base_url=intake.url) as client:
        response = await client.get("/api/audit/views", params={"case_id": case_id}, headers=AUDITOR)
    assert response.status_code == 200, response.text
    return {(v["user_id"], v["organisation"]) for v in response.json() if v["kind"] == "partner"}


async def consented_flat_application(
    referrals: Referrals, intake: StubIntake
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The housing department's referral (with the worker's note) of a real case that consents to it."""
    await referrals.partner("bytovy-odbor", ["municipal_flat_application"], kind="housing_department")
    case = await open_real_case(intake, consent=["bytovy-odbor"])
    await referrals.open_case(UUID(case["id"]), consent=["bytovy-odbor"])
    made = await referrals.referral(UUID(case["id"]), "bytovy-odbor", "municipal_flat_application", note=NOTE)
    return case, made


def personal_values(number: str) -> list[bytes]:
    return [
        FIRST.encode(),
        LAST.encode(),
        b"Qwerty",
        PHONE.encode(),
        PHONE_STORED.encode(),
        b"731908246",
        EMAIL.encode(),
        b"qwertyova",
        STREET.encode(),
        BORN.encode(),
        NOTE.encode(),
        number.encode(),
    ]


async def test_even_with_consent_the_message_has_no_personal_data_and_the_partner_fetches_it(
    referrals: Referrals, intake: StubIntake
) -> None:
    case, made = await consented_flat_application(referrals, intake)
    case_id = UUID(case["id"])

    [record] = await referrals.partner_messages("bytovy-odbor", expect=1)
    assert record.type == "kmb.partner.referral.v3"
    for value in [*personal_values(case["number"]), str(case_id).encode()]:
        assert value not in record.raw and value not in (record.key or b""), value
    assert record.data["identified"] is True and record.data["legal_basis"] == "consent"
    assert record.data["details"] == f"/api/partner/bytovy-odbor/referrals/{made['id']}"
    assert made["identified"] is True
    assert intake.requests == [], "nothing is fetched when the referral is made"

    details = await referrals.get(record.data["details"], as_=partner_user("bytovy-odbor"))

    assert details["identified"] is True and details["disclosure_basis"] == "consent"
    # the municipal flat application needs the address and the birth date too
    assert details["client"] == {
        "full_name": f"{FIRST} {LAST}",
        "phone": PHONE_STORED,
        "email": EMAIL,
        "address": f"{STREET}, Lipovec, Lipovec-sever",
        "birth_date": BORN,
    }
    assert details["case_number"] == case["number"] and details["note"] == NOTE
    assert await partner_views(intake, case["id"]) == {("bytovy-odbor-user-1", "bytovy-odbor")}


async def test_another_partner_and_a_partner_without_consent_get_no_details(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("bytovy-odbor", ["municipal_flat_application"], kind="housing_department")
    await referrals.partner("ngo-domov", ["housing_assistance"])
    case = await open_real_case(intake, consent=["bytovy-odbor"])
    case_id = UUID(case["id"])
    await referrals.open_case(case_id, consent=["bytovy-odbor"])
    consented = await referrals.referral(case_id, "bytovy-odbor", "municipal_flat_application", note=NOTE)
    other = await referrals.referral(case_id, "ngo-domov", "housing_assistance", note=NOTE)
    domov = partner_user("ngo-domov")

    on_their_path = await referrals.client.get(
        f"/api/partner/bytovy-odbor/referrals/{consented['id']}", headers=domov
    )
    on_own_path = await referrals.client.get(
        f"/api/partner/ngo-domov/referrals/{consented['id']}", headers=domov
    )
    own = await referrals.client.get(f"/api/partner/ngo-domov/referrals/{other['id']}", headers=domov)

    assert (on_their_path.status_code, on_own_path.status_code) == (403, 404)
    assert own.status_code == 200, own.text
    assert own.json()["identified"] is False
    assert (own.json()["client"], own.json()["case_number"], own.json()["note"]) == (None, None, None)
    for response in (on_their_path, on_own_path, own):
        assert not any(value.decode() in response.text for value in personal_values(case["number"]))
    [message] = await referrals.partner_messages("ngo-domov", expect=1)
    assert message.data["identified"] is False
    assert await partner_views(intake, case["id"]) == set()
    # Nor may the partner ask intake itself: the consent does not name it.
    async with httpx.AsyncClient(base_url=intake.url) as client:
        direct = await client.get(f"/api/cases/{case['id']}/for-partner", headers=domov)
    assert direct.status_code == 403


async def test_a_legal_basis_on_the_referral_lets_the_partner_fetch_the_details(
    referrals: Referrals, intake: StubIntake
) -> None:
    """Intake does not hold the referral's legal basis: referrals vouches for it with a signed grant. The
    basis in words and the worker's contact are not on the partner's topic (v3), only in the details."""
    await referrals.partner("up-lipovec", ["binding_opinion"], kind="labour_office")
    case = await open_real_case(intake, consent=[])
    case_id = UUID(case["id"])
    await referrals.open_case(case_id)
    worker = {"name": "Mgr. Ludmila Zxcvbová", "phone": "+420 733 111 222", "email": "zxcvbova@kmb.example"}
    made = await referrals.referral(
        case_id, "up-lipovec", "binding_opinion", legal_basis=BASIS, worker=worker
    )
    [record] = await referrals.partner_messages("up-lipovec", expect=1)
    # the basis in words is not on the log (free text), only that the partner may identify
    assert record.data["identified"] is True and record.data["legal_basis"] is None
    for value in (BASIS, *worker.values(), "Zxcvb", "733111222"):
        assert value.encode() not in record.raw, value
    assert not any(value in record.raw for value in personal_values(case["number"]))

    details = await referrals.get(
        f"/api/partner/up-lipovec/referrals/{made['id']}", as_=partner_user("up-lipovec")
    )

    assert details["disclosure_basis"] == BASIS
    assert details["worker"] == {"organisation": "kmb-lipovec", **worker}
    assert details["client"]["full_name"] == f"{FIRST} {LAST}"
    assert details["client"]["birth_date"] == BORN, "the labour office needs the birth date"
    assert await partner_views(intake, case["id"]) == {("up-lipovec-user-1", "up-lipovec")}
    # the inbox page shows the worker to reach the household through, and the basis with the details
    clerk = browser(referrals, Role.PARTNER, organisation="up-lipovec", user="clerk-4")
    listed, shown = await clerk.get("/partner/inbox"), await clerk.get(f"/partner/inbox?details={made['id']}")
    assert all(value in listed.text for value in worker.values()) and BASIS not in listed.text
    assert BASIS in shown.text
    async with httpx.AsyncClient(base_url=intake.url) as client:  # without referrals' grant: refused
        direct = await client.get(f"/api/cases/{case['id']}/for-partner", headers=partner_user("up-lipovec"))
    assert direct.status_code == 403


async def test_without_consent_the_message_is_pseudonymous_and_intake_is_not_asked(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["housing_assistance"])
    case_id = uuid4()
    await referrals.open_case(case_id, consent=["socialni-odbor"])  # consent names another partner
    made = await referrals.referral(case_id, "ngo-domov", "housing_assistance", note=NOTE)

    [record] = await referrals.partner_messages("ngo-domov", expect=1)
    assert record.data["identified"] is False and record.data["legal_basis"] is None
    assert {"client", "case_number", "note", "worker"}.isdisjoint(record.data), "earlier versions' fields"
    assert record.data["case_reference"].startswith("P-")
    assert NOTE.encode() not in record.raw and str(case_id).encode() not in record.raw
    details = await referrals.get(record.data["details"], as_=partner_user("ngo-domov"))
    assert details["identified"] is False and details["client"] is None and details["note"] is None
    assert details["worker"]["organisation"] == "kmb-lipovec", "the worker to reach the household through"
    assert intake.requests == []
    assert made["identified"] is False and made["disclosure_note"] is None
    # The household summary still helps the partner prepare: 2 members, 1 of them a child (6-14).
    assert (record.data["household"]["household_size"], record.data["household"]["children"]) == (2, 1)


async def test_when_intake_is_unreachable_the_referral_is_made_and_the_details_answer_503(
    service_factory: ServiceFactory,
) -> None:
    nobody_listens = f"http://127.0.0.1:{free_port()}"
    async with service_factory(intake_url=nobody_listens, intake_timeout_s=1.0) as referrals:
        await referrals.partner("ngo-domov", ["housing_assistance"])
        case_id = uuid4()
        await referrals.open_case(case_id, consent=["ngo-domov"])
        response = await referrals.refer(case_id, "ngo-domov", "housing_assistance")
        assert response.status_code == 201, response.text
        assert response.json()["identified"] is True
        [record] = await referrals.partner_messages("ngo-domov", expect=1)
        details = await referrals.client.get(record.data["details"], headers=partner_user("ngo-domov"))
        assert details.status_code == 503
        assert details.json()["detail"]["code"] == "intake_unavailable"


async def test_the_inbox_page_shows_the_details_only_when_asked_and_intake_logs_it(
    referrals: Referrals, intake: StubIntake
) -> None:
    case, made = await consented_flat_application(referrals, intake)
    clerk = browser(referrals, Role.PARTNER, organisation="bytovy-odbor", user="clerk-3")

    listed = await clerk.get("/partner/inbox")

    assert listed.status_code == 200, listed.text
    assert f"/partner/inbox?details={made['id']}" in listed.text
    assert LAST not in listed.text and NOTE not in listed.text
    assert await partner_views(intake, case["id"]) == set(), "listing the inbox fetches nothing"

    shown = await clerk.get(f"/partner/inbox?details={made['id']}")

    assert shown.status_code == 200, shown.text
    for value in (f"{FIRST} {LAST}", PHONE_STORED, EMAIL, STREET, "23. 11. 1979", case["number"], NOTE):
        assert value in shown.text, value
    assert await partner_views(intake, case["id"]) == {("clerk-3", "bytovy-odbor")}


async def test_a_step_note_is_not_on_the_topic_and_the_consented_partner_reads_it_in_the_details(
    referrals: Referrals, intake: StubIntake
) -> None:
    """Status updates (kmb.partner.referral_status.v2) say only that a step has a note (issue 14)."""
    case, made = await consented_flat_application(referrals, intake)
    partner = partner_user("bytovy-odbor")
    path = f"/api/partner/bytovy-odbor/referrals/{made['id']}"
    accept_note = "Paní Qwertyová přijde osobně."
    outcome_note = "Byt přidělen Zbyňce Qwertyové, Xyzova 771."
    response = await referrals.client.post(f"{path}/accept", headers=partner)
    assert response.status_code == 200, response.text
    response = await referrals.client.post(
        f"{path}/complete", json={"outcome": "other", "note": outcome_note}, headers=partner
    )
    assert response.status_code == 200, response.text

    _, accepted, completed = await referrals.partner_messages("bytovy-odbor", expect=3)
    assert (accepted.type, completed.type) == ("kmb.partner.referral_status.v2",) * 2
    for record in (accepted, completed):
        assert "note" not in record.data
        for value in [*personal_values(case["number"]), outcome_note.encode(), accept_note.encode()]:
            assert value not in record.raw, value
    assert (accepted.data["has_note"], completed.data["has_note"]) == (False, True)
    assert completed.data["details"] == path

    details = await referrals.get(path, as_=partner)
    assert details["outcome_note"] == outcome_note and details["note"] == NOTE
    assert (details["decline_note"], details["cancel_note"]) == (None, None)


async def test_without_consent_a_step_note_is_in_no_answer(referrals: Referrals, intake: StubIntake) -> None:
    await referrals.partner("ngo-domov", ["housing_assistance"])
    case_id = uuid4()
    await referrals.open_case(case_id)
    made = await referrals.referral(case_id, "ngo-domov", "housing_assistance")
    decline = {"reason": "other", "note": NOTE}
    response = await referrals.step(made["id"], "decline", decline)
    assert response.status_code == 200, response.text

    _, declined = await referrals.partner_messages("ngo-domov", expect=2)
    assert declined.data["has_note"] is True and NOTE.encode() not in declined.raw
    details = await referrals.get(declined.data["details"], as_=partner_user("ngo-domov"))
    assert details["identified"] is False and details["decline_note"] is None
    assert intake.requests == []
