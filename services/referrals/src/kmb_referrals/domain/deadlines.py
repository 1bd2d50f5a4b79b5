"""Response deadlines of referrals, counted in Czech working days.

A working day is Monday to Friday and not a Czech public holiday (the ``holidays`` package's Czech
calendar, which includes Good Friday and Easter Monday). The day the referral is made does not count:
made on a Friday with one working day to answer, the answer is due the following Monday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from pydantic import BaseModel, ConfigDict, Field

from .kinds import ReferralKind

#: Default response deadlines in working days. They are practice defaults, not figures from the law
#: (unconfirmed): every municipality sets its own in :class:`DeadlineConfig`.
DEFAULT_RESPONSE_DAYS: dict[ReferralKind, int] = {
    ReferralKind.BINDING_OPINION: 10,
    ReferralKind.BENEFIT_CLAIM: 10,
    ReferralKind.MUNICIPAL_FLAT_APPLICATION: 10,
    ReferralKind.SOCIAL_WORK: 3,
    ReferralKind.SOCIAL_SERVICE_PLACE: 2,
    ReferralKind.HOUSING_ASSISTANCE: 5,
    ReferralKind.LEGAL_AID: 5,
    ReferralKind.REAL_ESTATE_SEARCH: 10,
    ReferralKind.DEBT_ADVICE: 5,
    ReferralKind.CASE_CONFERENCE: 5,
}


class DeadlineConfig(BaseModel):
    """Working days each referral kind has for a response; kinds not listed get ``default_days``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    response_days: dict[ReferralKind, int] = Field(default_factory=lambda: dict(DEFAULT_RESPONSE_DAYS))
    default_days: int = Field(default=5, ge=0)
    closed_days: frozenset[date] = Field(
        default=frozenset(), description="Extra non-working days of the office (besides holidays)"
    )

    def days_for(self, kind: ReferralKind) -> int:
        days = self.response_days.get(kind, self.default_days)
        if days < 0:
            raise ValueError(f"negative deadline for {kind}")
        return days


DEFAULT_DEADLINES = DeadlineConfig()


@lru_cache(maxsize=64)
def czech_public_holidays(year: int) -> frozenset[date]:
    """Czech public holidays of one year (cached)."""
    return frozenset(holidays.country_holidays("CZ", years=year).keys())


def is_working_day(day: date, closed_days: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in czech_public_holidays(day.year) and day not in closed_days


def add_working_days(start: date, days: int, closed_days: frozenset[date] = frozenset()) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts; 0 → ``start``)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, closed_days):
            remaining -= 1
    return current


def due_date(made_on: date, kind: ReferralKind, config: DeadlineConfig = DEFAULT_DEADLINES) -> date:
    """The last day on which the partner's response (accept or decline) is on time."""
    return add_working_days(made_on, config.days_for(kind), config.closed_days)
