"""Erasure and retention in intake (issue 14) on the real broker, on SQLite and PostgreSQL: an
administrator erases a closed case with a recorded reason, its personal data leave every intake table,
PersonalDataErased goes out without them and the case page says when and why; an open case, open
referrals and referrals not answering are refused; the retention job (the service's clock moved by the
test) erases a case closed longer ago than the period and not a newer one, and reports what it did."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from kmb_intake.entrypoints.deps import DEPS_STATE
from kmb_shared.auth import Role
from kmb_shared.clock import FixedClock
from kmb_testkit.fixtures import bearer
from kmb_testkit.intake_bodies import case_body, earning_applicant, member

from .casework_support import small_pdf
from .support import ADMIN, WORKER, Intake, csrf_of, signed_in

pytestmark = pytest.mark.kafka

FIRST, LAST, BIRTH_NO, PHONE = "Bohumila", "Xaverová", "7759291243", "+420 777 123 456"
NOTE = "Paní Xaverová volala z nemocnice"
REASON = {"reason": "data_subject_request", "note": "Žádost ze dne 1. 12. 2026, č. j. 42/2026"}


def _body() -> dict[str, Any]:
    applicant = earning_applicant(FIRST, LAST, "1977-09-29", 15000) | {"birth_number": BIRTH_NO}
    return case_body(members=[applicant], phone=PHONE)


def referrals_answer(intake: Intake, open_count: int | None) -> list[httpx.Request]:
    """Referrals answers the count of open referrals with ``open_count`` (None: it does not answer)."""
    asked: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        if open_count is None:
            return httpx.Response(503)
        return httpx.Response(200, json={"case_id": request.url.path.split("/")[3], "open": open_count})

    intake.transport.app.state.peer_transport = httpx.MockTransport(answer)  # type: ignore[attr-defined]
    return asked


def move_clock(intake: Intake, day: date) -> None:
    app = intake.transport.app  # type: ignore[attr-defined]
    deps = getattr(app.state, DEPS_STATE)
    setattr(app.state, DEPS_STATE, dataclasses.replace(deps, clock=FixedClock.on(day)))


async def closed_case(intake: Intake) -> dict[str, Any]:
    case = await intake.open_case(_body())
    await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": NOTE}, headers=WORKER)
    upload = {"file": (f"smlouva-{LAST}.pdf", small_pdf(), "application/pdf")}
    attached = await intake.client.post(f"/api/cases/{case['id']}/documents", files=upload, headers=WORKER)
    assert attached.status_code == 201, attached.text
    closed = await intake.client.post(
        f"/api/cases/{case['id']}/close", json={"reason": "other", "note": NOTE}, headers=WORKER
    )
    assert closed.status_code == 200, closed.text
    return case


async def database_text(intake: Intake) -> str:
    """Every text value of every intake table, for searching the personal data entered."""
    out = []
    async with intake.runtime.db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
        for table in tables:
            rows = (await conn.execute(sa.text(f'SELECT * FROM "{table}"'))).all()
            out += [str(value) for row in rows for value in row]
    return "\n".join(out)


async def test_an_administrator_erases_a_closed_case_and_every_intake_table_forgets_it(
    intake: Intake,
) -> None:
    case = await closed_case(intake)
    assert LAST in await database_text(intake)
    asked = referrals_answer(intake, 0)

    erased = await intake.client.post(f"/api/cases/{case['id']}/erasure", json=REASON, headers=ADMIN)

    assert erased.status_code == 201, erased.text
    assert erased.json()["reason_label"] == "žádost subjektu údajů o výmaz (čl. 17 GDPR)"
    assert [r.url.path for r in asked] == [f"/api/cases/{case['id']}/open-referrals"]
    text = await database_text(intake)
    entered = [
        form for v in (FIRST, LAST, BIRTH_NO, PHONE, "777 123 456", NOTE) for form in (v, json.dumps(v)[1:-1])
    ]
    assert [value for value in entered if value in text] == []  # also as JSON's ASCII escapes
    assert case["number"] in text  # the skeleton stays: number, dates, codes
    assert (await intake.count("intake_document"), await intake.count("intake_document_content")) == (0, 0)
    events = await intake.events(expect=3)
    assert [e.type for e in events][-1] == "kmb.intake.personal_data_erased.v1"
    assert "kmb.intake.personal_data_erased.v1" in (await intake.client.get("/asyncapi.json")).text
    last = events[-1]
    assert (last.payload["case_id"], last.payload["reason"]) == (case["id"], "data_subject_request")
    assert "Žádost" not in last.raw.decode() and LAST not in last.raw.decode()
    detail = (await intake.client.get(f"/api/cases/{case['id']}", headers=WORKER)).json()
    assert (detail["members"], detail["status"]) == ([], "closed")
    page = await intake.client.get(f"/cases/{case['id']}", headers=WORKER)
    assert "Údaje vymazány dne" in page.text and "(žádost subjektu údajů o výmaz (čl. 17 GDPR))" in page.text
    assert LAST not in page.text
    again = await intake.client.post(f"/api/cases/{case['id']}/erasure", json=REASON, headers=ADMIN)
    assert (again.status_code, again.json()["detail"]["code"]) == (409, "case_already_erased")
    reopened = await intake.client.post(f"/api/cases/{case['id']}/reopen", headers=WORKER)
    assert (reopened.status_code, reopened.json()["detail"]["code"]) == (409, "case_erased")
    assert "Znovu otevřít případ" not in page.text


async def test_what_may_not_be_erased_now_is_refused_and_nothing_changes(intake: Intake) -> None:
    open_case = await intake.open_case(_body())
    referrals_answer(intake, 2)
    refused_open = await intake.client.post(
        f"/api/cases/{open_case['id']}/erasure", json=REASON, headers=ADMIN
    )
    case = await closed_case(intake)
    with_referrals = await intake.client.post(f"/api/cases/{case['id']}/erasure", json=REASON, headers=ADMIN)
    referrals_answer(intake, None)
    unanswered = await intake.client.post(f"/api/cases/{case['id']}/erasure", json=REASON, headers=ADMIN)
    as_worker = await intake.client.post(f"/api/cases/{case['id']}/erasure", json=REASON, headers=WORKER)
    no_reason = await intake.client.post(f"/api/cases/{case['id']}/erasure", json={"reason": "retention",
                                         "note": ""}, headers=ADMIN)  # fmt: skip

    assert (refused_open.status_code, refused_open.json()["detail"]["code"]) == (409, "case_open")
    assert with_referrals.status_code == 409
    detail = with_referrals.json()["detail"]
    assert detail["code"] == "open_referrals" and "Nejprve je zrušte" in detail["message_cs"]
    assert "(2)" in detail["message_cs"] and "Cancel them first" in detail["message_en"]
    assert (unanswered.status_code, unanswered.json()["detail"]["code"]) == (503, "referrals_unavailable")
    assert as_worker.status_code == 403
    assert no_reason.status_code == 422
    assert sorted(e["field"] for e in no_reason.json()["detail"]) == ["note", "reason"]
    assert LAST in await database_text(intake)


async def test_the_erasure_page_asks_for_a_reason_and_a_confirmation(intake: Intake) -> None:
    case = await closed_case(intake)
    referrals_answer(intake, 1)
    async with signed_in(intake, "spravce-vymazu", "admin") as browser:
        form = await browser.get("/admin/erasure", params={"case": case["number"]})
        data = {"csrf_token": csrf_of(form.text, "/admin/erasure"), "case_id": case["number"], **REASON}
        unconfirmed = await browser.post("/admin/erasure", data=data)
        blocked = await browser.post("/admin/erasure", data=data | {"confirm": "1"})
        referrals_answer(intake, 0)
        done = await browser.post("/admin/erasure", data=data | {"confirm": "1"})
        after = await browser.get(done.headers["location"])

    assert form.status_code == 200 and "Vymazat osobní údaje" in form.text
    assert unconfirmed.status_code == 422 and "nevratně vymazány" in unconfirmed.text
    assert blocked.status_code == 409 and "Otevřít předání tohoto případu" in blocked.text
    assert done.status_code == 303
    assert f"Údaje případu {case['number']} byly vymazány." in after.text
    assert "Žádost ze dne 1. 12. 2026" in after.text  # the recorded reason, in the record of erasures


async def test_retention_erases_a_case_closed_longer_ago_than_the_period_and_not_a_newer_one(
    intake: Intake,
) -> None:
    move_clock(intake, date(2014, 6, 2))
    old = await closed_case(intake)
    move_clock(intake, date(2016, 3, 1))
    newer = await closed_case(intake)
    move_clock(intake, date(2026, 12, 4))  # 10 years (the default) after 2015, not after 2016
    referrals_answer(intake, 0)

    dry = await intake.client.post("/api/retention/runs", params={"dry_run": "true"}, headers=ADMIN)
    assert [(c["number"], c["outcome"]) for c in dry.json()["cases"]] == [(old["number"], "would_erase")]
    assert LAST in await database_text(intake)
    run = await intake.client.post("/api/retention/runs", headers=ADMIN)
    runs = await intake.client.get("/api/retention/runs", headers=ADMIN)

    report = run.json()
    assert (report["closed_before"], report["erased"], report["held"]) == ("2016-01-01", 1, 0)
    assert [(c["number"], c["closed_on"], c["outcome"]) for c in report["cases"]] == [
        (old["number"], "2014-06-02", "erased")
    ]
    assert [r["dry_run"] for r in runs.json()][:2] == [False, True]
    elsewhere = await intake.client.get(
        "/api/retention/runs", headers=bearer(Role.ADMIN, organisation="jinde")
    )
    assert [r["cases"] for r in elsewhere.json()][:2] == [[], []]  # each organisation sees its own cases
    old_detail = (await intake.client.get(f"/api/cases/{old['id']}", headers=WORKER)).json()
    newer_detail = (await intake.client.get(f"/api/cases/{newer['id']}", headers=WORKER)).json()
    assert old_detail["household"]["erased"]["reason"] == "retention"
    assert [m["last_name"] for m in newer_detail["members"]] == [LAST]
    async with signed_in(intake, "spravce-skartace", "admin") as browser:
        page = await browser.get("/admin/retention")
    assert page.status_code == 200 and old["number"] in page.text and "vymazán" in page.text
    assert json.dumps(report).count(newer["number"]) == 0


async def test_an_administrator_erases_one_member_and_the_rest_of_the_household_stays(intake: Intake) -> None:
    child = member(first_name="Vendelín", last_name="Xaver", date_of_birth="2015-02-03", relationship="child")
    case = await intake.open_case(_body() | {"members": [_body()["members"][0], child]})
    closed = await intake.client.post(
        f"/api/cases/{case['id']}/close", json={"reason": "moved_away"}, headers=WORKER
    )
    assert closed.status_code == 200, closed.text
    referrals_answer(intake, 0)

    erased = await intake.client.post(
        f"/api/cases/{case['id']}/members/1/erasure", json=REASON, headers=ADMIN
    )
    again = await intake.client.post(f"/api/cases/{case['id']}/members/1/erasure", json=REASON, headers=ADMIN)
    applicant = await intake.client.post(
        f"/api/cases/{case['id']}/members/0/erasure", json=REASON, headers=ADMIN
    )
    reopened = await intake.client.post(f"/api/cases/{case['id']}/reopen", headers=WORKER)

    assert (erased.status_code, erased.json()["member_position"]) == (201, 1), erased.text
    assert (again.status_code, again.json()["detail"]["code"]) == (409, "member_already_erased")
    assert applicant.status_code == 422  # position 0 is the applicant: erase the whole case instead
    assert (reopened.status_code, reopened.json()["detail"]["code"]) == (409, "case_erased")
    text = await database_text(intake)
    assert "Vendelín" not in text and "2015-02-03" not in text and LAST in text
    found = await intake.client.get("/api/cases", params={"name": "vendelin"}, headers=WORKER)
    assert found.json() == []
    events = await intake.events(expect=3)
    assert (events[-1].type, events[-1].payload["member_position"]) == (
        "kmb.intake.personal_data_erased.v1",
        1,
    )
    page = await intake.client.get(f"/cases/{case['id']}", headers=WORKER)
    assert "Údaje vymazány dne" in page.text and LAST in page.text and "Vendelín" not in page.text
