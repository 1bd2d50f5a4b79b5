"""The projection against hand-computed figures of the scripted history (see conftest.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from uuid import UUID

from kmb_shared.contracts import (
    CaseOpened,
    ContactRecorded,
    HouseholdChanged,
    HouseholdSnapshot,
    MemberSnapshot,
    NeedAssessed,
    ReferralAccepted,
    ReferralMade,
)
from kmb_stats.application.projection import Projection
from kmb_stats.domain import EventMeta, Filters, breakdown, summary

from .conftest import OUT_OF_ORDER, History

Q1 = Filters(date(2026, 1, 1), date(2026, 3, 31))


def replay(deliveries: list[tuple[object, EventMeta]]) -> Projection:
    projection = Projection()
    for event, meta in deliveries:
        projection.apply(event, meta)  # type: ignore[arg-type]
    return projection


def test_duplicate_event_id_is_reported_and_changes_nothing(history: History) -> None:
    projection = replay(history.topic_by_topic(OUT_OF_ORDER))
    before = projection.digest()
    event, meta = history.duplicates[0]
    assert projection.apply(event, meta) is False
    assert projection.digest() == before


def test_every_delivery_of_the_history_applies_once_and_duplicates_are_refused(history: History) -> None:
    projection = Projection()
    results = [projection.apply(e, m) for e, m in history.topic_by_topic(OUT_OF_ORDER)]
    # 22 intake + 16 assessment + 9 catalogue + 16 referrals + 1 partner = 64 first deliveries, then 3 duplicates
    assert results.count(True) == 64
    assert results[-3:] == [False, False, False]


def test_summary_of_the_first_quarter_matches_the_hand_count(history: History) -> None:
    state = replay(history.topic_by_topic(OUT_OF_ORDER)).state
    figures = summary(state, date(2026, 3, 31), date_from=date(2026, 1, 1))
    expected = {
        "contacts": 8,  # k1..k8 (k0 is 2025, k9 is April; k2 delivered twice counts once)
        "cases_opened": 5,  # C, D, E, F, H
        "cases_closed": 3,  # D 02-10, C 03-02, F 03-20 (C's duplicate closure ignored)
        "cases_reopened": 1,  # D 03-05
        "housed_adequately": 2,  # C, F
        "cases_open": 5,  # A, B, D (reopened), E, H
        "households_in_need": 4,  # A roofless, B insecure, D inadequate, E at_risk; H is not_in_need
        "people_in_need": 9,  # 1 + 4 + 2 + 2
        "children_in_need": 2,  # B's two children
        "register_entered": 2,  # C 01-20, E 02-10
        "register_expired": 2,  # C 03-02, A 03-20
        "register_active": 2,  # B (to 2026-09-30), E (to 2027-02-09)
        "referrals_made": 6,  # R1..R6
        "referrals_accepted": 4,  # R1 01-16, R2 01-18, R5 02-19, R4 02-23
        "referrals_declined": 1,  # R3 (R6 declined in April)
        "referrals_completed": 2,  # R1, R5
        "referrals_overdue": 1,  # R4
        # A since 2025-03-10: 365 days to 2026-03-10 + 21 = 386; B since 2025-09-15: 181 days to 03-15 + 16 = 197;
        # D since its reopening 2026-03-05: 26; E since 2026-02-03: 56
        "in_need_180_plus": 2,
        "in_need_270_plus": 1,
        "in_need_365_plus": 1,
        # responses in days: R1 1.0, R2 3.0, R3 2.5 (09:00 -> +2 d 12 h), R4 19.0, R5 1.0 -> sorted middle 2.5
        "median_referral_response_days": 2.5,
        # C: 2026-01-12 -> 03-02 = 19 + 28 + 2 = 49 days; F: 02-16 -> 03-20 = 12 + 20 = 32; median (49 + 32) / 2
        "median_days_to_adequate_housing": 40.5,
        "solutions_on_offer": 3,  # S1, S2, S4 (S3 withdrawn 03-15)
        "capacity_total": 24,  # S1 20 + S2 4 (S4 has no capacity)
        "capacity_free": 6,  # S1 3 + S2 3
        "capacity_occupied": 18,  # 24 - 6
    }
    assert {key: figures[key] for key in expected} == expected


def test_contacts_break_down_by_channel_topic_and_iso_week(history: History) -> None:
    state = replay(history.topic_by_topic(OUT_OF_ORDER)).state
    assert breakdown(state, "contact_channel", Q1) == {"email": 1, "field": 1, "in_person": 3, "phone": 3}
    # housing_loss k1 k3 k4 k5; benefits k1 k2 k7; debt k4 k8; other k6
    assert breakdown(state, "contact_topic", Q1) == {"benefits": 3, "debt": 2, "housing_loss": 4, "other": 1}
    # ISO weeks: W03 = 12-18 Jan (k1, k2), W04 (k3 20 Jan), W06 = 2-8 Feb (k4), W08 = 16-22 Feb (k5),
    # W11 = 9-15 Mar (k6, k7), W14 = 30 Mar-5 Apr (k8)
    expected = {"2026-W03": 2, "2026-W04": 1, "2026-W06": 1, "2026-W08": 1, "2026-W11": 2, "2026-W14": 1}
    assert breakdown(state, "contact_week", Q1) == expected


def test_households_in_need_break_down_by_latest_assessment(history: History) -> None:
    state = replay(history.topic_by_topic(OUT_OF_ORDER)).state
    levels = {"at_risk": 1, "inadequate": 1, "insecure": 1, "roofless": 1}
    assert breakdown(state, "need_level", Q1) == levels  # D counts as inadequate (03-06), not insecure
    assert breakdown(state, "ethos_category", Q1) == {"1": 1, "12": 1, "9": 2}  # A 1, D 12, B 9, E 9
    assert breakdown(state, "household_type", Q1) == {
        "couple": 1,
        "family_with_children": 1,
        "senior": 1,
        "single": 1,
    }
    # Praha 7: A 1 + B 4 + E 2 people; Praha 10: D 2 people
    assert breakdown(state, "district", Q1, measure="people") == {"Praha 10": 2, "Praha 7": 7}
    assert breakdown(state, "orp", Q1) == {"1000": 3, "1100": 1}
    assert breakdown(state, "vulnerability", Q1) == {"disability": 2, "senior": 1}  # B, E / E


def test_district_filter_keeps_only_that_districts_cases(history: History) -> None:
    state = replay(history.topic_by_topic(OUT_OF_ORDER)).state
    praha_10 = Filters(date(2026, 1, 1), date(2026, 3, 31), "Praha 10")
    # contacts linked to Praha 10 cases in Q1: k1 (C), k3 (D), k5 (F), k6 (H); anonymous ones drop out
    assert breakdown(state, "contact_channel", praha_10) == {"email": 1, "in_person": 2, "phone": 1}
    assert breakdown(state, "close_reason", praha_10) == {"housed_adequately": 2, "lost_contact": 1}


def test_referrals_break_down_by_partner_kind_and_decline_reason(history: History) -> None:
    state = replay(history.topic_by_topic(OUT_OF_ORDER)).state
    assert breakdown(state, "partner", Q1) == {"ngo-a": 3, "obec-byty": 1, "up-praha": 2}  # made
    assert breakdown(state, "partner", Q1, measure="accepted") == {"ngo-a": 1, "obec-byty": 1, "up-praha": 2}
    assert breakdown(state, "referral_kind", Q1, measure="completed") == {
        "benefit_application": 1,
        "municipal_flat": 1,
    }
    assert breakdown(state, "decline_reason", Q1) == {"no_capacity": 1}
    assert breakdown(state, "decline_reason", Filters(date(2026, 4, 1), date(2026, 4, 30))) == {
        "client_refused": 1
    }


def test_catalogue_capacity_follows_published_changed_and_withdrawn(history: History) -> None:
    state = replay(history.topic_by_topic(OUT_OF_ORDER)).state
    end_of_march = Filters(date_to=date(2026, 3, 31))
    assert breakdown(state, "solution_kind", end_of_march, measure="capacity_occupied") == {
        "municipal_flat": 1,  # 4 - 3
        "shelter": 17,  # 20 - 3
    }
    # on 10 March S3 (ngo_flat, 2 places, 1 free) was still on offer; S2 had changed to 3 free on 3 March
    tenth = Filters(date_to=date(2026, 3, 10))
    assert breakdown(state, "solution_kind", tenth, measure="capacity_free") == {
        "municipal_flat": 3,
        "ngo_flat": 1,
        "shelter": 3,
    }


def _case_opened(case_id: UUID, moment: datetime) -> CaseOpened:
    members = (MemberSnapshot(age_band="26-64", relationship="adult"),)
    snapshot = HouseholdSnapshot(members=members, district="Praha 7")
    return CaseOpened(case_id=case_id, case_number="KMB-2026-00100", household=snapshot, occurred_at=moment)


def _meta(event_id: str, topic: str) -> EventMeta:
    return EventMeta(event_id, "t", datetime(2026, 1, 1, tzinfo=UTC), topic)


def test_assessment_before_case_opened_is_upserted_and_counts_once_the_case_exists() -> None:
    case_id = UUID(int=1)
    moment = datetime(2026, 2, 2, 9, tzinfo=UTC)
    assessed = NeedAssessed(
        case_id=case_id, assessment_id=UUID(int=2), assessed_on=date(2026, 2, 3), rule_set_version="1",
        need_level="roofless", household_type="single", district="Praha 7", occurred_at=moment,
    )  # fmt: skip
    projection = Projection()
    assert projection.apply(assessed, _meta("a-1", "kmb.assessment.v1"))
    # known only from the assessment: counted as open from the assessment date on
    assert summary(projection.state, date(2026, 2, 28))["households_in_need"] == 1
    assert projection.apply(_case_opened(case_id, moment), _meta("i-1", "kmb.intake.v1"))
    assert summary(projection.state, date(2026, 2, 28))["households_in_need"] == 1
    assert summary(projection.state, date(2026, 2, 28))["cases_opened"] == 1


def test_acceptance_before_referral_made_is_upserted_and_gives_the_response_time() -> None:
    ids = {"referral_id": UUID(int=3), "case_id": UUID(int=1), "partner": "ngo-a", "kind": "shelter"}
    accepted = ReferralAccepted(**ids, occurred_at=datetime(2026, 3, 4, 21, tzinfo=UTC))
    made = ReferralMade(**ids, occurred_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    projection = Projection()
    projection.apply(accepted, _meta("p-1", "kmb.partner.ngo-a.v1"))
    figures = summary(projection.state, date(2026, 3, 31))
    assert (figures["referrals_accepted"], figures["median_referral_response_days"]) == (1, None)
    projection.apply(made, _meta("r-1", "kmb.referrals.v1"))
    # 2 March 09:00 -> 4 March 21:00 = 2 days 12 hours = 2.5 days
    assert summary(projection.state, date(2026, 3, 31))["median_referral_response_days"] == 2.5


def test_event_dates_are_taken_in_prague_time() -> None:
    # 31 March 2026 22:30 UTC is 1 April 00:30 in Prague (CEST, UTC+2 since 29 March)
    contact = ContactRecorded(
        contact_id=UUID(int=4), channel="phone", contact_date=date(2026, 4, 1), topics=("debt",),
        duration_minutes=5, occurred_at=datetime(2026, 3, 31, 22, 30, tzinfo=UTC),
    )  # fmt: skip
    projection = Projection()
    projection.apply(_case_opened(UUID(int=5), datetime(2026, 3, 31, 22, 30, tzinfo=UTC)), _meta("i-1", "i"))
    projection.apply(contact, _meta("i-2", "i"))
    assert summary(projection.state, date(2026, 3, 31))["cases_opened"] == 0
    april = summary(projection.state, date(2026, 4, 30), date_from=date(2026, 4, 1))
    assert (april["cases_opened"], april["contacts"]) == (1, 1)


def test_a_later_version_of_a_contact_replaces_the_earlier_whatever_the_order() -> None:
    def contact(channel: str, hour: int) -> ContactRecorded:
        return ContactRecorded(
            contact_id=UUID(int=6), channel=channel, contact_date=date(2026, 3, 2), topics=("debt",),
            duration_minutes=5, occurred_at=datetime(2026, 3, 2, hour, tzinfo=UTC),
        )  # fmt: skip

    first, corrected = contact("phone", 9), contact("in_person", 11)
    forward, backward = Projection(), Projection()
    forward.apply(first, _meta("c-1", "i"))
    forward.apply(corrected, _meta("c-2", "i"))
    backward.apply(corrected, _meta("c-2", "i"))
    backward.apply(first, _meta("c-1", "i"))
    assert breakdown(forward.state, "contact_channel") == {"in_person": 1}
    assert forward.digest() == backward.digest()


def test_state_is_plain_json_and_survives_a_round_trip(history: History) -> None:
    projection = replay(history.topic_by_topic(OUT_OF_ORDER))
    text = projection.to_json()
    assert json.loads(text)["schema"] == 1
    restored = Projection.from_json(text)
    assert restored.digest() == projection.digest()
    event, meta = history.duplicates[1]
    assert restored.apply(event, meta) is False


def test_district_of_a_case_without_assessment_follows_the_household_as_it_was_then() -> None:
    case_id = UUID(int=7)
    opened = _case_opened(case_id, datetime(2026, 1, 5, 9, tzinfo=UTC))  # household in Praha 7
    moved = HouseholdChanged(
        case_id=case_id, case_number="KMB-2026-00100",
        household=HouseholdSnapshot(members=opened.household.members, district="Praha 10"),
        occurred_at=datetime(2026, 2, 10, 9, tzinfo=UTC),
    )  # fmt: skip
    contact = ContactRecorded(
        contact_id=UUID(int=8), case_id=case_id, channel="phone", contact_date=date(2026, 1, 6), topics=(),
        duration_minutes=5, occurred_at=datetime(2026, 1, 6, 9, tzinfo=UTC),
    )  # fmt: skip
    projection = Projection()
    for i, event in enumerate([moved, contact, opened]):  # the change arrives first
        projection.apply(event, _meta(f"i-{i}", "kmb.intake.v1"))
    january = {"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31)}
    # in January the household lived in Praha 7; the move to Praha 10 came on 10 February
    assert breakdown(projection.state, "contact_channel", Filters(**january, district="Praha 7")) == {
        "phone": 1
    }
    assert breakdown(projection.state, "contact_channel", Filters(**january, district="Praha 10")) == {}
    assert summary(projection.state, date(2026, 2, 28), district="Praha 10")["cases_open"] == 1
