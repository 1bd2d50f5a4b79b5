"""A referral only for a case that exists and is open (issue 11), over the API and the pages: an unknown
case is 404 ``case_not_found``, a closed one 409 ``case_closed``, in Czech and English, nothing made.

Referrals knows cases from intake's events (CaseOpened, CaseClosed, CaseReopened). A case they have not
told of yet (opened a moment ago) is asked of intake with the worker's own sign-in: open is referred,
unknown refused, intake not answering 503 (neither refused nor made). No broker: the app on SQLite, its
events applied by the application's handlers as the consumer would; intake is the test's stub."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from kmb_shared.contracts import Actor, CaseClosed, CaseReopened

from .pages_support import h1, worker
from .support import ADMIN, LIPOVEC, WORKER, Referrals, StubIntake


@pytest.fixture
def referrals(offline_referrals: Referrals) -> Referrals:
    return offline_referrals


ACTOR = Actor(user_id="worker-7", organisation=LIPOVEC)


async def _close(referrals: Referrals, case_id: UUID) -> None:
    await referrals.apply_intake(
        CaseClosed(case_id=case_id, case_number="KMB-2026-00001", reason="moved_away", actor=ACTOR)
    )


async def _nothing_made(referrals: Referrals, case_id: UUID) -> None:
    assert await referrals.get("/api/referrals", case_id=str(case_id)) == []
    assert await referrals.read(referrals.topics.context("referrals"), expect=0) == []


async def test_an_unknown_case_is_not_found_and_nothing_is_made(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["social_work", "case_conference"])
    await referrals.partner("socialni-odbor", ["case_conference"], kind="social_department")
    case_id = uuid4()
    intake.unknown.add(str(case_id))

    single = await referrals.refer(case_id, "ngo-domov", "social_work")
    conference = await referrals.client.post(
        "/api/case-conferences",
        json={"case_id": str(case_id), "partners": ["ngo-domov", "socialni-odbor"]},
        headers=WORKER,
    )

    for response in (single, conference):
        assert response.status_code == 404, response.text
        detail = response.json()["detail"]
        assert detail["code"] == "case_not_found"
        assert detail["message_cs"].startswith("Případ nenalezen: vaše organizace takový případ nevede.")
        assert detail["message_en"].startswith("Case not found")
    # intake was asked with the worker's own sign-in (the case was not known here yet)
    assert intake.requests == [str(case_id), str(case_id)]
    assert intake.authorizations == [WORKER["Authorization"]] * 2
    await _nothing_made(referrals, case_id)


async def test_a_case_of_another_organisation_is_not_found_without_asking_intake(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case_id = uuid4()
    await referrals.open_case(case_id, organisation="jine-mesto")

    response = await referrals.refer(case_id, "ngo-domov", "social_work")

    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "case_not_found"
    assert intake.requests == []


async def test_a_closed_case_takes_no_referral_until_it_is_reopened(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case_id = uuid4()
    await referrals.open_case(case_id)
    await _close(referrals, case_id)

    closed = await referrals.refer(case_id, "ngo-domov", "social_work")

    assert closed.status_code == 409, closed.text
    detail = closed.json()["detail"]
    assert detail["code"] == "case_closed"
    assert detail["message_cs"] == (
        "Případ KMB-2026-00001 je uzavřený, nové předání k němu nelze vytvořit. Pokud je třeba v něm "
        "pokračovat, nejprve ho znovu otevřete."
    )
    assert detail["message_en"].startswith("Case KMB-2026-00001 is closed")
    await _nothing_made(referrals, case_id)

    await referrals.apply_intake(CaseReopened(case_id=case_id, case_number="KMB-2026-00001", actor=ACTOR))
    reopened = await referrals.refer(case_id, "ngo-domov", "social_work")
    assert reopened.status_code == 201, reopened.text
    assert intake.requests == [], "the events told it all: intake was not asked"


async def test_a_case_opened_a_moment_ago_is_asked_of_intake_and_referred(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    fresh, closed_meanwhile = uuid4(), uuid4()
    intake.statuses[str(closed_meanwhile)] = "closed"

    made = await referrals.refer(fresh, "ngo-domov", "social_work")
    refused = await referrals.refer(closed_meanwhile, "ngo-domov", "social_work")

    assert made.status_code == 201, made.text
    assert made.json()["case_id"] == str(fresh)
    assert refused.status_code == 409 and refused.json()["detail"]["code"] == "case_closed"
    assert intake.requests == [str(fresh), str(closed_meanwhile)]


async def test_when_intake_cannot_say_the_referral_is_neither_refused_nor_made(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case_id = uuid4()
    intake.unavailable.add(str(case_id))

    response = await referrals.refer(case_id, "ngo-domov", "social_work")

    assert response.status_code == 503, response.text
    detail = response.json()["detail"]
    assert detail["code"] == "intake_unavailable"
    assert "zkuste to prosím za chvíli znovu" in detail["message_cs"]
    await _nothing_made(referrals, case_id)


async def test_only_an_active_partner_that_takes_the_kind_gets_a_referral_of_an_open_case(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case_id = uuid4()
    await referrals.open_case(case_id)

    wrong_kind = await referrals.refer(case_id, "ngo-domov", "legal_aid")
    await referrals.client.patch("/api/partners/ngo-domov", json={"active": False}, headers=ADMIN)
    inactive = await referrals.refer(case_id, "ngo-domov", "social_work")

    assert (wrong_kind.status_code, wrong_kind.json()["detail"]["code"]) == (409, "partner_does_not_accept")
    assert "nepřijímá předání typu" in wrong_kind.json()["detail"]["message_cs"]
    assert (inactive.status_code, inactive.json()["detail"]["code"]) == (409, "partner_does_not_accept")
    assert "není aktivní" in inactive.json()["detail"]["message_cs"]
    await _nothing_made(referrals, case_id)


async def test_the_refer_page_says_a_case_is_closed_or_unknown(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    closed, unknown = uuid4(), uuid4()
    await referrals.open_case(closed)
    await _close(referrals, closed)
    intake.unknown.add(str(unknown))
    as_worker = worker(referrals)
    form = {"kind": "social_work", "partner": "ngo-domov"}

    shown = await as_worker.get(f"/cases/{closed}/refer?kind=social_work")
    refused = await as_worker.post(f"/cases/{closed}/refer", form)
    not_found = await as_worker.post(f"/cases/{unknown}/refer", form)

    sentence = "Případ KMB-2026-00001 je uzavřený, nové předání k němu nelze vytvořit."
    assert shown.status_code == 200 and sentence in shown.text
    assert refused.status_code == 409 and sentence in refused.text
    assert refused.headers["content-type"].startswith("text/html")
    assert not_found.status_code == 404 and h1(not_found.text) == "Případ nenalezen"
    for case_id in (closed, unknown):
        await _nothing_made(referrals, case_id)
