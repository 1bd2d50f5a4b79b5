"""Figures over HTTP from events consumed on the real broker (the hand-counted history of the unit tests)."""

from __future__ import annotations

import pytest

from .support import ANALYST, AUDITOR, Stats, send_history_out_of_order

pytestmark = pytest.mark.kafka

#: events per type in the history: 22 intake, 16 assessment, 9 catalogue, 17 referrals (R2's acceptance
#: included) = 64 distinct events; the three duplicate deliveries (k2, C's closure, R3 made) add none
EVENTS_BY_TYPE = {
    "kmb.assessment.need_assessed.v1": 10,  # A, B×2, C, D×2, E, F, G, H
    "kmb.assessment.registered_in_need.v1": 4,  # A, B, C, E
    "kmb.assessment.registration_expired.v1": 2,  # C, A
    "kmb.catalogue.capacity_changed.v1": 3,  # S1 02-03, S2 03-03, S1 04-10
    "kmb.catalogue.solution_published.v1": 4,  # S1–S4
    "kmb.catalogue.solution_withdrawn.v1": 1,  # S3
    "kmb.catalogue.solutions_suggested.v1": 1,  # for E
    "kmb.intake.case_closed.v1": 3,  # D, C, F
    "kmb.intake.case_opened.v1": 8,  # A–H
    "kmb.intake.case_reopened.v1": 1,  # D
    "kmb.intake.contact_recorded.v1": 10,  # k0–k9
    "kmb.referrals.referral_accepted.v1": 5,  # R7, R1, R5, R4 and R2 (the partner's)
    "kmb.referrals.referral_completed.v1": 2,  # R1, R5
    "kmb.referrals.referral_declined.v1": 2,  # R3, R6
    "kmb.referrals.referral_made.v1": 7,  # R1–R7
    "kmb.referrals.referral_overdue.v1": 1,  # R4
}

#: the first quarter of 2026, worked out by hand in tests/unit/test_projection.py
Q1_SUMMARY = {
    "contacts": 8,  # k1..k8
    "cases_opened": 5,  # C, D, E, F, H
    "cases_closed": 3,  # D, C, F
    "cases_reopened": 1,  # D
    "housed_adequately": 2,  # C, F
    "cases_open": 5,  # A, B, D, E, H
    "households_in_need": 4,  # A, B, D, E
    "people_in_need": 9,  # 1 + 4 + 2 + 2
    "children_in_need": 2,  # B's
    "register_active": 2,  # B, E
    "referrals_made": 6,  # R1..R6
    "referrals_accepted": 4,  # R1, R2, R5, R4
    "median_referral_response_days": 2.5,  # 1.0, 1.0, 2.5, 3.0, 19.0
    "median_days_to_adequate_housing": 40.5,  # (49 + 32) / 2
    "capacity_total": 24,  # S1 20 + S2 4
}


async def test_each_event_is_stored_once_whatever_the_order_and_duplicates(stats: Stats) -> None:
    await send_history_out_of_order(stats)
    assert await stats.stored() == 64
    figures = await stats.get("/api/stats/summary")
    assert figures["events_by_type"] == EVENTS_BY_TYPE
    assert figures["events"] == 64
    # all time: every case opened once (A–H), every contact (k0–k9), every referral made (R1–R7)
    assert (figures["cases_opened"], figures["contacts"], figures["referrals_made"]) == (8, 10, 7)


async def test_summary_breakdown_and_series_match_the_hand_counts(stats: Stats) -> None:
    await send_history_out_of_order(stats)
    q1 = {"from": "2026-01-01", "to": "2026-03-31"}
    summary = await stats.get("/api/stats/summary", as_of="2026-03-31", **{"from": "2026-01-01"})
    assert {key: summary[key] for key in Q1_SUMMARY} == Q1_SUMMARY
    # events dated in Q1: 64 minus 2025's (A opened, assessed, registered; B opened, 2 assessments,
    # registered; k0; S1 published; R7 made and accepted = 11) minus April's (G opened, k9, G assessed,
    # S1 capacity 04-10, R6 declined = 5) = 48
    assert summary["events"] == 48

    channels = await stats.get("/api/stats/breakdown/contact_channel", **q1)
    assert channels["counts"] == {"email": 1, "field": 1, "in_person": 3, "phone": 3}
    people = await stats.get("/api/stats/breakdown/district", measure="people", **q1)
    assert people["counts"] == {"Praha 10": 2, "Praha 7": 7}  # D 2; A 1 + B 4 + E 2
    accepted = await stats.get("/api/stats/breakdown/partner", measure="accepted", **q1)
    assert accepted["counts"] == {"ngo-a": 1, "obec-byty": 1, "up-praha": 2}
    closures = await stats.get("/api/stats/breakdown/close_reason", district="Praha 10", **q1)
    assert closures["counts"] == {"housed_adequately": 2, "lost_contact": 1}

    series = await stats.get("/api/stats/series/contacts", interval="month", **q1)
    # January k1 k2 k3, February k4 k5, March k6 k7 k8
    assert series["points"] == [
        {"period": "2026-01", "value": 3},
        {"period": "2026-02", "value": 2},
        {"period": "2026-03", "value": 3},
    ]

    # the live projection (up to today) sees April too: k1..k9 and cases C D E F H G since New Year
    live = await stats.get("/api/stats/summary", **{"from": "2026-01-01"})
    assert (live["contacts"], live["cases_opened"]) == (9, 6)


async def test_live_digest_equals_a_fresh_rebuild_and_a_cut_digest_differs(stats: Stats) -> None:
    await send_history_out_of_order(stats)
    live = await stats.get("/api/stats/digest")
    rebuilt = await stats.get("/api/stats/digest", until="2100-01-01T00:00:00Z")
    assert live["events"] == rebuilt["events"] == 64
    assert live["digest"] == rebuilt["digest"]
    assert len(live["digest"]) == 64
    # up to the end of March (Prague): 64 - 5 April events = 59
    end_of_march = await stats.get("/api/stats/digest", until="2026-03-31T21:59:59Z")
    assert end_of_march["events"] == 59
    assert end_of_march["digest"] != live["digest"]


BAD_REQUESTS = [
    ("/api/stats/breakdown/shoe_size", {}, "dimension"),
    ("/api/stats/breakdown/partner", {"measure": "households"}, "measure"),
    ("/api/stats/series/contacts", {"interval": "day"}, "interval"),
    ("/api/stats/series/happiness", {}, "metric"),
    ("/api/stats/summary", {"as_of": "2026-13-01"}, "as_of"),
    ("/api/stats/breakdown/partner", {"from": "2026-03-01", "to": "2026-02-01"}, "from"),
    ("/api/audit/cases/12345", {}, "case"),
]


async def test_bad_parameters_are_refused_with_reasons_in_czech_and_english(stats: Stats) -> None:
    for url, params, field in BAD_REQUESTS:
        headers = AUDITOR if url.startswith("/api/audit") else ANALYST
        response = await stats.client.get(url, params=params, headers=headers)
        assert response.status_code == 422, (url, response.text)
        items = {item["field"]: item for item in response.json()["detail"]}
        assert field in items, (url, items)
        assert items[field]["message_cs"] and items[field]["message_en"], url
        assert items[field]["message_cs"] != items[field]["message_en"], url
