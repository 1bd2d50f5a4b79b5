"""The audit timeline of a case: every stored event about it, once, in the order it happened."""

from __future__ import annotations

import csv
import io

import pytest

from .support import CASE_AUDITOR as AUDITOR
from .support import CASE_WORKER as WORKER
from .support import HISTORY, Stats, send_history_out_of_order, traceparent_for

pytestmark = pytest.mark.kafka

#: case C (KMB-2026-00003), by event time in Prague (UTC+1 in winter)
C_TIMELINE = [
    ("2026-01-12T09:00:00+01:00", "kmb.intake.contact_recorded.v1"),  # k1, 08:00 UTC
    ("2026-01-12T10:00:00+01:00", "kmb.intake.case_opened.v1"),
    ("2026-01-14T11:00:00+01:00", "kmb.assessment.need_assessed.v1"),
    ("2026-01-15T10:00:00+01:00", "kmb.referrals.referral_made.v1"),  # R1
    ("2026-01-15T11:00:00+01:00", "kmb.referrals.referral_made.v1"),  # R2
    ("2026-01-16T10:00:00+01:00", "kmb.referrals.referral_accepted.v1"),  # R1
    ("2026-01-18T11:00:00+01:00", "kmb.referrals.referral_accepted.v1"),  # R2, by the partner
    ("2026-01-20T12:00:00+01:00", "kmb.assessment.registered_in_need.v1"),
    ("2026-02-20T10:00:00+01:00", "kmb.referrals.referral_completed.v1"),  # R1
    ("2026-03-02T10:00:00+01:00", "kmb.intake.case_closed.v1"),  # delivered twice, listed once
    ("2026-03-02T12:00:00+01:00", "kmb.assessment.registration_expired.v1"),
]


async def test_case_timeline_lists_every_event_once_in_order_with_actor_and_trace(stats: Stats) -> None:
    await send_history_out_of_order(stats)
    timeline = await stats.get("/api/audit/cases/KMB-2026-00003", headers=AUDITOR)
    case_id = str(HISTORY.CASES["C"])
    assert (timeline["case_id"], timeline["case_number"]) == (case_id, "KMB-2026-00003")
    events = timeline["events"]
    assert [(e["time"], e["event_type"]) for e in events] == C_TIMELINE
    assert len({e["event_id"] for e in events}) == len(C_TIMELINE)

    opened = events[1]
    assert opened["event"] == "Případ otevřen"
    assert opened["summary"] == "Číslo KMB-2026-00003; domácnost 3 os., Praha 10"
    assert opened["trace_id"] == traceparent_for(opened["event_id"]).split("-")[1]
    assert (opened["actor"], opened["organisation"]) == ("system", "kmb")
    assert (events[6]["actor"], events[6]["organisation"]) == ("partner-17", "ngo-a")
    assert events[9]["summary"] == "Důvod: zajištěno vyhovující bydlení"

    # the worker handling a case reads the same timeline (intake's case page shows it)
    by_id = await stats.get(f"/api/audit/cases/{case_id}", headers=WORKER)
    assert by_id == timeline


async def test_case_timeline_as_csv_has_one_line_per_event(stats: Stats) -> None:
    await send_history_out_of_order(stats)
    response = await stats.client.get(
        "/api/audit/cases/KMB-2026-00003", params={"format": "csv"}, headers=AUDITOR
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Auditní stopa případu", "KMB-2026-00003"]
    assert rows[1][:3] == ["Čas", "Událost", "Typ události"]
    assert [(row[0], row[2]) for row in rows[2:]] == C_TIMELINE


async def test_unknown_case_is_not_found(stats: Stats) -> None:
    response = await stats.client.get("/api/audit/cases/KMB-2026-99999", headers=AUDITOR)
    assert response.status_code == 404
    assert response.json()["detail"]["message_cs"]


async def test_the_contact_at_which_a_case_was_opened_is_the_first_line_of_its_timeline(stats: Stats) -> None:
    """The first contact is recorded before the case exists (no case id); CaseOpened names it. The
    timeline shows it as ``kmb audit case`` does (issue 16), and no other contact without a case."""
    from datetime import UTC, date, datetime
    from uuid import UUID

    from kmb_shared.contracts import CaseOpened, ContactRecorded
    from kmb_stats.domain import EventMeta

    case, contact, stranger = UUID(int=0xF1F0001), UUID(int=0xF1F0002), UUID(int=0xF1F0003)
    first = datetime(2026, 4, 7, 8, 0, tzinfo=UTC)
    events = [
        ContactRecorded(contact_id=contact, channel="in_person", contact_date=date(2026, 4, 7), topics=("eviction",),
                        duration_minutes=30, occurred_at=first),
        ContactRecorded(contact_id=stranger, channel="phone", contact_date=date(2026, 4, 7), topics=("debt",),
                        duration_minutes=5, anonymous=True, occurred_at=first.replace(minute=10)),
        CaseOpened(case_id=case, case_number="KMB-2026-00901", household=HISTORY.household("Praha 10", 2),
                   contact_id=contact, occurred_at=first.replace(hour=9)),
    ]  # fmt: skip
    await stats.publish(
        [
            (e, EventMeta(f"first-contact-{i}", e.event_type, e.occurred_at, HISTORY.INTAKE))
            for i, e in enumerate(events)
        ]
    )
    await stats.wait_stored(3)
    timeline = await stats.get("/api/audit/cases/KMB-2026-00901", headers=AUDITOR)
    assert [(e["event_id"], e["event_type"]) for e in timeline["events"]] == [
        ("first-contact-0", "kmb.intake.contact_recorded.v1"),
        ("first-contact-2", "kmb.intake.case_opened.v1"),
    ]
