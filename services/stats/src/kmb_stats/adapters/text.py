"""Text renderings of a report: JSON for machines, one CSV file for spreadsheets.

CSV layout (one file, chosen over a zip of files so it opens with one click): semicolon
separated with decimal commas, as Czech Excel expects; a header block (report name, period,
dates, district), then per section a line ``Oddíl;<title>`` and per table a line
``Tabulka;<title>``, the column header line, the rows, an optional ``Poznámka;<note>`` line
and an empty line; the legend (``Vysvětlivky``) comes last. :func:`to_csv_bytes` adds a UTF-8
byte order mark so Excel detects the encoding.
"""

from __future__ import annotations

import csv
import io
import json

from kmb_shared.formatting import format_date

from ..domain.report_codec import report_dict
from ..domain.report_model import Cell, Report

REPORT_NAME = "Statistika kontaktního místa pro bydlení"
WHOLE_AREA = "celé území"


def to_json(report: Report) -> str:
    """UTF-8 JSON text with Czech labels; suppressed cells are the strings "<5" and "x"."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2)


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def to_csv(report: Report) -> str:
    """The whole report as one semicolon-separated CSV text (see the module docstring)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    period = report.period
    writer.writerow([REPORT_NAME, period.label, format_date(period.start), format_date(period.end)])
    writer.writerow(["Městská část / obec", report.district or WHOLE_AREA])
    writer.writerow([])
    for section in report.sections:
        writer.writerow(["Oddíl", section.title])
        for table in section.tables:
            writer.writerow(["Tabulka", table.title])
            writer.writerow([table.row_header, *(c.label for c in table.columns)])
            for row in table.rows:
                writer.writerow([row.label, *(_csv_cell(v) for v in row.values)])
            if table.note:
                writer.writerow(["Poznámka", table.note])
            writer.writerow([])
    writer.writerow(["Vysvětlivky"])
    for note in report.notes:
        writer.writerow([note])
    return buffer.getvalue()


def to_csv_bytes(report: Report) -> bytes:
    """:func:`to_csv` encoded as UTF-8 with a byte order mark (for Excel)."""
    return to_csv(report).encode("utf-8-sig")
