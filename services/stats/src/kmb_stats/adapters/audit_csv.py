"""A case's audit timeline as a CSV file for a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

CSV_COLUMNS = (
    ("time", "Čas"),
    ("event", "Událost"),
    ("event_type", "Typ události"),
    ("actor", "Uživatel"),
    ("organisation", "Organizace"),
    ("summary", "Shrnutí"),
    ("trace_id", "Trace ID"),
    ("event_id", "Id události"),
    ("topic", "Topic"),
    ("partition", "Oddíl"),
    ("offset", "Offset"),
)


def timeline_csv(case_number: str | None, case_id: str, entries: Iterable[Mapping[str, Any]]) -> bytes:
    """The timeline as semicolon-separated CSV, UTF-8 with a byte order mark (for Czech Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Auditní stopa případu", case_number or "", case_id])
    writer.writerow([title for _key, title in CSV_COLUMNS])
    for item in entries:
        writer.writerow(["" if item.get(key) is None else item[key] for key, _title in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")
