"""Small-cell suppression for figures that leave the office.

Algorithm
---------
1. Primary: every count of 1–4 is shown as "<5". Zero stays 0 (it reveals nobody).
2. Lines: a table with a total row gives one equation per count column (the cells above add up
   to the total); a total column gives one equation per row. A total is a cell of its line.
3. Secondary: a line may not hold exactly one hidden cell, or the total would give it away.
   Such a line gets one more hidden cell: the smallest non-zero visible cell among its members
   (ties: the first in row/column order), or its total when no member is left. Secondary cells
   are shown as "x" (they are 5 or more).
4. Bounds: a reader knows that "<5" is 1–4 and "x" is at least 5. A line is also exposed when
   these bounds and its total pin a hidden cell to a single value (e.g. "<5" + "x" = 6 forces
   1 + 5); it gets one more hidden cell in the same way.
5. Links: cells that show the same quantity in different tables (a table total repeated in the
   summary) are hidden together, so one table cannot undo another.
6. Steps 3–5 repeat until nothing changes. The result is deterministic.

Limits: each line is checked on its own (rows and columns, not the whole table as a system of
equations), and the greedy choice may hide more cells than an optimal pattern would.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace

from .report_model import Cell, Row, Table

PRIMARY_MARK = "<5"
SECONDARY_MARK = "x"
SMALL = range(1, 5)

PRIMARY = "primary"
SECONDARY = "secondary"

Pos = Hashable


@dataclass(frozen=True)
class Line:
    """An equation: the members add up to the total."""

    members: tuple[Pos, ...]
    total: Pos


def _bounds(pos: Pos, marks: Mapping[Pos, str]) -> tuple[float, float]:
    return (1.0, 4.0) if marks[pos] == PRIMARY else (5.0, math.inf)


def _pinned(line: Line, values: Mapping[Pos, int], marks: Mapping[Pos, str]) -> bool:
    """Whether the line's visible cells and the readers' bounds force a hidden cell's value."""
    signed = [(p, 1) for p in line.members] + [(line.total, -1)]
    known = sum(sign * values[p] for p, sign in signed if p not in marks)
    hidden = [(p, sign) for p, sign in signed if p in marks]
    # the signed contribution sign*x of each hidden cell lies in [low, high]
    spans = {}
    for p, sign in hidden:
        low, high = _bounds(p, marks)
        spans[p] = (low, high) if sign > 0 else (-high, -low)
    for p, sign in hidden:
        others_low = sum(spans[q][0] for q, _ in hidden if q != p)
        others_high = sum(spans[q][1] for q, _ in hidden if q != p)
        # sign*x = -known - others, so it lies in [-known - others_high, -known - others_low]
        low, high = -known - others_high, -known - others_low
        if sign < 0:
            low, high = -high, -low
        own_low, own_high = _bounds(p, marks)
        low, high = max(low, own_low), min(high, own_high)
        if low == high:
            return True
    return False


def _exposed(line: Line, values: Mapping[Pos, int], marks: Mapping[Pos, str]) -> bool:
    hidden = sum(1 for p in (*line.members, line.total) if p in marks)
    return hidden == 1 or (hidden > 1 and _pinned(line, values, marks))


def _next_cell(line: Line, values: Mapping[Pos, int], marks: Mapping[Pos, str]) -> Pos | None:
    candidates = [(values[p], i) for i, p in enumerate(line.members) if p not in marks and values[p] > 0]
    if candidates:
        return line.members[min(candidates)[1]]
    if line.total not in marks and values[line.total] > 0:
        return line.total
    return None


def plan_suppression(
    values: Mapping[Pos, int], lines: Sequence[Line] = (), links: Sequence[Sequence[Pos]] = ()
) -> dict[Pos, str]:
    """Decide which cells to hide: position -> "primary" (1–4) or "secondary" (hidden to protect)."""
    linked: dict[Pos, set[Pos]] = defaultdict(set)
    for group in links:
        for pos in group:
            linked[pos].update(group)
    marks: dict[Pos, str] = {}

    def hide(pos: Pos, mark: str) -> None:
        for other in {pos} | linked[pos]:
            if other not in marks:
                marks[other] = PRIMARY if values[other] in SMALL else mark

    for pos in values:
        if values[pos] in SMALL:
            hide(pos, PRIMARY)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if _exposed(line, values, marks):
                pick = _next_cell(line, values, marks)
                if pick is not None:
                    hide(pick, SECONDARY)
                    changed = True
    return marks


def _table_lines(index: int, table: Table, counts: list[int]) -> list[Line]:
    lines = []
    body = range(len(table.rows) - 1 if table.total_row else len(table.rows))
    if table.total_column:
        last = counts[-1]
        for r in range(len(table.rows)):
            lines.append(Line(tuple((index, r, c) for c in counts[:-1]), (index, r, last)))
    if table.total_row:
        for c in counts:
            lines.append(Line(tuple((index, r, c) for r in body), (index, len(table.rows) - 1, c)))
    return lines


def suppress_tables(tables: Sequence[Table]) -> list[Table]:
    """Apply the suppression rules to all suppressible tables of a report at once."""
    values: dict[Pos, int] = {}
    lines: list[Line] = []
    by_fact: dict[str, list[Pos]] = defaultdict(list)
    for t, table in enumerate(tables):
        if not table.suppressible:
            continue
        counts = [c for c, column in enumerate(table.columns) if column.kind == "count"]
        for r, row in enumerate(table.rows):
            for c in counts:
                value = row.values[c]
                if isinstance(value, int):
                    values[(t, r, c)] = value
                    fact = row.fact(c)
                    if fact is not None:
                        by_fact[fact].append((t, r, c))
        lines += [
            ln for ln in _table_lines(t, table, counts) if all(p in values for p in (*ln.members, ln.total))
        ]
    marks = plan_suppression(values, lines, list(by_fact.values()))
    return [
        _marked(t, table, values, marks) if table.suppressible else table for t, table in enumerate(tables)
    ]


def _marked(t: int, table: Table, values: Mapping[Pos, int], marks: Mapping[Pos, str]) -> Table:
    rows = []
    for r, row in enumerate(table.rows):
        cells: list[Cell] = []
        for c, (column, value) in enumerate(zip(table.columns, row.values, strict=True)):
            if (t, r, c) in marks:
                cells.append(PRIMARY_MARK if marks[(t, r, c)] == PRIMARY else SECONDARY_MARK)
            elif column.kind == "value" and column.n_column is not None:
                n = values.get((t, r, table.column_index(column.n_column)))
                cells.append(SECONDARY_MARK if n in SMALL else value)
            else:
                cells.append(value)
        rows.append(Row(row.key, row.label, tuple(cells), row.facts))
    return replace(table, rows=tuple(rows))
