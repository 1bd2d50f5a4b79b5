from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from kmb_referrals.domain import (
    DeadlineConfig,
    Partner,
    ReferralKind,
    accept,
    add_working_days,
    due_date,
    is_overdue,
    is_working_day,
    make_referral,
)

FIVE = DeadlineConfig(response_days={ReferralKind.SOCIAL_WORK: 5}, default_days=5)


def test_christmas_holidays_and_weekends_are_skipped() -> None:
    # Fri 18 Dec 2026 + 5: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 + Fri 25 holidays,
    # Sat 26 holiday/weekend, Sun 27, Mon 28 (4), Tue 29 (5)
    assert due_date(date(2026, 12, 18), ReferralKind.SOCIAL_WORK, FIVE) == date(2026, 12, 29)


def test_good_friday_and_easter_monday_are_not_working_days() -> None:
    # Easter Sunday 2026 is 5 April. Thu 2 Apr + 2: Fri 3 Good Friday, Sat 4, Sun 5,
    # Mon 6 Easter Monday, Tue 7 (1), Wed 8 (2)
    config = DeadlineConfig(response_days={ReferralKind.LEGAL_AID: 2})
    assert due_date(date(2026, 4, 2), ReferralKind.LEGAL_AID, config) == date(2026, 4, 8)
    assert not is_working_day(date(2026, 4, 3))
    assert not is_working_day(date(2026, 4, 6))


def test_victory_day_pushes_a_one_day_deadline_over_the_weekend() -> None:
    # Thu 7 May 2026 + 1: Fri 8 May is Victory Day, Sat 9, Sun 10, Mon 11 (1)
    config = DeadlineConfig(response_days={ReferralKind.DEBT_ADVICE: 1})
    assert due_date(date(2026, 5, 7), ReferralKind.DEBT_ADVICE, config) == date(2026, 5, 11)


def test_jan_hus_day_after_a_sunday_holiday_is_skipped() -> None:
    # Fri 3 Jul 2026 + 1: Sat 4, Sun 5 (Cyril and Methodius), Mon 6 (Jan Hus), Tue 7 (1)
    assert add_working_days(date(2026, 7, 3), 1) == date(2026, 7, 7)


def test_day_the_referral_is_made_does_not_count_even_when_it_is_a_holiday() -> None:
    # made on Fri 1 May 2026 (Labour Day) + 1: Sat 2, Sun 3, Mon 4 (1)
    assert add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 4)


def test_zero_days_is_due_the_same_day() -> None:
    assert add_working_days(date(2026, 10, 23), 0) == date(2026, 10, 23)


def test_christmas_eve_2027_on_a_friday_is_skipped() -> None:
    # Thu 23 Dec 2027 + 1: Fri 24 holiday, Sat 25, Sun 26, Mon 27 (1)
    assert add_working_days(date(2027, 12, 23), 1) == date(2027, 12, 27)


def test_office_closure_days_from_config_are_not_working_days() -> None:
    # Fri 18 Dec 2026 + 1 with the office closed on Mon 21: Tue 22 (1)
    config = DeadlineConfig(
        response_days={ReferralKind.SOCIAL_WORK: 1}, closed_days=frozenset({date(2026, 12, 21)})
    )
    assert due_date(date(2026, 12, 18), ReferralKind.SOCIAL_WORK, config) == date(2026, 12, 22)


def test_kind_missing_from_the_mapping_gets_the_default_days() -> None:
    # Mon 2 Mar 2026 + 3 (default): Tue 3 (1), Wed 4 (2), Thu 5 (3)
    config = DeadlineConfig(response_days={}, default_days=3)
    assert due_date(date(2026, 3, 2), ReferralKind.CASE_CONFERENCE, config) == date(2026, 3, 5)


def test_each_kind_uses_its_own_configured_days() -> None:
    # Mon 2 Mar 2026: +1 → Tue 3; +10 → Tue 3 … Fri 6 (4), Mon 9 … Fri 13 (9), Mon 16 (10)
    config = DeadlineConfig(
        response_days={ReferralKind.SOCIAL_SERVICE_PLACE: 1, ReferralKind.BINDING_OPINION: 10}
    )
    assert due_date(date(2026, 3, 2), ReferralKind.SOCIAL_SERVICE_PLACE, config) == date(2026, 3, 3)
    assert due_date(date(2026, 3, 2), ReferralKind.BINDING_OPINION, config) == date(2026, 3, 16)


def test_negative_days_are_rejected() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), -1)


def test_referral_is_overdue_only_after_its_due_day_while_unanswered(partner: Partner) -> None:
    referral = make_referral(
        referral_id=UUID(int=1),
        case_id=UUID(int=2),
        partner=partner,
        kind=ReferralKind.SOCIAL_WORK,
        made_on=date(2026, 12, 18),
        config=FIVE,
    )
    assert referral.due_on == date(2026, 12, 29)
    assert not is_overdue(referral, date(2026, 12, 29))
    assert is_overdue(referral, date(2026, 12, 30))
    answered = accept(referral, date(2026, 12, 30))
    assert not is_overdue(answered, date(2027, 1, 5))
