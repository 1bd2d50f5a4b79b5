"""Reading a stored report back: the inverse of :func:`kmb_stats.domain.report_dict`.

An issued report is stored as JSON and rendered (CSV, XLSX, the printable page) from that JSON, so
what an office hands out later is exactly what was issued. Row fact keys (used only while
suppressing) are not stored and come back empty.
"""

from __future__ import annotations

from typing import Any

from .domain import Column, Period, Report, Row, Section, Table


def _table(data: dict[str, Any]) -> Table:
    columns = tuple(Column(c["key"], c["label"], c.get("kind", "count")) for c in data["columns"])
    rows = tuple(Row(r["key"], r["label"], tuple(r["values"])) for r in data["rows"])
    return Table(
        key=data["key"],
        title=data["title"],
        row_header=data["row_header"],
        columns=columns,
        rows=rows,
        total_row=bool(data.get("total_row")),
        total_column=bool(data.get("total_column")),
        suppressible=bool(data.get("suppressible", True)),
        note=data.get("note"),
    )


def report_from_dict(data: dict[str, Any]) -> Report:
    """The :class:`Report` that ``report_dict`` turned into ``data``."""
    sections = tuple(
        Section(s["key"], s["title"], tuple(_table(t) for t in s["tables"])) for s in data["sections"]
    )
    return Report(
        period=Period.parse(data["period"]["code"]),
        suppressed=bool(data["suppressed"]),
        sections=sections,
        district=data.get("district"),
        notes=tuple(data.get("notes", ())),
    )
