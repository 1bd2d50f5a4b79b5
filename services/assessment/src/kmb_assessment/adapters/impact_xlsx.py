"""XLSX of an impact preview: one sheet per table the application hands over (Czech headings and
texts already made; numbers stay numbers), the header row bold and frozen."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

Cell = str | int | float | date | None
#: how a date cell reads in the sheet ("3. 12. 2026")
DATE_FORMAT = "d. m. yyyy"

BOLD = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="DDE4EE", end_color="DDE4EE")
_INVALID = re.compile(r"[\[\]\*\?/\\:]")


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of ``sheets`` as XLSX bytes."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for spec in sheets:
        sheet = book.create_sheet(_INVALID.sub(" ", spec.title)[:31])
        for column, text in enumerate(spec.headers, start=1):
            cell = sheet.cell(row=1, column=column, value=text)
            cell.font = BOLD
            cell.fill = HEADER_FILL
            width = max([len(text), *(len(_shown(row[column - 1])) for row in spec.rows[:200])])
            sheet.column_dimensions[get_column_letter(column)].width = min(60, max(10, width + 2))
        for row in spec.rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = DATE_FORMAT
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shown(value: Cell) -> str:
    if isinstance(value, date):
        return "00. 00. 0000"
    return str(value if value is not None else "")
