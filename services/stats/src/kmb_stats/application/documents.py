"""A report as a file to download: JSON, CSV (semicolons, UTF-8 with BOM), XLSX or PDF (the printable
page with its charts), and the charts a page shows. Whoever calls this decides which version
(suppressed or not) is handed out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

from ..adapters.charts import Chart, report_charts
from ..adapters.pdf import PdfUnavailable, html_to_pdf
from ..adapters.text import to_csv_bytes, to_json
from ..adapters.xlsx import to_xlsx
from ..domain import Report

__all__ = [
    "MEDIA",
    "Chart",
    "Format",
    "PdfUnavailable",
    "drawn_charts",
    "file_name",
    "report_document",
]

Format = Literal["json", "csv", "xlsx", "pdf"]
MEDIA: dict[str, str] = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def file_name(period: str, district: str | None, fmt: str, *, draft: bool = False) -> str:
    """``kmb-statistika-2026-Q1-Praha_7.csv``: ASCII only, so every browser keeps it."""
    parts = ["kmb-statistika", period] + ([district] if district else []) + (["prubezny"] if draft else [])
    name = "-".join(parts) + f".{fmt}"
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-.") else "_" for ch in name)


async def report_document(
    report: Report, fmt: Format, printable: Callable[[Report, list[Chart]], str]
) -> bytes:
    """The report in ``fmt``, made in a worker thread; for PDF, ``printable`` gives the HTML page
    (report and its charts) that is printed. Raises :class:`PdfUnavailable` when PDF cannot be made."""
    if fmt == "pdf":
        return await html_to_pdf(await asyncio.to_thread(lambda: printable(report, report_charts(report))))
    return await asyncio.to_thread(_text_document, report, fmt)


def _text_document(report: Report, fmt: Format) -> bytes:
    if fmt == "json":
        return to_json(report).encode()
    if fmt == "csv":
        return to_csv_bytes(report)
    return to_xlsx(report)


async def drawn_charts(report: Report) -> list[Chart]:
    """The report's charts (drawn in a worker thread)."""
    return await asyncio.to_thread(report_charts, report)
