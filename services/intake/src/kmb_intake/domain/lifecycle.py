"""The case lifecycle: open -> closed (with a reason) -> open again (reopened)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from .codes import CLOSE_REASONS
from .errors import CaseAlreadyClosed, CaseAlreadyOpen, UnknownCode


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class CaseLifecycle:
    """The lifecycle state of one case. Transitions return a new state and never mutate."""

    status: CaseStatus = CaseStatus.OPEN
    close_reason: str | None = None
    closed_on: date | None = None
    reopen_count: int = 0

    @property
    def is_open(self) -> bool:
        return self.status is CaseStatus.OPEN

    def close(self, reason: str, on: date) -> CaseLifecycle:
        """Close with a reason from ``CLOSE_REASONS``; a closed case raises ``CaseAlreadyClosed``."""
        if not self.is_open:
            raise CaseAlreadyClosed()
        if reason not in CLOSE_REASONS:
            raise UnknownCode(
                value=reason, code_list=CLOSE_REASONS.name, allowed=", ".join(CLOSE_REASONS.codes)
            )
        return replace(self, status=CaseStatus.CLOSED, close_reason=reason, closed_on=on)

    def reopen(self) -> CaseLifecycle:
        """Open a closed case again; an open case raises ``CaseAlreadyOpen``."""
        if self.is_open:
            raise CaseAlreadyOpen()
        return CaseLifecycle(status=CaseStatus.OPEN, reopen_count=self.reopen_count + 1)
