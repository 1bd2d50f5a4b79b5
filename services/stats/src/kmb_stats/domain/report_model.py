"""The shape of a report: sections of tables of labelled rows. Plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .period import Period

#: a cell: a count (int), a value such as a median (float), a suppression mark (str) or no data (None)
Cell = int | float | str | None


@dataclass(frozen=True)
class Column:
    """A column. ``count`` columns hold counts of people, households, cases, contacts or
    referrals and are suppressed; ``value`` columns (medians, percentages) are not counts and
    are withheld when ``n_column`` — the count they were computed from — is 1–4."""

    key: str
    label: str
    kind: Literal["count", "value"] = "count"
    n_column: str | None = None


@dataclass(frozen=True)
class Row:
    """A labelled row. ``facts`` names, per value, the quantity a count cell shows (e.g.
    "contacts"); cells across the report with the same fact are suppressed together."""

    key: str
    label: str
    values: tuple[Cell, ...]
    facts: tuple[str | None, ...] = ()

    def fact(self, index: int) -> str | None:
        return self.facts[index] if index < len(self.facts) else None


@dataclass(frozen=True)
class Table:
    """A table. With ``total_row`` the last row holds the column sums of the count columns; with
    ``total_column`` the last column holds the row sums of the other count columns."""

    key: str
    title: str
    row_header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total_row: bool = False
    total_column: bool = False
    suppressible: bool = True
    note: str | None = None

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def cell(self, row_key: str, column_key: str) -> Cell:
        """The cell at a row and column key (for tests and renderers)."""
        row = next(r for r in self.rows if r.key == row_key)
        return row.values[self.column_index(column_key)]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


@dataclass(frozen=True)
class Report:
    period: Period
    suppressed: bool
    sections: tuple[Section, ...]
    district: str | None = None
    notes: tuple[str, ...] = field(default=())

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def table(self, key: str) -> Table:
        return next(t for s in self.sections for t in s.tables if t.key == key)
