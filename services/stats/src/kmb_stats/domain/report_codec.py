"""A report as plain JSON values and back: how an issued report is stored.

An issued report is stored as JSON and rendered (CSV, XLSX, the printable page) from that JSON, so
what an office hands out later is exactly what was issued. Row fact keys (used only while
suppressing) are not stored and come back empty.
"""

from __future__ import annotations

from typing import Any

from .period import Period
from .report_model import Column, Report, Row, Section, Table


def _table_json(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "row_header": table.row_header,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
        "rows": [{"key": r.key, "label": r.label, "values": list(r.values)} for r in table.rows],
        "total_row": table.total_row,
        "total_column": table.total_column,
        "suppressible": table.suppressible,
        "note": table.note,
    }


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON values."""
    return {
        "period": {
            "code": report.period.code,
            "label": report.period.label,
            "from": report.period.start.isoformat(),
            "to": report.period.end.isoformat(),
        },
        "district": report.district,
        "suppressed": report.suppressed,
        "notes": list(report.notes),
        "sections": [
            {"key": s.key, "title": s.title, "tables": [_table_json(t) for t in s.tables]}
            for s in report.sections
        ],
    }


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
    """The :class:`Report` that :func:`report_dict` turned into ``data``."""
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
