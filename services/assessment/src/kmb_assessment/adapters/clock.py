"""The clock of the contact point: now in UTC, today in Prague (or the day the settings fix)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ..config import AssessmentSettings


class OfficeClock:
    def __init__(self, settings: AssessmentSettings) -> None:
        self.settings = settings

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.settings.today()
