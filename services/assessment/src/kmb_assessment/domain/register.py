"""Validity of an entry in the register of people in need (§23).

Reading (the act's text is unconfirmed): an entry is valid for ``register_validity.months``
calendar months. Like a period set in months in the Czech administrative procedure (správní řád
§40), it ends on the day with the same number as the day of entry, or on the last day of the month
when that month has no such day; the entry is valid through that day and expired after it. It is
due for reassessment from ``register_validity.reassessment_window_days`` days before that last day.
Pass the rule set in force on the day of entry, so a later rule set never shortens an entry.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .rules import RuleSet


class RegistrationStatus(StrEnum):
    VALID = "valid"
    DUE_FOR_REASSESSMENT = "due_for_reassessment"
    EXPIRED = "expired"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def register_valid_until(registered_on: date, rules: RuleSet) -> date:
    """The last day on which an entry made on ``registered_on`` is valid."""
    return add_months(registered_on, rules.register_validity.months)


def registration_status(registered_on: date, on: date, rules: RuleSet) -> RegistrationStatus:
    """Valid, due for reassessment, or expired on the day ``on`` (not before the entry)."""
    if on < registered_on:
        raise ValueError(f"date {on} is before the registration on {registered_on}")
    valid_until = register_valid_until(registered_on, rules)
    if on > valid_until:
        return RegistrationStatus.EXPIRED
    if on >= valid_until - timedelta(days=rules.register_validity.reassessment_window_days):
        return RegistrationStatus.DUE_FOR_REASSESSMENT
    return RegistrationStatus.VALID


def is_due_for_reassessment(registered_on: date, on: date, rules: RuleSet) -> bool:
    return registration_status(registered_on, on, rules) is RegistrationStatus.DUE_FOR_REASSESSMENT


def is_expired(registered_on: date, on: date, rules: RuleSet) -> bool:
    return registration_status(registered_on, on, rules) is RegistrationStatus.EXPIRED


@dataclass(frozen=True, slots=True)
class RegisterFilter:
    """Which entries of the register a worker looks for (every field optional, all must hold)."""

    #: need levels (codes); empty: any
    need_levels: tuple[str, ...] = ()
    #: entries valid at most until this day (the ones about to expire)
    valid_until_to: date | None = None
    #: part of the case number ("00042", "KMB-2026-00042"), case-insensitive
    case_number: str | None = None
    #: at least this priority score
    priority_from: int | None = None

    def admits(self, need_level: str, valid_until: date, case_number: str, priority_score: int) -> bool:
        """Whether an entry with these values passes (the rule the database query also applies)."""
        return (
            (not self.need_levels or need_level in self.need_levels)
            and (self.valid_until_to is None or valid_until <= self.valid_until_to)
            and (not self.case_number or self.case_number.casefold() in case_number.casefold())
            and (self.priority_from is None or priority_score >= self.priority_from)
        )
