"""Annotated field types shared by the input models. Every custom check raises a
``PydanticCustomError`` whose type is a code of the message table, so ``localize_errors`` can
render it in Czech and English."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from . import codes
from .birth_number import BIRTH_NUMBER_PATTERN, parse_birth_number
from .codes import CodeList
from .contact_details import (
    MAX_SLUG,
    ORP_CODE_PATTERN,
    POSTAL_CODE_PATTERN,
    SLUG_PATTERN,
    is_slug,
    normalize_email,
    normalize_orp_code,
    normalize_phone,
    normalize_postal_code,
)
from .errors import InvalidBirthNumber
from .messages import MESSAGES

#: the oldest date of birth accepted, in years before "today"
MAX_AGE_YEARS = 130

T = TypeVar("T", bound=Hashable)


def input_error(code: str, **context: Any) -> PydanticCustomError:
    """A pydantic error whose type is ``code`` (a key of the message table). A ``field`` entry in
    the context names a sub-field for errors raised by a model-level validator."""
    return PydanticCustomError(code, MESSAGES[code].en, {k: str(v) for k, v in context.items()})


def today_from(info: ValidationInfo) -> date:
    """The reference date: ``context={"today": date}`` of ``model_validate`` or the real today."""
    context = info.context if isinstance(info.context, dict) else {}
    today = context.get("today")
    return today if isinstance(today, date) else date.today()


class InputModel(BaseModel):
    """Base of the API input models: unknown fields are rejected, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


@dataclass(frozen=True)
class InCodeList:
    """Annotated marker: the string must be a code of ``code_list`` (JSON schema gets an enum)."""

    code_list: CodeList

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["enum"] = list(self.code_list.codes)
        return json_schema

    def check(self, value: str) -> str:
        if value not in self.code_list:
            raise input_error(
                "unknown_code",
                value=value,
                code_list=self.code_list.name,
                allowed=", ".join(self.code_list.codes),
            )
        return value


ChannelCode = Annotated[str, InCodeList(codes.CONTACT_CHANNELS)]
TopicCode = Annotated[str, InCodeList(codes.CONTACT_TOPICS)]
RelationshipCode = Annotated[str, InCodeList(codes.RELATIONSHIPS)]
SexCode = Annotated[str, InCodeList(codes.SEXES)]
DwellingKindCode = Annotated[str, InCodeList(codes.DWELLING_KINDS)]
LegalTitleCode = Annotated[str, InCodeList(codes.LEGAL_TITLES)]
IncomeSourceCode = Annotated[str, InCodeList(codes.INCOME_SOURCES)]
VulnerabilityFlagCode = Annotated[str, InCodeList(codes.VULNERABILITY_FLAGS)]
CloseReasonCode = Annotated[str, InCodeList(codes.CLOSE_REASONS)]
LegalBasisCode = Annotated[str, InCodeList(codes.LEGAL_BASES)]


def _blank_to_unknown(value: Any) -> Any:
    return "unknown" if value is None or (isinstance(value, str) and not value.strip()) else value


#: yes / no / unknown; null or a blank string mean unknown
DependentChildCode = Annotated[str, BeforeValidator(_blank_to_unknown), InCodeList(codes.DEPENDENT_CHILD)]


def unique(values: tuple[T, ...]) -> tuple[T, ...]:
    """Drop repeated values, keeping the first occurrence's order."""
    return tuple(dict.fromkeys(values))


def non_empty(code: str) -> Callable[[tuple[T, ...]], tuple[T, ...]]:
    def check(values: tuple[T, ...]) -> tuple[T, ...]:
        if not values:
            raise input_error(code)
        return values

    return check


# --- numbers -------------------------------------------------------------------------------------


def _non_negative_amount(value: Decimal) -> Decimal:
    if value < 0:
        raise input_error("negative_amount")
    return value


def _non_negative_value(value: Any) -> Any:
    if value < 0:
        raise input_error("negative_value")
    return value


#: CZK, at most two decimal places, never negative
Money = Annotated[
    Decimal,
    Field(decimal_places=2, json_schema_extra={"minimum": 0}),
    AfterValidator(_non_negative_amount),
]
#: floor area in m², never negative
Area = Annotated[
    Decimal, Field(decimal_places=2, json_schema_extra={"minimum": 0}), AfterValidator(_non_negative_value)
]
#: a count (e.g. rooms), never negative
Count = Annotated[int, Field(json_schema_extra={"minimum": 0}), AfterValidator(_non_negative_value)]


# --- dates ---------------------------------------------------------------------------------------


def _birth_date(value: date, info: ValidationInfo) -> date:
    today = today_from(info)
    if value > today:
        raise input_error("birth_date_in_future")
    if today.year - value.year > MAX_AGE_YEARS:
        raise input_error("birth_date_implausible", max_age=MAX_AGE_YEARS)
    return value


def _not_in_future(value: date, info: ValidationInfo) -> date:
    if value > today_from(info):
        raise input_error("date_in_future")
    return value


BirthDate = Annotated[date, AfterValidator(_birth_date)]
PastDate = Annotated[date, AfterValidator(_not_in_future)]


# --- text and identifiers ------------------------------------------------------------------------


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


#: Annotated marker for optional fields: a blank string (an empty form field) means None
BlankAsNone = BeforeValidator(_blank_to_none)


def _wrap(code: str, normalize: Callable[[str], str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            return normalize(value)
        except ValueError:
            raise input_error(code) from None

    return check


def _birth_number(value: str) -> str:
    try:
        return parse_birth_number(value).digits
    except InvalidBirthNumber as exc:
        raise input_error(exc.code) from None


def _slug(value: str) -> str:
    if not is_slug(value):
        raise input_error("invalid_slug")
    return value


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
#: an optional free-text note of at most 500 characters; a blank string means no note
OptionalNote = Annotated[Note | None, BlankAsNone]
OptionalShortText = Annotated[ShortText | None, BlankAsNone]
#: pseudonymous id of a worker (never a name)
WorkerId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
#: digits only, e.g. "8503151237" (9 or 10 digits, checked)
BirthNumberStr = Annotated[
    str, AfterValidator(_birth_number), Field(json_schema_extra={"pattern": BIRTH_NUMBER_PATTERN})
]
#: E.164, e.g. "+420777123456"
Phone = Annotated[str, AfterValidator(_wrap("invalid_phone", normalize_phone))]
Email = Annotated[str, AfterValidator(_wrap("invalid_email", normalize_email))]
OrpCode = Annotated[
    str,
    AfterValidator(_wrap("invalid_orp_code", normalize_orp_code)),
    Field(json_schema_extra={"pattern": ORP_CODE_PATTERN}),
]
PostalCode = Annotated[
    str,
    AfterValidator(_wrap("invalid_postal_code", normalize_postal_code)),
    Field(json_schema_extra={"pattern": POSTAL_CODE_PATTERN}),
]
PartnerSlug = Annotated[
    str, AfterValidator(_slug), Field(json_schema_extra={"pattern": SLUG_PATTERN, "maxLength": MAX_SLUG})
]
