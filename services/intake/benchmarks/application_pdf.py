"""How long an application's A4 PDF takes to render (issue 12: target < 1 s on this machine).

Renders the housing-allowance application of a two-member household (pre-filled as the page does, with
its checklist) through the same template and ``kmb_shared.web.pdf.html_to_pdf`` as a print on the page,
``--runs`` times after one warm-up, and prints the median and the slowest time.

    .venv/bin/python services/intake/benchmarks/application_pdf.py [--runs 10] [--kind housing_allowance]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

from kmb_intake.adapters.applications import ApplicationRow
from kmb_intake.adapters.tables import CaseRow
from kmb_intake.application.applications import ApplicationView
from kmb_intake.bootstrap import build_app
from kmb_intake.config import IntakeSettings
from kmb_intake.domain.applications import checklist, missing, prefill
from kmb_intake.entrypoints.applications import application_pdf, kinds_of

HOUSEHOLD: dict[str, Any] = {
    "members": [
        {"first_name": "Radka", "last_name": "Šimůnková", "date_of_birth": "1987-06-04", "relationship": "applicant",
         "birth_number": "8756040007", "incomes": [{"source": "employment", "amount_monthly": 18500}]},
        {"first_name": "Oldřich", "last_name": "Šimůnek", "date_of_birth": "1952-11-20", "relationship": "parent",
         "incomes": [{"source": "pension", "amount_monthly": 14250}]},
    ],
    "phone": "604 112 233",
    "address": {"street": "Dělnická 1187/14", "municipality": "Praha", "postal_code": "17000", "district": "Praha 7"},
    "dwelling": {"kind": "flat", "legal_title": "lease"},
    "costs": {"rent": 12400, "services": 2600, "energy": 1900},
}  # fmt: skip


def sample(folder: str, kind_code: str) -> Callable[[], Awaitable[bytes]]:
    """The renderer of the sample household's application of ``kind_code`` as printed (final), on an
    intake app over a SQLite file in ``folder`` (only its templates and settings are used)."""
    app = build_app(IntakeSettings(database_url=f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"))
    request: Any = SimpleNamespace(app=app)
    kind = kinds_of(request)[kind_code]
    today = date.today()
    values = {**prefill(kind, HOUSEHOLD, None, today), "period": "1. čtvrtletí 2026"}
    now = datetime.now(UTC)
    case = CaseRow(id=uuid4(), number="KMB-2026-00001", organisation="kmb", household=json.dumps(HOUSEHOLD))
    row = ApplicationRow(case_id=case.id, organisation="kmb", kind=kind.code, group=kind.group, title=kind.title,
                         values=json.dumps(values), created_by="w", created_at=now, updated_at=now)  # fmt: skip
    view = ApplicationView(
        row, kind, values, missing(kind, values), checklist(kind, [("lease", "smlouva.pdf")]), []
    )
    return lambda: application_pdf(request, case, view, final=True, number=1, today=today)


async def main(runs: int, kind_code: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        render = sample(folder, kind_code)
        await render()  # warm-up: fonts, imports
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            pdf = await render()
            times.append(time.perf_counter() - started)
        print(
            f"application PDF ({kind_code}, {len(pdf) / 1024:.0f} kB): median {statistics.median(times):.3f} s, "
            f"slowest {max(times):.3f} s over {runs} runs (target < 1 s)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--kind", default="housing_allowance")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.kind))
