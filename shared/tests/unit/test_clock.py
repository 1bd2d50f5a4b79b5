from __future__ import annotations

from datetime import UTC, date, datetime

from kmb_shared.clock import (
    Clock,
    FixedClock,
    SystemClock,
    day_end,
    day_start,
    prague_date,
    prague_today,
    to_prague,
)


def test_prague_days_and_their_bounds() -> None:
    assert prague_date(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == date(2026, 3, 29)
    assert prague_date(datetime(2026, 3, 28, 22, 30)) == date(2026, 3, 28)  # naive = UTC, CET +1
    assert day_start(date(2026, 1, 15)) == datetime(2026, 1, 14, 23, 0, tzinfo=UTC)
    assert day_start(date(2026, 7, 15)) == datetime(2026, 7, 14, 22, 0, tzinfo=UTC)  # CEST
    # the day of the spring change has 23 hours
    assert (day_end(date(2026, 3, 29)) - day_start(date(2026, 3, 29))).total_seconds() == 23 * 3600
    assert to_prague(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)).hour == 12


def test_system_clock_is_a_clock() -> None:
    clock: Clock = SystemClock()
    assert clock.now().tzinfo is not None
    assert clock.today() in {prague_today(), prague_date(clock.now())}


def test_prague_date_across_midnight_utc_and_the_time_changes() -> None:
    # winter (CET, UTC+1): 22:59 UTC is still the same day, 23:00 UTC is the next
    assert prague_date(datetime(2026, 1, 15, 22, 59, tzinfo=UTC)) == date(2026, 1, 15)
    assert prague_date(datetime(2026, 1, 15, 23, 0, tzinfo=UTC)) == date(2026, 1, 16)
    # summer (CEST, UTC+2): the day changes at 22:00 UTC
    assert prague_date(datetime(2026, 7, 15, 21, 59, tzinfo=UTC)) == date(2026, 7, 15)
    assert prague_date(datetime(2026, 7, 15, 22, 0, tzinfo=UTC)) == date(2026, 7, 16)
    # the night of 24/25 Oct 2026: clocks go back at 01:00 UTC; 23:30 UTC on the 24th is 01:30 CEST
    assert prague_date(datetime(2026, 10, 24, 23, 30, tzinfo=UTC)) == date(2026, 10, 25)
    assert (day_end(date(2026, 10, 25)) - day_start(date(2026, 10, 25))).total_seconds() == 25 * 3600


def test_a_fixed_clock_says_the_prague_day() -> None:
    clock: Clock = FixedClock(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2027, 1, 1)
    assert clock.now() == datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert FixedClock.on(date(2026, 3, 29)).today() == date(2026, 3, 29)
    fixed = FixedClock(datetime(2026, 3, 28, 22, 30))  # naive = UTC
    assert fixed.today() == date(2026, 3, 28)
    fixed.set(datetime(2026, 3, 28, 23, 30, tzinfo=UTC))
    assert fixed.today() == date(2026, 3, 29)
