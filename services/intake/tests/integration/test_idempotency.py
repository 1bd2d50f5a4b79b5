"""A client that got no answer may send the same request again (issue 16): with the same
``Idempotency-Key`` intake answers as the first time and opens no second case, records no second
contact, publishes nothing twice. On SQLite and PostgreSQL, the events read back from the real broker."""

from __future__ import annotations

from uuid import uuid4

import pytest

from .support import WORKER, Intake, case_body, contact_body, worker

pytestmark = pytest.mark.kafka


async def test_a_case_sent_twice_with_one_key_is_opened_once(intake: Intake) -> None:
    key = {"Idempotency-Key": str(uuid4())}
    first = await intake.client.post("/api/cases", json=case_body(), headers={**WORKER, **key})
    again = await intake.client.post("/api/cases", json=case_body(), headers={**WORKER, **key})
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json() and again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert await intake.count("intake_case") == 1
    # the same body without a key is a new request: a second case (nothing guesses it was a retry)
    other = await intake.client.post("/api/cases", json=case_body(), headers=WORKER)
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    events = await intake.events(expect=2)
    assert sorted(e.type for e in events) == ["kmb.intake.case_opened.v1"] * 2
    assert await intake.outbox_count() == 2


async def test_the_same_key_for_another_body_is_refused_and_keys_are_each_callers_own(intake: Intake) -> None:
    key = {"Idempotency-Key": "retry-1"}
    first = await intake.client.post("/api/cases", json=case_body(), headers={**WORKER, **key})
    assert first.status_code == 201
    changed = case_body(costs={"rent": 9999})
    reused = await intake.client.post("/api/cases", json=changed, headers={**WORKER, **key})
    assert reused.status_code == 422
    [problem] = reused.json()["detail"]
    assert (problem["field"], problem["code"]) == ("Idempotency-Key", "idempotency_key_reused")
    assert problem["message_cs"] and problem["message_en"]
    # another worker's "retry-1" is not this worker's: a case of its own
    theirs = await intake.client.post("/api/cases", json=case_body(), headers={**worker("worker-8"), **key})
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
    assert await intake.count("intake_case") == 2
    # a key of more than 200 characters or with spaces is refused before anything happens
    for bad in ("x" * 201, "has space"):
        refused = await intake.client.post(
            "/api/cases", json=case_body(), headers={**WORKER, "Idempotency-Key": bad}
        )
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "Idempotency-Key"
    assert await intake.count("intake_case") == 2


async def test_a_refused_request_keeps_no_key_and_a_contact_is_recorded_once(intake: Intake) -> None:
    key = {"Idempotency-Key": str(uuid4())}
    bad = case_body(members=[])
    assert (await intake.client.post("/api/cases", json=bad, headers={**WORKER, **key})).status_code == 422
    # a refused request leaves no key behind (it was rolled back with the rest): the corrected request,
    # sent with the same key, is a first request
    fixed = await intake.client.post("/api/cases", json=case_body(), headers={**WORKER, **key})
    assert fixed.status_code == 201, fixed.text

    contact_key = {"Idempotency-Key": str(uuid4())}
    body = contact_body()
    one = await intake.client.post("/api/contacts", json=body, headers={**WORKER, **contact_key})
    two = await intake.client.post("/api/contacts", json=body, headers={**WORKER, **contact_key})
    assert (one.status_code, two.status_code) == (201, 201) and one.json() == two.json()
    assert await intake.count("intake_contact") == 1
