"""Input models of a case: opening (household + consent), household changes, closing."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, model_validator

from .field_types import (
    BlankAsNone,
    CloseReasonCode,
    InputModel,
    LegalBasisCode,
    Note,
    OptionalNote,
    PartnerSlug,
    PastDate,
    WorkerId,
    input_error,
    unique,
)
from .household import HouseholdIn


class ConsentIn(InputModel):
    """The client's consent to processing and passing on personal data."""

    purpose: Annotated[Note, Field(min_length=1)]
    given_on: PastDate
    worker_id: WorkerId = Field(description="Pseudonymous id of the worker who recorded the consent")
    partners: Annotated[tuple[PartnerSlug, ...], AfterValidator(unique)] = Field(
        default=(), description="Slugs of the partners the consent covers"
    )


class CaseDataIn(HouseholdIn):
    """A household with the ground for processing its data: a consent, a legal basis, or both."""

    consent: ConsentIn | None = None
    legal_basis: Annotated[LegalBasisCode | None, BlankAsNone] = Field(
        default=None, description="Legal basis used instead of consent"
    )

    @model_validator(mode="after")
    def _consent_or_legal_basis(self) -> CaseDataIn:
        if self.consent is None and self.legal_basis is None:
            raise input_error("consent_or_legal_basis_required", field="consent")
        return self


class CaseIn(CaseDataIn):
    """Opening a case."""

    contact_id: UUID | None = Field(default=None, description="The contact at which the case is opened")


class HouseholdChangeIn(CaseDataIn):
    """A change of the household: the complete new state replaces the old one."""

    note: OptionalNote = Field(default=None, description="What changed and why")


class CloseCaseIn(InputModel):
    reason: CloseReasonCode
    note: OptionalNote = None

    @model_validator(mode="after")
    def _note_for_other_reason(self) -> CloseCaseIn:
        if self.reason == "other" and self.note is None:
            raise input_error("note_required_for_other", field="note")
        return self
