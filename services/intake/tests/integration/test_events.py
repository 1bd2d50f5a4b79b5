"""What leaves intake: sequential case numbers under load, no direct identifiers, documented events."""

from __future__ import annotations

import asyncio
import json

import pytest

from .support import TODAY, WORKER, Intake, case_body, contact_body, member

pytestmark = pytest.mark.kafka


async def test_twenty_concurrent_openings_get_twenty_sequential_unique_numbers(intake: Intake) -> None:
    bodies = [case_body(members=[member(last_name=f"Klientka {i}")]) for i in range(20)]

    responses = await asyncio.gather(
        *(intake.client.post("/api/cases", json=body, headers=WORKER) for body in bodies)
    )

    assert [r.status_code for r in responses] == [201] * 20
    numbers = sorted(r.json()["number"] for r in responses)
    assert numbers == [f"KMB-{TODAY.year}-{seq:05d}" for seq in range(1, 21)]
    assert len({r.json()["id"] for r in responses}) == 20
    events = await intake.events(expect=20)
    assert sorted(e.payload["case_number"] for e in events) == numbers


IDENTIFIERS = (
    "Květoslava",
    "Hronková",
    "kvetoslava",  # the search keys must not leak either
    "hronkova",
    "Zbyněk",
    "Zbynek",
    "8553151233",
    "855315/1233",
    "777123456",
    "777 123 456",
    "kveta.hronkova@example.cz",
    "Dělnická",
    "Delnicka",
    "170 00",
)


async def test_events_carry_no_name_birth_number_phone_email_or_street(intake: Intake) -> None:
    household = case_body(
        members=[
            member(birth_number="855315/1233", incomes=[{"source": "employment", "amount_monthly": "18000"}]),
            member(first_name="Zbyněk", date_of_birth="2012-09-09", relationship="child"),
        ],
        phone="777 123 456",
        email="kveta.hronkova@example.cz",
        address={"street": "Dělnická 12", "postal_code": "170 00", "district": "Praha 7", "orp_code": "1000"},
        consent={"purpose": "Řešení bytové situace", "given_on": TODAY.isoformat(), "worker_id": "worker-7"},
    )
    case = await intake.open_case(household)
    changed = {**household, "note": "Nový telefon 777 123 456 paní Hronkové"}
    assert (
        await intake.client.put(f"/api/cases/{case['id']}/household", json=changed, headers=WORKER)
    ).status_code == 200
    contact = contact_body(case_id=case["id"], note="Květoslava Hronková, Dělnická 12")
    assert (await intake.client.post("/api/contacts", json=contact, headers=WORKER)).status_code == 201
    close = {"reason": "other", "note": "Hronková odešla k Zbyňkovi"}
    assert (await intake.client.post(f"/api/cases/{case['id']}/close", json=close)).status_code == 200

    events = await intake.events(expect=4)

    assert sorted(e.type for e in events) == [
        "kmb.intake.case_closed.v1",
        "kmb.intake.case_opened.v1",
        "kmb.intake.contact_recorded.v1",
        "kmb.intake.household_changed.v1",
    ]
    for event in events:
        # the payload as characters (JSON may escape them) and every header
        text = json.dumps(event.payload, ensure_ascii=False) + event.raw.decode() + json.dumps(event.headers)
        leaked = [identifier for identifier in IDENTIFIERS if identifier.lower() in text.lower()]
        assert leaked == [], event.type


async def test_the_asyncapi_document_lists_every_intake_event(intake: Intake) -> None:
    document = (await intake.client.get("/asyncapi.json")).json()

    text = json.dumps(document)
    for event_type in (
        "kmb.intake.case_opened.v1",
        "kmb.intake.household_changed.v1",
        "kmb.intake.case_closed.v1",
        "kmb.intake.case_reopened.v1",
        "kmb.intake.contact_recorded.v1",
    ):
        assert event_type in text
