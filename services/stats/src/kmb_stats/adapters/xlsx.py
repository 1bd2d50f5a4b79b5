"""XLSX rendering of a report: one sheet per section, Czech headings, numbers as numbers."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from kmb_shared.formatting import format_date

from ..domain.report_model import Report, Section, Table
from .text import REPORT_NAME, WHOLE_AREA

#: short sheet names (Excel allows at most 31 characters)
SHEET_NAMES = {
    "summary": "Souhrn",
    "contacts": "Kontakty",
    "cases": "Případy",
    "need": "Bytová nouze",
    "register": "Evidence",
    "referrals": "Předání",
    "catalogue": "Katalog",
    "trend": "Vývoj",
}

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
ITALIC = Font(italic=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="DDE4EE", end_color="DDE4EE")
_INVALID = re.compile(r"[\[\]\*\?/\\:]")


def sheet_name(section: Section, taken: set[str]) -> str:
    base = SHEET_NAMES.get(section.key) or _INVALID.sub(" ", section.title)[:31]
    name, n = base, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _write_table(sheet: Worksheet, table: Table, row: int) -> int:
    sheet.cell(row=row, column=1, value=table.title).font = BOLD
    row += 1
    for col, text in enumerate([table.row_header, *(c.label for c in table.columns)], start=1):
        cell = sheet.cell(row=row, column=col, value=text)
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for index, data in enumerate(table.rows):
        row += 1
        is_total = table.total_row and index == len(table.rows) - 1
        sheet.cell(row=row, column=1, value=data.label).font = BOLD if is_total else Font()
        for col, value in enumerate(data.values, start=2):
            cell = sheet.cell(row=row, column=col, value=value)
            if is_total or (table.total_column and col == len(data.values) + 1):
                cell.font = BOLD
            if isinstance(value, float):
                cell.number_format = "0.0"
    if table.note:
        row += 1
        sheet.cell(row=row, column=1, value=table.note).font = ITALIC
    return row + 2


def _write_section(sheet: Worksheet, report: Report, section: Section) -> None:
    sheet.cell(row=1, column=1, value=section.title).font = TITLE
    period = report.period
    span = f"{period.label} ({format_date(period.start)} – {format_date(period.end)})"
    sheet.cell(row=2, column=1, value=f"{REPORT_NAME}, období: {span}")
    sheet.cell(row=3, column=1, value=f"Městská část / obec: {report.district or WHOLE_AREA}")
    row = 5
    for table in section.tables:
        row = _write_table(sheet, table, row)
    sheet.cell(row=row, column=1, value="Vysvětlivky").font = BOLD
    for note in report.notes:
        row += 1
        sheet.cell(row=row, column=1, value=note).font = ITALIC
    sheet.column_dimensions["A"].width = 55
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 16


def to_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook (bytes), one sheet per section."""
    workbook = Workbook()
    default = workbook.active
    taken: set[str] = set()
    for section in report.sections:
        sheet = workbook.create_sheet(sheet_name(section, taken))
        _write_section(sheet, report, section)
    if default is not None:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
