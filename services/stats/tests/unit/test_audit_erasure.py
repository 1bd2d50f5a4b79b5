"""An erasure on a case's audit timeline: its Czech name and the reason by its label, never more."""

from __future__ import annotations

from kmb_stats.domain.audit import NAMES, event_name, summary_cs

ERASED = "kmb.intake.personal_data_erased.v1"


def test_an_erasure_of_the_whole_case_shows_the_reason_by_its_czech_label() -> None:
    summary = summary_cs(ERASED, {"case_number": "KMB-2026-00001", "reason": "retention"})
    assert (NAMES[event_name(ERASED)], summary) == (
        "Osobní údaje vymazány",
        "Celý případ; důvod: uplynutí skartační lhůty",
    )


def test_an_erasure_of_one_member_says_so() -> None:
    summary = summary_cs(ERASED, {"reason": "data_subject_request", "member_position": 1})
    assert summary == "Člen domácnosti; důvod: žádost subjektu údajů o výmaz (čl. 17 GDPR)"
