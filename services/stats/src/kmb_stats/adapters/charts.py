"""Charts of a report as inline SVG, drawn on the server with pygal (no script needed to see them).

Every chart is read from the report's own tables, so a suppressed report gives suppressed charts:
a hidden cell ("<5", "x") is left out of the chart and the chart says so. Each chart carries the
table it was drawn from, shown next to it as its text alternative. Colours keep a contrast of at
least 3:1 against white (WCAG 1.4.11), text at least 4.5:1.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygal
from pygal.style import Style

from ..domain import Report, Table
from ..domain.report_tables import TOTAL_KEY

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#c3cad2",
    font_family="'Source Sans Pro', 'DejaVu Sans', Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
    value_font_size=12,
    colors=("#1c5d99", "#a8540a", "#2e7d4f", "#a4262c", "#6b4c9a", "#5f6b78"),
    opacity="1",
    opacity_hover="1",
)
COMMON = {
    "style": STYLE,
    "js": [],  # no external script: the SVG is complete as served and printed
    "disable_xml_declaration": True,
    "explicit_size": False,
    "width": 800,
    "height": 380,
    "no_data_text": "Bez údajů",
    "print_values": False,  # the exact values are in the table next to each chart
    "legend_at_bottom": True,
}
HIDDEN_NOTE = "Skryté hodnoty („<5“, „x“) nejsou v grafu vyneseny."


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str
    table: Table
    note: str | None = None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _value_labels(values: list[float | None]) -> dict[str, object]:
    """Whole-number ticks for small counts (pygal would label 0.2, 0.4, ... otherwise)."""
    top = max((v for v in values if v is not None), default=None)
    if top is None or top > 10:
        return {}
    return {"y_labels": list(range(int(top) + 1))}


def _body(table: Table) -> list[tuple[str, tuple[object, ...]]]:
    return [(row.label, row.values) for row in table.rows if row.key != TOTAL_KEY]


def _hidden(table: Table, columns: list[int]) -> bool:
    return any(isinstance(values[i], str) for _label, values in _body(table) for i in columns)


def _bars(key: str, table: Table, column: str, title: str) -> Chart:
    index = table.column_index(column)
    rows = list(reversed(_body(table)))  # pygal draws the first label at the bottom
    numbers = [_number(values[index]) for _label, values in rows]
    chart = pygal.HorizontalBar(show_legend=False, **COMMON, **_value_labels(numbers))
    chart.x_labels = [label for label, _values in rows]
    chart.add(table.columns[index].label, numbers)
    note = HIDDEN_NOTE if _hidden(table, [index]) else None
    return Chart(key, title, chart.render(is_unicode=True), table, note)


def _series(key: str, table: Table, title: str, *, kind: str) -> Chart:
    indexes = [i for i, column in enumerate(table.columns) if column.key != TOTAL_KEY]
    rows = _body(table)
    lines = {i: [_number(values[i]) for _label, values in rows] for i in indexes}
    ticks = _value_labels([v for line in lines.values() for v in line])
    chart = (pygal.Line if kind == "line" else pygal.Bar)(x_label_rotation=30, **COMMON, **ticks)
    chart.x_labels = [label for label, _values in rows]
    for i, line in lines.items():
        chart.add(table.columns[i].label, line)
    note = HIDDEN_NOTE if _hidden(table, indexes) else None
    return Chart(key, title, chart.render(is_unicode=True), table, note)


def report_charts(report: Report) -> list[Chart]:
    """Need by ETHOS category and by district, the trend over time, and referral outcomes."""
    return [
        _bars(
            "ethos",
            report.table("need_by_ethos"),
            "hh",
            "Domácnosti v bytové nouzi podle kategorie ETHOS (ke konci období)",
        ),
        _bars(
            "district",
            report.table("need_by_district"),
            "hh",
            "Domácnosti v bytové nouzi podle městské části (ke konci období)",
        ),
        _series("trend", report.table("trend"), "Vývoj v období", kind="line"),
        _series(
            "referrals",
            report.table("referrals_by_partner"),
            "Předání partnerům a jejich výsledek",
            kind="bar",
        ),
    ]
