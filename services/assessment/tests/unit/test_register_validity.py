"""Validity of a register entry (§23): 12 months in rule set 2026.1, reassessment window 60 days."""

from __future__ import annotations

from datetime import date

import pytest

from kmb_assessment.domain import (
    RegistrationStatus,
    RuleSet,
    add_months,
    is_due_for_reassessment,
    is_expired,
    register_valid_until,
    registration_status,
    rule_set_for,
)


@pytest.fixture
def rules() -> RuleSet:
    return rule_set_for(date(2026, 3, 15))


def _with_months(rules: RuleSet, months: int) -> RuleSet:
    validity = rules.register_validity.model_copy(update={"months": months})
    return rules.model_copy(update={"register_validity": validity})


def test_entry_is_valid_until_the_same_day_twelve_months_later(rules: RuleSet) -> None:
    # 15 March 2026 + 12 months = 15 March 2027
    assert register_valid_until(date(2026, 3, 15), rules) == date(2027, 3, 15)


def test_entry_made_on_31_january_for_one_month_ends_on_the_last_day_of_february(rules: RuleSet) -> None:
    # February 2026 has no 31st: the period ends on 28 February 2026
    assert register_valid_until(date(2026, 1, 31), _with_months(rules, 1)) == date(2026, 2, 28)


def test_entry_made_on_29_february_ends_on_28_february_next_year(rules: RuleSet) -> None:
    assert register_valid_until(date(2028, 2, 29), rules) == date(2029, 2, 28)


def test_adding_months_crosses_the_year() -> None:
    # November 2026 + 3 months = February 2027, day 30 clamped to 28
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("on", "status"),
    [
        # registered 15 March 2026, valid until 15 March 2027; 60 days before it is 14 January 2027
        # (14 Jan -> 31 Jan 17 days, -> 28 Feb 28 days, -> 15 Mar 15 days: 60)
        (date(2026, 3, 15), RegistrationStatus.VALID),
        (date(2027, 1, 13), RegistrationStatus.VALID),
        (date(2027, 1, 14), RegistrationStatus.DUE_FOR_REASSESSMENT),
        (date(2027, 3, 15), RegistrationStatus.DUE_FOR_REASSESSMENT),
        (date(2027, 3, 16), RegistrationStatus.EXPIRED),
    ],
)
def test_registration_status_on_a_day(rules: RuleSet, on: date, status: RegistrationStatus) -> None:
    assert registration_status(date(2026, 3, 15), on, rules) is status


def test_entry_is_due_for_reassessment_within_the_window_but_not_expired(rules: RuleSet) -> None:
    assert is_due_for_reassessment(date(2026, 3, 15), date(2027, 2, 1), rules)
    assert not is_expired(date(2026, 3, 15), date(2027, 2, 1), rules)


def test_entry_is_expired_the_day_after_its_last_valid_day(rules: RuleSet) -> None:
    assert not is_expired(date(2026, 3, 15), date(2027, 3, 15), rules)
    assert is_expired(date(2026, 3, 15), date(2027, 3, 16), rules)
    assert not is_due_for_reassessment(date(2026, 3, 15), date(2027, 3, 16), rules)


def test_status_before_the_entry_was_made_is_an_error(rules: RuleSet) -> None:
    with pytest.raises(ValueError, match="before the registration"):
        registration_status(date(2026, 3, 15), date(2026, 3, 14), rules)
