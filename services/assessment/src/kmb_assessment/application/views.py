"""What the API returns and the pages show: views of the tables (pydantic models separate from them)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field, ValidationError

from kmb_shared.copying import same_fields

from ..adapters.tables import AssessmentRow, BindingOpinionRow, RegisterEntryRow, as_utc
from ..adapters.tables import AssessmentStatus as AssessmentStatus  # for the entrypoints
from ..adapters.tables import RegisterStatus as RegisterStatus  # for the entrypoints
from ..domain import RuleSet
from .results import AssessmentResult
from .survey import Survey

UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]


class BindingOpinionOut(BaseModel):
    """A binding opinion of the labour office (§18)."""

    referral_id: UUID
    partner: str
    positive: bool
    justified_housing_costs: int | None
    estimated_benefit: int | None
    issued_at: UtcDateTime

    @classmethod
    def of(cls, row: BindingOpinionRow) -> BindingOpinionOut:
        return cls.model_validate(row, from_attributes=True)


class RegistrationOut(BaseModel):
    """An entry in the register of people in need (§17) and its validity (§23)."""

    id: UUID
    assessment_id: UUID
    case_id: UUID
    case_number: str
    registered_on: date
    valid_until: date = Field(description="The last day the entry is valid")
    reassess_from: date = Field(description="From this day the entry is due for reassessment")
    status: str = Field(description="active, due, expired or superseded")
    expired_on: date | None = Field(description="The first day the entry was no longer valid")
    need_level: str
    ethos_category: int | None
    priority_score: int
    rule_set_version: str = Field(description="The rule set that set the validity")
    binding_opinions: list[BindingOpinionOut] = []
    household_size: int | None = Field(default=None, description="Members of the household assessed")

    @classmethod
    def of(
        cls,
        row: RegisterEntryRow,
        opinions: Sequence[BindingOpinionRow] = (),
        household_size: int | None = None,
    ) -> RegistrationOut:
        data = row.model_dump()
        data["binding_opinions"] = [BindingOpinionOut.of(item) for item in opinions]
        data["household_size"] = household_size
        return cls.model_validate(data)


class SurveyOut(Survey):
    """The survey as saved, with who saved it and when."""

    updated_at: UtcDateTime | None = None
    updated_by: str | None = None


class AssessmentOut(BaseModel):
    id: UUID
    case_id: UUID
    case_number: str
    status: str = Field(description="pending, submitted or cancelled")
    created_at: UtcDateTime
    household: dict[str, Any] = Field(description="The de-identified household (from intake) assessed")
    household_at: UtcDateTime | None = Field(description="When intake recorded that household")
    survey: SurveyOut | None
    submitted_at: UtcDateTime | None
    submitted_by: str | None = Field(description="Pseudonymous id of the worker who submitted it")
    organisation: str | None
    cancelled_at: UtcDateTime | None
    assessed_on: date | None
    rule_set_version: str | None
    need_level: str | None
    priority_score: int | None
    qualifies_for_register: bool | None
    result: AssessmentResult | None = Field(description="The result with its explanation, once submitted")
    registration: RegistrationOut | None = Field(description="The register entry this assessment made")
    binding_opinions: list[BindingOpinionOut] = Field(description="Binding opinions recorded on it")

    @classmethod
    def of(
        cls,
        row: AssessmentRow,
        entry: RegisterEntryRow | None = None,
        opinions: Sequence[BindingOpinionRow] = (),
    ) -> AssessmentOut:
        survey = None
        if row.survey is not None:
            survey = SurveyOut.model_validate(
                {
                    **json.loads(row.survey),
                    "updated_at": row.survey_updated_at,
                    "updated_by": row.survey_updated_by,
                }
            )
        return cls(
            **same_fields(
                row,
                cls,
                household=json.loads(row.household),
                survey=survey,
                result=_result(row.result),
                registration=None if entry is None else RegistrationOut.of(entry, opinions),
                binding_opinions=[BindingOpinionOut.of(item) for item in opinions],
            )
        )


def _result(text: str | None) -> AssessmentResult | None:
    if text is None:
        return None
    try:
        return AssessmentResult.model_validate_json(text)
    except ValidationError:
        return None  # a placeholder result of the thin flow (before revision 0002): columns only


class RuleSetOut(BaseModel):
    version: str
    effective_from: date
    title: str
    income_ceiling_coefficient: float
    in_force_today: bool
    unconfirmed: tuple[str, ...] = Field(description="Values whose legal source is not confirmed yet")

    @classmethod
    def of(cls, rules: RuleSet, in_force: RuleSet | None) -> RuleSetOut:
        return cls(
            version=rules.version,
            effective_from=rules.effective_from,
            title=rules.title,
            income_ceiling_coefficient=float(rules.income_ceiling_coefficient),
            in_force_today=in_force is not None and in_force.version == rules.version,
            unconfirmed=rules.unconfirmed,
        )


class CodeOut(BaseModel):
    code: str
    label: str = Field(description="Czech")


class SurveyCodesOut(BaseModel):
    """The codes the survey accepts, with Czech labels (for building the survey form)."""

    dwelling_kinds: list[CodeOut]
    legal_titles: list[CodeOut]
    vulnerability_flags: list[CodeOut]
    missing_facts: list[CodeOut]
    checked_documents: list[CodeOut]
