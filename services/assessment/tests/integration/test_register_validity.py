"""The register's validity job on the real broker: an entry becomes due for reassessment, then expires,
and RegistrationExpired leaves exactly once, however often and by however many runs it is checked."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from assessment_support import (
    AssessmentService,
    case_opened,
    of_type,
    read_events,
    running,
    settings,
    wait_until,
)

from kmb_assessment.application.jobs import CheckResult, check_register
from kmb_shared.contracts import HouseholdChanged
from kmb_shared.messaging import Topics

pytestmark = pytest.mark.kafka

REGISTERED_ON = date(2026, 9, 30)
# Valid 12 months (rule set 2026.2, §23 reading): through 2027-09-30, expired from 2027-10-01.
VALID_UNTIL = date(2027, 9, 30)
EXPIRED_ON = date(2027, 10, 1)
# Due for reassessment 60 days before the last day: 2027-09-30 - 60 days = 2027-08-01.
REASSESS_FROM = date(2027, 8, 1)


async def _register_with(service: AssessmentService, status: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []

    async def listed() -> bool:
        nonlocal entries
        entries = (await service.client.get("/api/register", params={"status": status})).json()
        return bool(entries)

    await wait_until(listed)
    return entries


async def test_an_entry_becomes_due_then_expires_and_registration_expired_is_emitted_once(
    kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    def on(today: date) -> Any:
        return settings(
            kafka_bootstrap, topic_prefix, database_url, today_override=today, register_check_interval_s=0.2
        )

    async with running(on(REGISTERED_ON)) as service:
        # A rough sleeper without income qualifies for the register.
        submitted = await service.assess(case_opened(), {"dwelling_kind": "street", "legal_title": "none"})
    entry = submitted["registration"]
    assert (entry["registered_on"], entry["valid_until"], entry["reassess_from"], entry["status"]) == (
        REGISTERED_ON.isoformat(),
        VALID_UNTIL.isoformat(),
        REASSESS_FROM.isoformat(),
        "active",
    )

    async with running(on(REASSESS_FROM)) as service:
        [due] = await _register_with(service, "due")
        assert due["id"] == entry["id"] and due["expired_on"] is None
        assert (await service.client.get("/api/register", params={"status": "active"})).json() == []

    # Two copies of the service check the register at once, every 0.2 s, for a while.
    async with running(on(EXPIRED_ON)) as service, running(on(EXPIRED_ON)) as other:
        [expired] = await _register_with(service, "expired")
        assert (expired["id"], expired["expired_on"]) == (entry["id"], EXPIRED_ON.isoformat())
        shown = (await other.client.get(f"/api/assessments/{submitted['id']}")).json()
        assert shown["registration"]["status"] == "expired"
        await asyncio.sleep(1.0)
        assert await check_register(other.deps.uow, other.deps.clock, date(2027, 10, 2)) == CheckResult(0, 0)

    records = await read_events(
        kafka_bootstrap, Topics(topic_prefix).context("assessment"), expect=3, settle_s=1.5
    )
    # The outbox delivers at least once (a relay stopped between the broker's ack and marking the row
    # sent publishes it again, with the same id, for the consumers' inboxes to drop); what must be
    # unique is the event itself.
    unique = {r.headers["ce_id"]: r for r in records}
    expired_events = of_type(list(unique.values()), "registration_expired")
    assert len(expired_events) == 1
    assert (expired_events[0]["assessment_id"], expired_events[0]["expired_on"]) == (
        submitted["id"],
        EXPIRED_ON.isoformat(),
    )
    assert expired_events[0]["case_id"] == submitted["case_id"]
    [registered_id] = [i for i, r in unique.items() if r.type == "kmb.assessment.registered_in_need.v1"]
    # The expiry names the registration it ends as its cause.
    assert expired_events[0]["caused_by"] == registered_id


async def test_a_new_qualifying_assessment_supersedes_the_entry_still_in_force(
    kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    async with running(settings(kafka_bootstrap, topic_prefix, database_url)) as service:
        opened = case_opened()
        first = await service.assess(opened, {"dwelling_kind": "street"})
        await service.publish(
            HouseholdChanged(
                case_id=opened.case_id, case_number=opened.case_number, household=opened.household
            )
        )
        second = (await service.assessments(opened.case_id, count=2))[1]
        assert (await service.put_survey(second["id"], {"dwelling_kind": "night_shelter"})).status_code == 200
        assert (await service.submit(second["id"])).status_code == 200

        superseded = (await service.client.get("/api/register", params={"status": "superseded"})).json()
        active = (await service.client.get("/api/register", params={"status": "active"})).json()
    assert [e["assessment_id"] for e in superseded] == [first["id"]]
    assert [e["assessment_id"] for e in active] == [second["id"]]
