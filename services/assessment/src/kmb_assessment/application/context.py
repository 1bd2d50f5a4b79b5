"""Who acts in a command, when, and why; and the refusal of a survey that depends on today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kmb_shared.contracts import Actor


@dataclass(frozen=True)
class CommandContext:
    """Who acts, when (``today`` at the contact point), and which request caused it."""

    actor: Actor
    now: datetime
    today: date
    caused_by: str | None = None
    #: the signed-in person's name, shown to people (the actor's id stays the record of who acted)
    actor_name: str = ""


class InvalidSurvey(Exception):
    """A survey the request validation could not refuse by itself (it depends on today): HTTP 422."""

    def __init__(self, field: str, code: str, message_cs: str, message_en: str) -> None:
        super().__init__(message_en)
        self.field, self.code, self.message_cs, self.message_en = field, code, message_cs, message_en
