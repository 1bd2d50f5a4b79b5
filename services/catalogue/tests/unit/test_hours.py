from __future__ import annotations

from datetime import time

from kmb_catalogue.domain import OpeningHours, OpeningSlot, format_opening_hours
from kmb_shared.formatting import format_money_text


def _slot(days: tuple[int, ...], opens: time, closes: time) -> OpeningSlot:
    return OpeningSlot(weekdays=days, opens=opens, closes=closes)


def test_working_week_is_written_as_a_range() -> None:
    hours = OpeningHours(slots=(_slot((0, 1, 2, 3, 4), time(8), time(16)),))
    assert format_opening_hours(hours) == "Po–Pá 8:00–16:00"


def test_separate_days_and_several_slots_are_listed() -> None:
    hours = OpeningHours(
        slots=(_slot((1, 3), time(8), time(14)), _slot((0, 2), time(8), time(17, 30))),
        note="jen objednaní",
    )
    assert format_opening_hours(hours) == "Po, St 8:00–17:30; Út, Čt 8:00–14:00 (jen objednaní)"


def test_overnight_and_nonstop_hours() -> None:
    night = OpeningHours(slots=(_slot((0, 1, 2, 3, 4, 5, 6), time(18, 30), time(7, 30)),))
    assert format_opening_hours(night) == "Po–Ne 18:30–7:30"
    assert format_opening_hours(OpeningHours(nonstop=True)) == "nonstop"
    assert format_opening_hours(None) is None


def test_rent_in_an_explanation_has_a_plain_space_between_thousands() -> None:
    assert format_money_text(12500) == "12 500 Kč"
    assert format_money_text(950) == "950 Kč"
