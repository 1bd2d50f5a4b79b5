"""Helpers that turn grouped facts into report tables with fact keys for linked suppression."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .labels import label
from .report_model import Cell, Column, Row, Table

T = TypeVar("T")

TOTAL = "Celkem"
TOTAL_KEY = "total"
UNKNOWN = "unknown"


def fact(measure: str, **dims: object) -> str:
    """A name for one quantity, e.g. ``hh|need_level=roofless``; equal names mean equal numbers."""
    return "|".join([measure, *(f"{k}={v}" for k, v in sorted(dims.items()))])


def ordered(codes: Iterable[str], known: Mapping[str, str] | None = None) -> list[str]:
    """Codes in the order of the label mapping, then the others sorted, "unknown" last."""
    present = set(codes)
    first = [c for c in (known or {}) if c in present]
    rest = sorted(present - set(first) - {UNKNOWN}, key=lambda c: (len(c), c) if c.isdigit() else (0, c))
    return first + rest + ([UNKNOWN] if UNKNOWN in present else [])


@dataclass(frozen=True)
class Measure(Generic[T]):
    """A count column: its key, Czech label, fact measure name and what each item adds."""

    key: str
    label: str
    weight: Callable[[T], int]


def grouped_table(
    key: str,
    title: str,
    row_header: str,
    *,
    items: Sequence[T],
    dim: str,
    keys_of: Callable[[T], Iterable[str | None]],
    measures: Sequence[Measure[T]],
    labels: Mapping[str, str] | None = None,
    total: bool = True,
    base: Mapping[str, object] | None = None,
    codes: Iterable[str] = (),
    note: str | None = None,
) -> Table:
    """One row per code of ``dim`` (an item may count under several codes), one column per measure."""
    sums: dict[str, list[int]] = {code: [0] * len(measures) for code in codes}
    for item in items:
        for code in keys_of(item):
            row = sums.setdefault(UNKNOWN if code is None else str(code), [0] * len(measures))
            for i, measure in enumerate(measures):
                row[i] += measure.weight(item)
    base = dict(base or {})
    rows = []
    for code in ordered(sums, labels):
        facts = tuple(fact(m.key, **base, **{dim: code}) for m in measures)
        rows.append(Row(code, label(labels or {}, code), tuple(sums[code]), facts))
    if total:
        totals = tuple(sum(row.values[i] for row in rows) for i in range(len(measures)))  # type: ignore[misc]
        rows.append(Row(TOTAL_KEY, TOTAL, totals, tuple(fact(m.key, **base) for m in measures)))
    columns = tuple(Column(m.key, m.label) for m in measures)
    return Table(key, title, row_header, columns, tuple(rows), total_row=total, note=note)


def cross_table(
    key: str,
    title: str,
    *,
    items: Sequence[T],
    measure: str,
    row_dim: tuple[str, str, Callable[[T], str | None], Mapping[str, str]],
    col_dim: tuple[str, str, Callable[[T], str | None], Mapping[str, str]],
    note: str | None = None,
) -> Table:
    """Counts of items by two dimensions (name, Czech header, key function, labels), with totals."""
    row_name, row_header, row_of, row_labels = row_dim
    col_name, _col_header, col_of, col_labels = col_dim

    def code(value: str | None) -> str:
        return UNKNOWN if value is None else str(value)

    pairs = [(code(row_of(i)), code(col_of(i))) for i in items]
    row_codes = ordered((r for r, _ in pairs), row_labels)
    col_codes = ordered((c for _, c in pairs), col_labels)
    columns = [Column(c, label(col_labels, c)) for c in col_codes] + [Column(TOTAL_KEY, TOTAL)]
    rows = []
    for r in [*row_codes, None]:
        values: list[Cell] = []
        facts: list[str | None] = []
        for c in [*col_codes, None]:
            values.append(sum(1 for pr, pc in pairs if (r is None or pr == r) and (c is None or pc == c)))
            dims = {name: v for name, v in ((row_name, r), (col_name, c)) if v is not None}
            facts.append(fact(measure, **dims))
        row_label = TOTAL if r is None else label(row_labels, r)
        rows.append(Row(r or TOTAL_KEY, row_label, tuple(values), tuple(facts)))
    return Table(
        key, title, row_header, tuple(columns), tuple(rows), total_row=True, total_column=True, note=note
    )
