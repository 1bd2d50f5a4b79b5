from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import uuid4

from kmb_intake.domain import ContactIn

Data = Callable[..., dict[str, Any]]
Codes = Callable[..., set[tuple[str, str]]]


def _valid(data: dict[str, Any], today: date) -> ContactIn:
    return ContactIn.model_validate(data, context={"today": today})


def test_anonymous_contact_needs_no_person_data(contact_data: Data, today: date) -> None:
    contact = _valid(contact_data(anonymous=True), today)
    assert contact.anonymous is True
    assert contact.case_id is None
    assert contact.topics == ("loss_of_housing",)


def test_contact_may_be_linked_to_a_case(contact_data: Data, today: date) -> None:
    case_id = uuid4()
    assert _valid(contact_data(case_id=str(case_id)), today).case_id == case_id


def test_repeated_topics_are_kept_once_in_order(contact_data: Data, today: date) -> None:
    contact = _valid(contact_data(topics=["debts", "benefits", "debts"]), today)
    assert contact.topics == ("debts", "benefits")


def test_contact_without_topics_is_rejected(contact_data: Data, codes_of: Codes) -> None:
    assert codes_of(ContactIn, contact_data(topics=[])) == {("topics", "no_topics")}


def test_unknown_channel_and_topic_are_rejected(contact_data: Data, codes_of: Codes) -> None:
    data = contact_data(channel="pigeon", topics=["debts", "weather"])
    assert codes_of(ContactIn, data) == {("channel", "unknown_code"), ("topics.1", "unknown_code")}


def test_note_of_500_characters_is_accepted(contact_data: Data, today: date) -> None:
    assert _valid(contact_data(note="x" * 500), today).note == "x" * 500


def test_note_of_501_characters_is_rejected(contact_data: Data, codes_of: Codes) -> None:
    assert codes_of(ContactIn, contact_data(note="x" * 501)) == {("note", "too_long")}


def test_blank_note_means_no_note(contact_data: Data, today: date) -> None:
    assert _valid(contact_data(note="   "), today).note is None


def test_contact_date_after_today_is_rejected(contact_data: Data, codes_of: Codes) -> None:
    # TODAY is 2026-06-15, the next day is in the future
    assert codes_of(ContactIn, contact_data(contact_date="2026-06-16")) == {
        ("contact_date", "date_in_future")
    }


def test_negative_duration_is_rejected(contact_data: Data, codes_of: Codes) -> None:
    assert codes_of(ContactIn, contact_data(duration_minutes=-1)) == {("duration_minutes", "too_small")}


def test_duration_longer_than_a_day_is_rejected(contact_data: Data, codes_of: Codes) -> None:
    # 24 h × 60 = 1440 minutes is the limit
    assert codes_of(ContactIn, contact_data(duration_minutes=1441)) == {("duration_minutes", "too_large")}


def test_missing_worker_and_channel_are_reported_as_required(contact_data: Data, codes_of: Codes) -> None:
    data = contact_data()
    del data["worker_id"], data["channel"]
    assert codes_of(ContactIn, data) == {("worker_id", "required"), ("channel", "required")}


def test_anonymous_contact_cannot_name_a_case(contact_data: Data, codes_of: Codes) -> None:
    data = contact_data(anonymous=True, case_id=str(uuid4()))
    assert codes_of(ContactIn, data) == {("case_id", "anonymous_contact_with_case")}
