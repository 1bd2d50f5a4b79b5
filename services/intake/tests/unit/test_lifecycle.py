from __future__ import annotations

from datetime import date

import pytest

from kmb_intake.domain import (
    CaseAlreadyClosed,
    CaseAlreadyOpen,
    CaseLifecycle,
    CaseStatus,
    InvalidTransition,
    UnknownCode,
)

CLOSED_ON = date(2026, 6, 15)


def test_new_case_is_open() -> None:
    assert CaseLifecycle().status is CaseStatus.OPEN


def test_open_case_closes_with_reason_and_date() -> None:
    closed = CaseLifecycle().close("housed_adequately", CLOSED_ON)
    assert closed.status is CaseStatus.CLOSED
    assert closed.close_reason == "housed_adequately"
    assert closed.closed_on == CLOSED_ON


def test_closing_does_not_change_the_original_state() -> None:
    opened = CaseLifecycle()
    opened.close("moved_away", CLOSED_ON)
    assert opened.is_open


def test_closing_a_closed_case_is_an_invalid_transition() -> None:
    closed = CaseLifecycle().close("died", CLOSED_ON)
    with pytest.raises(CaseAlreadyClosed) as caught:
        closed.close("other", CLOSED_ON)
    assert isinstance(caught.value, InvalidTransition)
    assert caught.value.to_dict() == {
        "code": "case_already_closed",
        "message_cs": "Případ je již uzavřen.",
        "message_en": "The case is already closed.",
    }


def test_reopening_an_open_case_is_an_invalid_transition() -> None:
    with pytest.raises(CaseAlreadyOpen) as caught:
        CaseLifecycle().reopen()
    assert isinstance(caught.value, InvalidTransition)
    assert caught.value.code == "case_already_open"


def test_reopened_case_is_open_without_close_reason_and_counts_reopenings() -> None:
    reopened = CaseLifecycle().close("lost_contact", CLOSED_ON).reopen()
    assert reopened.status is CaseStatus.OPEN
    assert reopened.close_reason is None
    assert reopened.closed_on is None
    assert reopened.reopen_count == 1


def test_reopened_case_can_be_closed_again() -> None:
    again = CaseLifecycle().close("lost_contact", CLOSED_ON).reopen().close("housed_adequately", CLOSED_ON)
    assert again.close_reason == "housed_adequately"
    assert again.reopen_count == 1


def test_closing_with_an_unknown_reason_is_rejected() -> None:
    with pytest.raises(UnknownCode):
        CaseLifecycle().close("bored", CLOSED_ON)
