"""Human-readable case numbers ``KMB-<year>-<5 digits>``. Allocating the sequence (never reused)
is the persistence layer's job; this is only the format."""

from __future__ import annotations

import re
from typing import NamedTuple

from .errors import InvalidCaseNumber

_PATTERN = re.compile(r"^KMB-(\d{4})-(\d{5})$")
MAX_SEQUENCE = 99_999


class CaseNumber(NamedTuple):
    year: int
    sequence: int

    def __str__(self) -> str:
        return format_case_number(self.year, self.sequence)


def format_case_number(year: int, seq: int) -> str:
    """``format_case_number(2026, 42) == "KMB-2026-00042"``; raises ``InvalidCaseNumber`` when the
    year is not four digits or the sequence is outside 1..99999."""
    if not 1000 <= year <= 9999 or not 1 <= seq <= MAX_SEQUENCE:
        raise InvalidCaseNumber(value=f"{year}/{seq}")
    return f"KMB-{year:04d}-{seq:05d}"


def parse_case_number(s: str) -> CaseNumber:
    """The year and sequence of ``KMB-YYYY-NNNNN``; raises ``InvalidCaseNumber`` otherwise."""
    match = _PATTERN.match(s)
    if match is None:
        raise InvalidCaseNumber(value=s)
    year, seq = int(match.group(1)), int(match.group(2))
    if year < 1000 or seq < 1:
        raise InvalidCaseNumber(value=s)
    return CaseNumber(year, seq)
