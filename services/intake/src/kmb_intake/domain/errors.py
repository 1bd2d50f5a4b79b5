"""Domain errors. Each carries a code from the message table and renders in Czech and English."""

from __future__ import annotations

from typing import Any

from .messages import render


class DomainError(Exception):
    """A rule of the intake domain was broken; ``code`` is a key of the message table."""

    code: str = "invalid_value"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        if code is not None:
            self.code = code
        self.params = params
        super().__init__(self.message_en)

    @property
    def message_cs(self) -> str:
        return render(self.code, self.params)[0]

    @property
    def message_en(self) -> str:
        return render(self.code, self.params)[1]

    def to_dict(self) -> dict[str, str]:
        """The body the web layer returns: code and the message in both languages."""
        return {"code": self.code, "message_cs": self.message_cs, "message_en": self.message_en}


class InvalidTransition(DomainError):
    """A lifecycle transition not allowed from the current state (the web layer answers 409)."""


class CaseAlreadyClosed(InvalidTransition):
    code = "case_already_closed"


class CaseAlreadyOpen(InvalidTransition):
    code = "case_already_open"


class InvalidCaseNumber(DomainError, ValueError):
    code = "invalid_case_number"


class UnknownCode(DomainError, ValueError):
    code = "unknown_code"


class InvalidBirthNumber(DomainError, ValueError):
    """The birth number is malformed, has a wrong check digit or no valid date (see ``code``)."""

    code = "birth_number_format"
