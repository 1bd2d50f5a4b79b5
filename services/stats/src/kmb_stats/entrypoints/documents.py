"""A report as a file to download: JSON, CSV (semicolons, UTF-8 with BOM), XLSX or PDF (the printable
page with its charts). Whoever calls this decides which version (suppressed or not) is handed out."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, Literal

from fastapi import HTTPException, Request, Response

from ..adapters.pdf import PdfUnavailable, html_to_pdf
from ..domain import Report, to_csv_bytes, to_json, to_xlsx
from .charts import report_charts
from .web import pages

log = logging.getLogger(__name__)

Format = Literal["json", "csv", "xlsx", "pdf"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "pdf", "json")
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


async def printable_pdf(request: Request, report: Report, **context: Any) -> bytes:
    """The printable report (charts and every table) as PDF; 503 in Czech when PDF is unavailable."""
    html = (
        pages(request)
        .env.get_template("report_pdf.html")
        .render(report=report, charts=report_charts(report), **context)
    )
    try:
        return await html_to_pdf(html)
    except PdfUnavailable as exc:
        log.error("PDF output unavailable: %s", exc)
        raise HTTPException(
            status_code=503,
            detail={
                "code": "pdf_unavailable",
                "message_cs": "PDF nyní nelze vytvořit; stáhněte výkaz jako CSV nebo XLSX.",
                "message_en": "PDF cannot be made now; download the report as CSV or XLSX.",
            },
        ) from exc


async def report_file(
    request: Request,
    report: Report,
    fmt: Format,
    name: str,
    *,
    issued: dict[str, Any] | None = None,
    as_of: date | None = None,
) -> Response:
    """The report as an attachment in ``fmt``; ``issued`` (an issued report's description) or
    ``as_of`` (the day a draft was computed) is printed in the PDF's heading."""
    if fmt == "json":
        body = to_json(report).encode()
    elif fmt == "csv":
        body = to_csv_bytes(report)
    elif fmt == "xlsx":
        body = to_xlsx(report)
    else:
        body = await printable_pdf(request, report, issued=issued, as_of=as_of)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content=body, media_type=MEDIA[fmt], headers=headers)
