"""Report periods: a calendar month, quarter or year ("2026-03", "2026-Q1", "2026")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kmb_shared.formatting import month_label

PeriodKind = Literal["month", "quarter", "year"]

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|[Qq](?P<quarter>[1-4])))?$")
#: the form :meth:`Period.parse` accepts, as a JSON-schema pattern (the month 01-12; the year 0000 refused)
PERIOD_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])|-[Qq][1-4])?$"


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first_of_next - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A calendar period; ``number`` is the month (1–12), the quarter (1–4) or 0 for a year."""

    year: int
    kind: PeriodKind
    number: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match(text.strip())
        if match is None:
            raise ValueError(
                f"Neplatné období {text!r}: použijte RRRR, RRRR-MM nebo RRRR-Qn "
                "(invalid period: use YYYY, YYYY-MM or YYYY-Qn)"
            )
        year = int(match["year"])
        if year < date.min.year:  # "0000" has the form of a year, but no calendar day of it exists
            raise ValueError(f"Neplatný rok v období {text!r} (invalid year)")
        if match["month"] is not None:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise ValueError(f"Neplatný měsíc v období {text!r} (invalid month)")
            return cls(year, "month", month)
        if match["quarter"] is not None:
            return cls(year, "quarter", int(match["quarter"]))
        return cls(year, "year")

    @property
    def start(self) -> date:
        if self.kind == "month":
            return date(self.year, self.number, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        if self.kind == "month":
            return _month_end(self.year, self.number)
        if self.kind == "quarter":
            return _month_end(self.year, 3 * self.number)
        return date(self.year, 12, 31)

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        """Czech name of the period, e.g. "březen 2026", "1. čtvrtletí 2026", "rok 2026"."""
        if self.kind == "month":
            return month_label(self.year, self.number)
        if self.kind == "quarter":
            return f"{self.number}. čtvrtletí {self.year}"
        return f"rok {self.year}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code
