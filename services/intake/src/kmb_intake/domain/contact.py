"""Input model of a contact (§12 housing advice): every contact counts, anonymous ones too."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, model_validator

from .field_types import (
    ChannelCode,
    InputModel,
    OptionalNote,
    PastDate,
    TopicCode,
    WorkerId,
    input_error,
    non_empty,
    unique,
)

MINUTES_PER_DAY = 24 * 60


class ContactIn(InputModel):
    """One contact with a client. No personal data: ``note`` is a short free text."""

    channel: ChannelCode
    contact_date: PastDate
    topics: Annotated[
        tuple[TopicCode, ...],
        AfterValidator(unique),
        AfterValidator(non_empty("no_topics")),
        Field(json_schema_extra={"minItems": 1}),
    ]
    duration_minutes: int = Field(ge=0, le=MINUTES_PER_DAY)
    note: OptionalNote = None
    worker_id: WorkerId = Field(description="Pseudonymous id of the worker")
    case_id: UUID | None = None
    anonymous: bool = Field(default=False, description="The person did not give their identity")

    @model_validator(mode="after")
    def _anonymous_has_no_case(self) -> ContactIn:
        if self.anonymous and self.case_id is not None:
            raise input_error("anonymous_contact_with_case", field="case_id")
        return self
