"""The contact point's clock: the shared Prague clock (:class:`kmb_shared.clock.SystemClock`), whose day
the settings may fix for tests (``KMB_ASSESSMENT_TODAY_OVERRIDE``) while time runs on."""

from __future__ import annotations

from datetime import date

from kmb_shared.clock import SystemClock


class OfficeClock(SystemClock):
    """Now in UTC; today in Prague, or ``day`` when the settings fix it."""

    def __init__(self, day: date | None = None) -> None:
        self.day = day

    def today(self) -> date:
        return self.day if self.day is not None else super().today()
