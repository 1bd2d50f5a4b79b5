"""Base classes of the integration events that services exchange over Kafka.

Every event is a frozen pydantic model with an explicit, versioned type string
``kmb.<context>.<event>.v<N>``. The type string is declared on the class and never derived
from a module path, so moving code never changes a contract.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class Contract(BaseModel):
    """A frozen value object that is part of a published contract."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Actor(Contract):
    """Who caused an event: a pseudonymous user id and the organisation acting."""

    user_id: str = Field(description="Pseudonymous user id (never a name)")
    organisation: str = Field(description="Slug of the acting organisation, e.g. 'kmb' or a partner slug")


SYSTEM_ACTOR = Actor(user_id="system", organisation="kmb")


class IntegrationEvent(Contract):
    """Base of every event. Subclasses set ``event_type`` and the field that names the subject."""

    event_type: ClassVar[str]
    #: name of the field whose value is the CloudEvents subject and the Kafka key
    subject_field: ClassVar[str] = "case_id"

    occurred_at: datetime = Field(default_factory=utcnow, description="When it happened (UTC)")
    actor: Actor = Field(default=SYSTEM_ACTOR, description="Who did it")
    caused_by: str | None = Field(
        default=None, description="Id of the event or request this event answers (audit trail)"
    )

    @property
    def subject(self) -> str:
        value: Any = getattr(self, self.subject_field)
        return str(value)

    @classmethod
    def context(cls) -> str:
        """The bounded context in the type string: ``kmb.<context>.<event>.v<N>``."""
        return cls.event_type.split(".")[1]


class CaseEvent(IntegrationEvent):
    """An event about one case; the case id is the subject and the Kafka key."""

    case_id: UUID
