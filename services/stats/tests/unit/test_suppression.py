"""Small-cell suppression, worked out by hand. "<5" = primary (1–4), "x" = secondary (hidden, ≥ 5)."""

from __future__ import annotations

from kmb_stats.domain import Column, Line, Row, Table, plan_suppression, suppress_tables
from kmb_stats.domain.report_model import Cell


def column_table(values: list[int], facts: list[str | None] | None = None) -> Table:
    """One count column; the last value is the total of the others."""
    names = facts or [None] * len(values)
    rows = tuple(Row(f"r{i}", f"r{i}", (v,), (names[i],)) for i, v in enumerate(values))
    return Table("t", "t", "", (Column("n", "n"),), rows, total_row=True)


def cells(table: Table) -> list[list[Cell]]:
    return [list(row.values) for row in table.rows]


def test_counts_of_one_to_four_become_less_than_five_and_zero_stays() -> None:
    rows = tuple(Row(f"r{v}", "", (v,)) for v in (0, 1, 4, 5, 12))
    table = Table("t", "t", "", (Column("n", "n"),), rows)  # no totals: primary suppression only
    assert cells(suppress_tables([table])[0]) == [[0], ["<5"], ["<5"], [5], [12]]


def test_total_that_would_reveal_the_single_small_cell_gets_a_secondary_cell() -> None:
    # 10 + 2 + 7 = 19. Hiding only the 2 fails: 19 - 10 - 7 = 2. The smallest other non-zero
    # cell, 7, is hidden too; a reader then knows only "<5" + x = 19 - 10 = 9, i.e. 1..4 and 5..8.
    table = column_table([10, 2, 7, 19])
    assert cells(suppress_tables([table])[0]) == [[10], ["<5"], ["x"], [19]]


def test_zero_is_never_chosen_as_the_secondary_cell() -> None:
    # 0 + 3 + 6 = 9: the 0 reveals nothing and hiding it would not help, so the 6 is hidden
    table = column_table([0, 3, 6, 9])
    assert cells(suppress_tables([table])[0]) == [[0], ["<5"], ["x"], [9]]


def test_a_small_total_is_itself_suppressed() -> None:
    # 3 + 0 = 3: both the 3 and the total 3 are 1..4; the line has two hidden cells and no third is needed
    table = column_table([3, 0, 3])
    assert cells(suppress_tables([table])[0]) == [["<5"], [0], ["<5"]]


def test_secondary_cell_is_widened_when_the_bounds_pin_the_small_cell() -> None:
    # 1 + 5 + 20 = 26. After hiding 1 and 5: "<5" + x = 26 - 20 = 6, and x ≥ 5 forces "<5" = 1.
    # So 20 is hidden as well: "<5" + x + x = 26 with x ≥ 5 leaves "<5" anywhere in 1..4.
    table = column_table([1, 5, 20, 26])
    assert cells(suppress_tables([table])[0]) == [["<5"], ["x"], ["x"], [26]]


def test_the_total_is_hidden_when_no_member_is_left_to_hide() -> None:
    # 1 + 5 = 6: hiding 1 and 5 still pins them (1 + 5 is the only split of 6 into 1..4 and ≥ 5),
    # no member is left, so the total goes too
    table = column_table([1, 5, 6])
    assert cells(suppress_tables([table])[0]) == [["<5"], ["x"], ["x"]]


def test_two_dimensional_table_hides_until_no_row_or_column_has_a_single_hidden_cell() -> None:
    #         X    Y    Z  | total
    #   A    12    3    9  |  24
    #   B     8   15    6  |  29
    #   C     7   11   20  |  38
    #   tot  27   29   35  |  91
    # Rows first, then columns, repeated until nothing changes:
    # pass 1: row A has 3 (primary) alone -> smallest other non-zero in A is 9 (A.Z);
    #         column Y has A.Y alone -> smaller of 15, 11 is 11 (C.Y);
    #         column Z has A.Z alone -> smaller of 6, 20 is 6 (B.Z)
    # pass 2: row B has B.Z alone -> smaller of 8, 15 is 8 (B.X); row C has C.Y alone -> smaller of 7, 20 is 7 (C.X)
    # pass 3: every row and column holds two hidden cells; bounds pin nothing (e.g. row A: "<5" + x = 12)
    grid = [[12, 3, 9, 24], [8, 15, 6, 29], [7, 11, 20, 38], [27, 29, 35, 91]]
    columns = tuple(Column(k, k) for k in ("X", "Y", "Z", "total"))
    rows = tuple(Row(k, k, tuple(grid[i])) for i, k in enumerate(("A", "B", "C", "total")))
    table = Table("t", "t", "", columns, rows, total_row=True, total_column=True)
    assert cells(suppress_tables([table])[0]) == [
        [12, "<5", "x", 24],
        ["x", 15, "x", 29],
        ["x", "x", 20, 38],
        [27, 29, 35, 91],
    ]


def test_linked_cells_in_other_tables_are_hidden_together() -> None:
    # the detail table 1 + 5 = 6 must hide its total (see above); the summary repeats that total
    # as the same fact, so it is hidden there too, or the summary would undo the protection
    detail = column_table([1, 5, 6], facts=[None, None, "closed"])
    summary = Table("s", "s", "", (Column("n", "n"),), (Row("closed", "closed", (6,), ("closed",)),))
    protected = suppress_tables([detail, summary])
    assert cells(protected[1]) == [["x"]]


def test_a_median_from_fewer_than_five_observations_is_withheld() -> None:
    columns = (Column("n", "n"), Column("median", "median", kind="value", n_column="n"))
    rows = (Row("a", "a", (3, 12.5)), Row("b", "b", (8, 4.0)), Row("c", "c", (0, None)))
    table = Table("t", "t", "", columns, rows)
    assert cells(suppress_tables([table])[0]) == [["<5", "x"], [8, 4.0], [0, None]]


def test_tables_marked_not_suppressible_are_left_alone() -> None:
    rows = (Row("a", "a", (2,)), Row("total", "total", (2,)))
    table = Table("t", "t", "", (Column("n", "n"),), rows, total_row=True, suppressible=False)
    assert suppress_tables([table])[0] == table


def test_plan_names_primary_and_secondary_cells() -> None:
    values = {"a": 2, "b": 9, "c": 30, "t": 41}  # 2 + 9 + 30 = 41
    plan = plan_suppression(values, [Line(("a", "b", "c"), "t")])
    assert plan == {"a": "primary", "b": "secondary"}
