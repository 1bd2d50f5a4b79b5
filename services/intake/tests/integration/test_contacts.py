"""Contacts (§12 housing advice): anonymous or linked to an existing case; listed by day, worker, case."""

from __future__ import annotations

import pytest

from .support import WORKER, Intake, contact_body, days_from_today, unknown_id

pytestmark = pytest.mark.kafka


async def test_an_anonymous_contact_is_recorded_and_published_without_its_note(intake: Intake) -> None:
    body = contact_body(
        channel="phone",
        topics=["debts", "benefits"],
        duration_minutes=15,
        anonymous=True,
        note="Volala paní z Dělnické ulice.",
    )

    response = await intake.client.post("/api/contacts", json=body, headers=WORKER)

    assert response.status_code == 201
    contact = response.json()
    assert (contact["anonymous"], contact["case_id"], contact["note"]) == (
        True,
        None,
        "Volala paní z Dělnické ulice.",
    )
    assert (contact["recorded_by"], contact["organisation"]) == ("worker-7", "kmb-praha7")
    (event,) = await intake.events(expect=1)
    assert event.type == "kmb.intake.contact_recorded.v1"
    assert event.key == contact["id"]
    payload = event.payload
    assert (payload["contact_id"], payload["case_id"], payload["anonymous"]) == (contact["id"], None, True)
    assert (payload["channel"], payload["topics"], payload["duration_minutes"]) == (
        "phone",
        ["debts", "benefits"],
        15,
    )
    assert payload["contact_date"] == body["contact_date"]
    assert payload["actor"] == {"user_id": "worker-7", "organisation": "kmb-praha7"}
    assert "note" not in payload


async def test_a_contact_linked_to_a_case_names_the_case(intake: Intake) -> None:
    case = await intake.open_case()

    response = await intake.client.post(
        "/api/contacts", json=contact_body(case_id=case["id"]), headers=WORKER
    )

    assert response.status_code == 201
    events = await intake.events(expect=2)
    recorded = next(e for e in events if e.type == "kmb.intake.contact_recorded.v1")
    assert recorded.payload["case_id"] == case["id"]


async def test_a_contact_linked_to_an_unknown_case_is_not_found_and_not_stored(intake: Intake) -> None:
    response = await intake.client.post(
        "/api/contacts", json=contact_body(case_id=unknown_id()), headers=WORKER
    )

    assert response.status_code == 404
    assert await intake.count("intake_contact") == 0
    assert await intake.outbox_count() == 0


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"case_id": "not-a-uuid"}, ("case_id", "invalid_uuid")),
        ({"channel": "pigeon"}, ("channel", "unknown_code")),
        ({"topics": []}, ("topics", "no_topics")),
        ({"topics": ["weather"]}, ("topics.0", "unknown_code")),
        ({"contact_date": days_from_today(1)}, ("contact_date", "date_in_future")),
        ({"duration_minutes": -1}, ("duration_minutes", "too_small")),
        ({"anonymous": True, "case_id": unknown_id()}, ("case_id", "anonymous_contact_with_case")),
    ],
    ids=["bad case id", "unknown channel", "no topics", "unknown topic", "future date", "negative", "anon"],
)
async def test_bad_contact_input_is_refused_and_nothing_stored(
    intake: Intake, overrides: dict[str, object], expected: tuple[str, str]
) -> None:
    response = await intake.client.post("/api/contacts", json=contact_body(**overrides), headers=WORKER)

    assert response.status_code == 422
    items = response.json()["detail"]
    assert expected in {(item["field"], item["code"]) for item in items}
    assert all(item["message_cs"] and item["message_en"] for item in items)
    assert await intake.count("intake_contact") == 0
    assert await intake.outbox_count() == 0


async def test_contacts_are_listed_by_day_worker_and_case(intake: Intake) -> None:
    case = await intake.open_case()
    yesterday, today = days_from_today(-1), days_from_today(0)
    bodies = [
        contact_body(contact_date=yesterday, worker_id="worker-7"),
        contact_body(contact_date=today, worker_id="worker-7", case_id=case["id"]),
        contact_body(contact_date=today, worker_id="worker-8", anonymous=True),
    ]
    ids = []
    for body in bodies:
        ids.append((await intake.client.post("/api/contacts", json=body, headers=WORKER)).json()["id"])

    async def listed(**params: str) -> set[str]:
        response = await intake.client.get("/api/contacts", params=params)
        assert response.status_code == 200
        return {c["id"] for c in response.json()}

    assert await listed(date=today) == {ids[1], ids[2]}
    assert await listed(worker="worker-7") == {ids[0], ids[1]}
    assert await listed(case_id=case["id"]) == {ids[1]}
    assert await listed(date=today, worker="worker-8") == {ids[2]}
    assert await listed(date=days_from_today(-2)) == set()
    assert await listed() == set(ids)
