"""Helpers of the diary and documents tests: a real small PDF, the service's clock and settings."""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime
from typing import Any

from pypdf import PdfWriter

from kmb_intake.entrypoints.deps import DEPS_STATE
from kmb_shared.clock import FixedClock

from .support import AUDITOR, Intake


def small_pdf() -> bytes:
    """A real one-page PDF (made with pypdf, the project's PDF library in tests)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": "Nájemní smlouva"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _replace_deps(intake: Intake, **changes: Any) -> None:
    app: Any = intake.transport.app  # type: ignore[attr-defined]
    setattr(app.state, DEPS_STATE, dataclasses.replace(getattr(app.state, DEPS_STATE), **changes))


def fix_clock(intake: Intake, moment: datetime) -> FixedClock:
    """The service's clock stands at ``moment`` (moved with ``set``) instead of the real time."""
    clock = FixedClock(moment)
    _replace_deps(intake, clock=clock)
    return clock


def limit_documents(intake: Intake, max_mb: float) -> None:
    """The service runs as with ``KMB_INTAKE_DOCUMENT_MAX_MB=max_mb``."""
    app: Any = intake.transport.app  # type: ignore[attr-defined]
    settings = getattr(app.state, DEPS_STATE).settings
    _replace_deps(intake, settings=settings.model_copy(update={"document_max_mb": max_mb}))


async def views(intake: Intake, case_id: str) -> list[tuple[str, str, str]]:
    """(user, kind, channel) of the case's view log, the latest first."""
    response = await intake.client.get("/api/audit/views", params={"case_id": case_id}, headers=AUDITOR)
    assert response.status_code == 200, response.text
    return [(v["user_id"], v["kind"], v["channel"]) for v in response.json()]
