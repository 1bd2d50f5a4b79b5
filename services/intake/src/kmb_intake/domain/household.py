"""Input models of a household: members, their incomes, address, dwelling, costs and debts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, model_validator

from .ages import age_in_years, records_dependent_child, years_cs, years_en
from .birth_number import parse_birth_number
from .field_types import (
    Area,
    BirthDate,
    BirthNumberStr,
    BlankAsNone,
    Count,
    DependentChildCode,
    DwellingKindCode,
    Email,
    IncomeSourceCode,
    InputModel,
    LegalTitleCode,
    Money,
    Name,
    OptionalShortText,
    OrpCode,
    Phone,
    PostalCode,
    RelationshipCode,
    SexCode,
    VulnerabilityFlagCode,
    input_error,
    non_empty,
    today_from,
    unique,
)

ZERO = Decimal(0)


class IncomeIn(InputModel):
    """One monthly net income of a member."""

    source: IncomeSourceCode
    amount_monthly: Money = Field(description="Net monthly amount, CZK")


class MemberIn(InputModel):
    """A member of the household. The birth number, if given, must agree with the date of birth."""

    first_name: Name
    last_name: Name
    date_of_birth: BirthDate
    relationship: RelationshipCode = Field(description="Relationship to the applicant")
    sex: Annotated[SexCode | None, BlankAsNone] = None
    birth_number: Annotated[BirthNumberStr | None, BlankAsNone] = Field(
        default=None, description="Rodné číslo; stored as digits without the slash"
    )
    flags: Annotated[tuple[VulnerabilityFlagCode, ...], AfterValidator(unique)] = Field(
        default=(), description="Vulnerability flags of this member"
    )
    incomes: tuple[IncomeIn, ...] = Field(default=(), description="Monthly net incomes by source")
    dependent_child: DependentChildCode = Field(
        default="unknown",
        description=(
            "Only for a member aged 15 to 25 (age bands 15-17 and 18-25): is the member a dependent"
            " child (nezaopatřené dítě)? yes = studies, or cannot prepare for an occupation because of"
            " illness; no = does not study (counts as a further person 15+ in the subsistence minimum);"
            " unknown = not established (the default; null or blank mean the same). yes or no for a"
            " member of another age is refused (422)."
        ),
    )

    @model_validator(mode="after")
    def _dependent_child_only_from_15_to_25(self, info: ValidationInfo) -> MemberIn:
        today = today_from(info)
        if self.dependent_child != "unknown" and not records_dependent_child(self.date_of_birth, today):
            age = age_in_years(self.date_of_birth, today) if self.date_of_birth <= today else 0
            raise input_error(
                "dependent_child_age", field="dependent_child", age_cs=years_cs(age), age_en=years_en(age)
            )
        return self

    @model_validator(mode="after")
    def _birth_number_matches_date_of_birth(self) -> MemberIn:
        if self.birth_number is not None:
            encoded = parse_birth_number(self.birth_number).birth_date
            if encoded != self.date_of_birth:
                raise input_error(
                    "birth_number_mismatch",
                    field="birth_number",
                    birth_number_date=encoded.isoformat(),
                    date_of_birth=self.date_of_birth.isoformat(),
                )
        return self


class AddressIn(InputModel):
    """The current address. Only district and ORP code ever leave the intake service."""

    street: OptionalShortText = Field(default=None, description="Street and house number")
    municipality: OptionalShortText = None
    postal_code: Annotated[PostalCode | None, BlankAsNone] = None
    district: OptionalShortText = Field(default=None, description="Municipal district (městská část)")
    orp_code: OrpCode = Field(description="ORP code, 4 digits")


class DwellingIn(InputModel):
    kind: DwellingKindCode
    legal_title: LegalTitleCode
    size_m2: Area | None = None
    rooms: Count | None = None


class CostsIn(InputModel):
    """Monthly housing costs, CZK."""

    rent: Money = ZERO
    services: Money = ZERO
    energy: Money = ZERO


def _one_applicant(members: tuple[MemberIn, ...]) -> tuple[MemberIn, ...]:
    applicants = sum(1 for member in members if member.relationship == "applicant")
    if members and applicants != 1:
        raise input_error("applicant_count", count=applicants)
    return members


class HouseholdIn(InputModel):
    """The household as the worker records it (with personal data; stays in the intake service)."""

    members: Annotated[
        tuple[MemberIn, ...],
        AfterValidator(non_empty("no_members")),
        AfterValidator(_one_applicant),
        Field(json_schema_extra={"minItems": 1}),
    ]
    phone: Annotated[Phone | None, BlankAsNone] = None
    email: Annotated[Email | None, BlankAsNone] = None
    address: AddressIn
    dwelling: DwellingIn
    costs: CostsIn = CostsIn()
    arrears: Money = Field(default=ZERO, description="Arrears on rent and services, CZK")
    other_debts: Money = Field(default=ZERO, description="Other debts, CZK")
    notice_date: date | None = Field(default=None, description="Date of the notice to quit, if any")
    eviction_date: date | None = Field(default=None, description="Date of eviction, if any")
    vulnerability_flags: Annotated[tuple[VulnerabilityFlagCode, ...], AfterValidator(unique)] = Field(
        default=(), description="Household-level vulnerability flags"
    )
