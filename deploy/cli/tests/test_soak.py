"""The reconciliation of `kmb soak` on hand-made event lists: lost, doubled and unreconciled counts."""

from __future__ import annotations

import json

from kmb_cli.ops.kafka_io import Record
from kmb_cli.ops.soak import (
    CASE_OPENED,
    NEED_ASSESSED,
    PARTNER_REFERRAL,
    REFERRAL_ACCEPTED,
    REFERRAL_MADE,
    Driven,
    Seen,
    add_stats,
    reconcile,
    stats_differences,
)

CASE, ASSESSMENT, REFERRAL = (
    "c0000000-0000-4000-8000-000000000001",
    "a0000000-0000-4000-8000-000000000001",
    "b0000000-0000-4000-8000-000000000001",
)


def whole_flow() -> Driven:
    return Driven(CASE, ASSESSMENT, True, REFERRAL, True)


def events_of_whole_flow() -> list[Seen]:
    return [
        Seen(CASE_OPENED, "e1", CASE),
        Seen(NEED_ASSESSED, "e2", ASSESSMENT),
        Seen(REFERRAL_MADE, "e3", REFERRAL),
        Seen(PARTNER_REFERRAL, "e4", REFERRAL),
        Seen(REFERRAL_ACCEPTED, "e5", REFERRAL),
    ]


def test_a_case_with_each_of_its_five_events_once_reconciles() -> None:
    result = reconcile([whole_flow()], events_of_whole_flow())
    assert (result.cases, result.problems) == (1, 0)
    assert result.found == {t: 1 for t in (CASE_OPENED, NEED_ASSESSED, REFERRAL_MADE, REFERRAL_ACCEPTED)} | {
        PARTNER_REFERRAL: 1
    }


def test_a_missing_event_is_lost() -> None:
    events = [e for e in events_of_whole_flow() if e.event_type != PARTNER_REFERRAL]
    result = reconcile([whole_flow()], events)
    assert result.lost == {PARTNER_REFERRAL: 1}
    assert not result.doubled and result.problems == 1


def test_a_second_referral_made_with_another_event_id_is_doubled() -> None:
    result = reconcile([whole_flow()], [*events_of_whole_flow(), Seen(REFERRAL_MADE, "e6", REFERRAL)])
    assert result.doubled == {REFERRAL_MADE: 1}
    assert not result.lost and result.problems == 1


def test_the_same_event_id_read_twice_is_a_redelivery_not_a_double() -> None:
    result = reconcile([whole_flow()], [*events_of_whole_flow(), Seen(REFERRAL_MADE, "e3", REFERRAL)])
    assert result.problems == 0 and result.found[REFERRAL_MADE] == 1


def test_a_failed_case_is_unreconciled_and_only_its_confirmed_steps_are_expected() -> None:
    failed = Driven(CASE, ASSESSMENT, submitted=False, failure="submit: HTTP 500 after 5 attempts")
    result = reconcile([failed], [Seen(CASE_OPENED, "e1", CASE)])
    assert (result.unreconciled, sum(result.lost.values()), sum(result.doubled.values())) == (1, 0, 0)
    assert result.failures == {"submit: HTTP 500 after 5 attempts": 1}


def test_events_of_other_cases_neither_count_nor_double() -> None:
    other = "c0000000-0000-4000-8000-000000000002"
    events = [*events_of_whole_flow(), Seen(CASE_OPENED, "x1", other), Seen(CASE_OPENED, "x2", other)]
    assert reconcile([whole_flow()], events).problems == 0


def test_a_record_is_read_by_its_type_id_and_subject_and_others_are_skipped() -> None:
    def record(kind: str, data: object, offset: int) -> Record:
        headers = (("ce_type", kind.encode()), ("ce_id", f"id-{offset}".encode()))
        return Record("t", 0, offset, None, json.dumps(data).encode(), headers)

    referral = record(REFERRAL_MADE, {"case_id": CASE, "referral_id": REFERRAL.upper()}, 7)
    assert Seen.of(referral) == Seen(REFERRAL_MADE, "id-7", REFERRAL)
    assert Seen.of(record("kmb.catalogue.solutions_suggested.v1", {"case_id": CASE}, 8)) is None
    assert Seen.of(Record("t", 0, 9, None, b"not json", (("ce_type", CASE_OPENED.encode()),))) is None


def test_stats_short_of_kafka_is_lost_and_over_it_doubled() -> None:
    before = {CASE_OPENED: 10, NEED_ASSESSED: 4}
    after = {CASE_OPENED: 12, NEED_ASSESSED: 7, REFERRAL_MADE: 1}
    found = {CASE_OPENED: 3, NEED_ASSESSED: 3, REFERRAL_MADE: 1}
    differences = stats_differences(before, after, found)
    assert differences == {CASE_OPENED: -1}
    result = reconcile([], [])
    add_stats(result, {CASE_OPENED: -1, REFERRAL_MADE: 2})
    assert result.lost == {f"stats {CASE_OPENED}": 1}
    assert result.doubled == {f"stats {REFERRAL_MADE}": 2}
