"""Closing, reopening and changing the household of a case; versions keep concurrent changes apart."""

from __future__ import annotations

import asyncio

import pytest

from .support import TODAY, WORKER, Intake, case_body, member, unknown_id, worker

pytestmark = pytest.mark.kafka

OTHER_WORKER = worker("worker-9")


async def test_closing_publishes_case_closed_and_closing_again_is_a_conflict(intake: Intake) -> None:
    case = await intake.open_case()
    url = f"/api/cases/{case['id']}/close"

    closed = await intake.client.post(url, json={"reason": "housed_adequately"}, headers=OTHER_WORKER)
    again = await intake.client.post(url, json={"reason": "moved_away"}, headers=WORKER)

    assert closed.status_code == 200
    assert closed.json() == {"id": case["id"], "number": case["number"], "status": "closed", "version": 2}
    assert again.status_code == 409
    assert again.json()["detail"] == {
        "code": "case_already_closed",
        "message_cs": "Případ je již uzavřen.",
        "message_en": "The case is already closed.",
    }
    events = await intake.events(expect=3, timeout_s=3.0)
    assert [e.type for e in events] == ["kmb.intake.case_opened.v1", "kmb.intake.case_closed.v1"]
    payload = events[1].payload
    assert (payload["case_id"], payload["case_number"], payload["reason"]) == (
        case["id"],
        case["number"],
        "housed_adequately",
    )
    assert payload["actor"] == {"user_id": "worker-9", "organisation": "kmb-praha7"}
    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    assert (detail["status"], detail["close_reason"], detail["closed_on"]) == (
        "closed",
        "housed_adequately",
        TODAY.isoformat(),
    )
    assert detail["updated_by"] == "worker-9"


async def test_reopening_a_closed_case_publishes_case_reopened(intake: Intake) -> None:
    case = await intake.open_case()
    close = {"reason": "other", "note": "Klientka se odstěhovala k sestře."}
    await intake.client.post(f"/api/cases/{case['id']}/close", json=close, headers=WORKER)

    reopened = await intake.client.post(f"/api/cases/{case['id']}/reopen", headers=WORKER)

    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["version"]) == ("open", 3)
    events = await intake.events(expect=3)
    assert events[2].type == "kmb.intake.case_reopened.v1"
    assert (events[2].payload["case_id"], events[2].payload["case_number"]) == (case["id"], case["number"])
    assert events[2].payload["actor"]["user_id"] == "worker-7"
    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    assert (detail["close_reason"], detail["closed_on"], detail["reopen_count"]) == (None, None, 1)
    history = [(h["version"], h["kind"], h["note"]) for h in detail["history"]]
    assert history == [
        (1, "opened", None),
        (2, "closed", "Klientka se odstěhovala k sestře."),
        (3, "reopened", None),
    ]


async def test_reopening_an_open_case_is_a_conflict(intake: Intake) -> None:
    case = await intake.open_case()

    response = await intake.client.post(f"/api/cases/{case['id']}/reopen", headers=WORKER)

    assert response.status_code == 409
    assert response.json()["detail"]["code"] == "case_already_open"
    assert await intake.outbox_count() == 1  # only CaseOpened


async def test_a_household_change_replaces_the_household_and_publishes_the_new_snapshot(
    intake: Intake,
) -> None:
    case = await intake.open_case()
    changed = case_body(
        members=[
            member(incomes=[{"source": "employment", "amount_monthly": "21000"}]),
            member(
                first_name="Tomáš", last_name="Hronek", date_of_birth="1983-07-01", relationship="partner"
            ),
        ],
        address={"orp_code": "1000", "district": "Praha 8"},
        costs={"rent": "9000"},
        note="Přistěhoval se partner.",
    )

    response = await intake.client.put(f"/api/cases/{case['id']}/household", json=changed, headers=WORKER)

    assert response.status_code == 200
    assert response.json()["version"] == 2
    events = await intake.events(expect=2)
    assert events[1].type == "kmb.intake.household_changed.v1"
    household = events[1].payload["household"]
    assert [m["relationship"] for m in household["members"]] == ["applicant", "partner"]
    assert (household["district"], household["income_monthly"], household["rent_monthly"]) == (
        "Praha 8",
        21000,
        9000,
    )
    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    assert detail["district"] == "Praha 8"
    assert detail["household"]["members"][1]["first_name"] == "Tomáš"
    assert "note" not in detail["household"]
    assert detail["history"][1]["note"] == "Přistěhoval se partner."
    # the search index follows the change
    found = (await intake.client.get("/api/cases", params={"name": "tomas"})).json()
    assert [c["id"] for c in found] == [case["id"]]
    assert (await intake.client.get("/api/cases", params={"district": "Praha 7"})).json() == []


async def test_the_household_of_a_closed_case_cannot_be_changed(intake: Intake) -> None:
    case = await intake.open_case()
    await intake.client.post(f"/api/cases/{case['id']}/close", json={"reason": "moved_away"})

    response = await intake.client.put(f"/api/cases/{case['id']}/household", json=case_body(), headers=WORKER)

    assert response.status_code == 409
    assert response.json()["detail"]["code"] == "case_already_closed"


async def test_a_change_based_on_an_old_version_is_refused(intake: Intake) -> None:
    case = await intake.open_case()
    first = await intake.client.put(
        f"/api/cases/{case['id']}/household", json=case_body(), headers={**WORKER, "If-Match": '"1"'}
    )

    stale = await intake.client.put(
        f"/api/cases/{case['id']}/household", json=case_body(), headers={**OTHER_WORKER, "If-Match": '"1"'}
    )

    assert first.status_code == 200
    assert first.headers["etag"] == '"2"'
    assert stale.status_code == 409
    assert stale.json()["detail"]["code"] == "case_changed_meanwhile"
    assert stale.json()["detail"]["message_cs"]
    assert (await intake.client.get(f"/api/cases/{case['id']}")).json()["version"] == 2


async def test_a_malformed_if_match_is_refused(intake: Intake) -> None:
    case = await intake.open_case()

    response = await intake.client.post(
        f"/api/cases/{case['id']}/reopen", headers={**WORKER, "If-Match": "yesterday"}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "if-match"


async def test_of_two_concurrent_changes_one_wins_and_the_other_is_told(intake: Intake) -> None:
    case = await intake.open_case()
    url = f"/api/cases/{case['id']}/close"

    responses = await asyncio.gather(
        *(intake.client.post(url, json={"reason": "moved_away"}, headers=WORKER) for _ in range(5))
    )

    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409, 409]
    assert {r.json()["detail"]["code"] for r in responses if r.status_code == 409} <= {
        "case_already_closed",
        "case_changed_meanwhile",
    }
    events = await intake.events(expect=3, timeout_s=3.0)
    assert [e.type for e in events] == ["kmb.intake.case_opened.v1", "kmb.intake.case_closed.v1"]


@pytest.mark.parametrize("action", ["close", "reopen", "household"])
async def test_changing_an_unknown_case_is_not_found(intake: Intake, action: str) -> None:
    url = f"/api/cases/{unknown_id()}"
    if action == "household":
        response = await intake.client.put(f"{url}/household", json=case_body(), headers=WORKER)
    else:
        response = await intake.client.post(f"{url}/{action}", json={"reason": "moved_away"}, headers=WORKER)

    assert response.status_code == 404
