"""The catalogue entry (:class:`Solution`) and its value objects, with their validation rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import plausibility as rules
from .errors import invalid_value
from .kinds import (
    CAPACITY_FORBIDDEN,
    CAPACITY_REQUIRED,
    KIND_GROUP,
    HouseholdType,
    KindGroup,
    MunicipalFlatCategory,
    NeedLevel,
    Situation,
    SolutionKind,
)

PHONE_PATTERN = rules.PHONE_PATTERN
EMAIL_PATTERN = rules.EMAIL_PATTERN
WEB_PATTERN = r"^https?://\S+$"
POSTCODE_PATTERN = r"^[0-9]{3} ?[0-9]{2}$"
#: a time of day on the 24-hour clock, HH:MM (seconds, as the API answers them, may follow)
CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
WEEKDAYS = range(7)
ETHOS_CATEGORIES = range(1, 14)


def _clock(value: Any) -> Any:
    """A time of day without a zone: HH:MM or HH:MM:SS (a ``time`` read back from storage passes)."""
    if isinstance(value, time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and re.fullmatch(CLOCK_PATTERN, value.strip()):
        return value.strip()
    raise PydanticCustomError("time_parsing", "Enter a time as HH:MM")


#: opening and closing times: local time of the contact point, never with a zone or fractions
ClockTime = Annotated[
    time,
    BeforeValidator(_clock),
    WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN, "examples": ["08:30"]}),
]


def _integers(numbers: range, **extra: Any) -> dict[str, Any]:
    """JSON schema of a list of integers in ``numbers`` (what a validator below checks by hand)."""
    return {"items": {"type": "integer", "minimum": numbers[0], "maximum": numbers[-1]}, **extra}


class ValueObject(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Provider(ValueObject):
    name: str = Field(min_length=2, max_length=200)
    ico: str | None = Field(
        default=None,
        description="Company id (IČO): 8 digits, the last a check digit (mod 11)",
        json_schema_extra={"pattern": r"^[0-9]{8}$"},
    )

    @field_validator("ico")
    @classmethod
    def _ico_checksum(cls, ico: str | None, info: ValidationInfo) -> str | None:
        return ico if ico is None or rules.stored(info) else rules.check_ico(ico)


class Contacts(ValueObject):
    phones: tuple[str, ...] = Field(
        default=(), max_length=5, json_schema_extra={"items": {"type": "string", "pattern": PHONE_PATTERN}}
    )
    email: str | None = Field(default=None, max_length=254, json_schema_extra={"pattern": EMAIL_PATTERN})
    web: str | None = Field(default=None, pattern=WEB_PATTERN)
    person: str | None = Field(default=None, max_length=200)

    @field_validator("phones")
    @classmethod
    def _czech_phones(cls, phones: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if not rules.stored(info):
            for phone in phones:
                rules.check_phone(phone)
        return phones

    @field_validator("email")
    @classmethod
    def _email_address(cls, email: str | None, info: ValidationInfo) -> str | None:
        return email if email is None or rules.stored(info) else rules.check_email(email)

    @property
    def reachable(self) -> bool:
        """Whether a reader can get in touch: a phone, an e-mail or a web address."""
        return bool(self.phones or self.email or self.web)


class Address(ValueObject):
    street: str = Field(min_length=2, max_length=200, description="Street and number")
    city: str = Field(min_length=2, max_length=100)
    postcode: str | None = Field(default=None, pattern=POSTCODE_PATTERN)
    district: str | None = Field(default=None, max_length=100)

    @field_validator("street")
    @classmethod
    def _street_and_number(cls, street: str, info: ValidationInfo) -> str:
        return street if rules.stored(info) else rules.check_street(street)

    @field_validator("city")
    @classmethod
    def _city_name(cls, city: str, info: ValidationInfo) -> str:
        return city if rules.stored(info) else rules.check_city(city)

    def one_line(self) -> str:
        place = f"{self.postcode} {self.city}" if self.postcode else self.city
        return f"{self.street}, {place}"


class OpeningSlot(ValueObject):
    """Open on the given weekdays (0 = Monday) from ``opens`` to ``closes``; a ``closes`` earlier than
    ``opens`` means the slot runs overnight (a night shelter open 18:30–7:30)."""

    weekdays: tuple[int, ...] = Field(min_length=1, json_schema_extra=_integers(WEEKDAYS, uniqueItems=True))
    opens: ClockTime
    closes: ClockTime

    @field_validator("weekdays")
    @classmethod
    def _valid_weekdays(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        if any(d not in WEEKDAYS for d in days) or len(set(days)) != len(days):
            raise invalid_value(
                "Dny v týdnu musí být různá čísla 0 (pondělí) až 6 (neděle)",
                "Weekdays must be distinct numbers from 0 (Monday) to 6 (Sunday)",
            )
        return tuple(sorted(days))

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.opens == self.closes:
            raise invalid_value(
                "Otevírací doba musí mít různý začátek a konec", "Opening and closing times must differ"
            )
        return self


class OpeningHours(ValueObject):
    slots: tuple[OpeningSlot, ...] = ()
    nonstop: bool = False
    note: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _something_said(self) -> Self:
        if self.nonstop and self.slots:
            raise invalid_value(
                "Nepřetržitý provoz nemá mít časové úseky", "A non-stop service has no time slots"
            )
        if not (self.nonstop or self.slots or self.note):
            raise invalid_value(
                "Otevírací doba musí obsahovat časy, nepřetržitý provoz nebo poznámku",
                "Opening hours need time slots, non-stop or a note",
            )
        return self


class Capacity(ValueObject):
    total: int = Field(ge=0)
    free: int = Field(ge=0)

    @model_validator(mode="after")
    def _free_within_total(self) -> Self:
        if self.free > self.total:
            raise invalid_value(
                "Volných míst nemůže být víc než celkem", "Free places cannot exceed the total"
            )
        return self


class Eligibility(ValueObject):
    """Who an entry serves. An empty set means no restriction on that dimension."""

    need_levels: frozenset[NeedLevel] = frozenset()
    ethos_categories: frozenset[int] = Field(
        default=frozenset(), json_schema_extra=_integers(ETHOS_CATEGORIES)
    )
    household_types: frozenset[HouseholdType] = frozenset()
    min_household_size: int | None = Field(default=None, ge=1)
    max_household_size: int | None = Field(default=None, ge=1)
    children_allowed: bool = True
    income_ceiling: int | None = Field(default=None, ge=0, description="Monthly net income limit, CZK")
    within_register_ceiling: bool = Field(
        default=False, description="Income must not exceed the ceiling of the register of people in need"
    )
    required_flags: frozenset[str] = Field(default=frozenset(), description="All must be present")
    excluded_flags: frozenset[str] = Field(default=frozenset(), description="None may be present")
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)

    @field_serializer(
        "need_levels", "ethos_categories", "household_types", "required_flags", "excluded_flags"
    )
    def _sorted(self, values: frozenset[Any]) -> list[Any]:
        # A set's iteration order depends on how it was built (a request, a stored row): the API and the
        # events show it sorted, so the same entry always reads the same.
        return sorted(values)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if any(c not in ETHOS_CATEGORIES for c in self.ethos_categories):
            raise invalid_value("Kategorie ETHOS musí být 1 až 13", "ETHOS categories are 1 to 13")
        if self.required_flags & self.excluded_flags:
            raise invalid_value(
                "Znak nemůže být zároveň vyžadovaný i vyloučený",
                "A flag cannot be both required and excluded",
            )
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise invalid_value(
                "Dolní věková hranice je vyšší než horní", "The minimum age is above the maximum age"
            )
        lo, hi = self.min_household_size, self.max_household_size
        if lo is not None and hi is not None and lo > hi:
            raise invalid_value(
                "Nejmenší velikost domácnosti je vyšší než největší",
                "The minimum household size is above the maximum",
            )
        return self


class SolutionFields(ValueObject):
    """Everything an author writes about an entry; shared by :class:`Solution` and the create model."""

    kind: SolutionKind
    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=2000)
    provider: Provider
    contacts: Contacts = Contacts()
    address: Address | None = None
    opening_hours: OpeningHours | None = None
    valid_from: date
    valid_to: date | None = None
    eligibility: Eligibility = Eligibility()
    capacity: Capacity | None = None
    municipal_category: MunicipalFlatCategory | None = None
    guarantee_provider: str | None = Field(default=None, max_length=200)
    size_m2: float | None = Field(default=None, gt=0, le=1000)
    rooms: int | None = Field(default=None, ge=0, le=20)
    rent_monthly: int | None = Field(default=None, ge=0)
    wheelchair_accessible: bool | None = None
    situations: frozenset[Situation] = Field(
        default=frozenset(), description="Leaflet sections; empty means the default for the kind"
    )
    demo: bool = False

    @field_validator("valid_from", "valid_to")
    @classmethod
    def _plausible_date(cls, day: date | None, info: ValidationInfo) -> date | None:
        return day if rules.stored(info) else rules.check_date(day)

    @field_validator("capacity")
    @classmethod
    def _capacity_fits_kind(cls, capacity: Capacity | None, info: ValidationInfo) -> Capacity | None:
        kind = info.data.get("kind")
        if capacity is None or kind is None or rules.stored(info) or kind in CAPACITY_FORBIDDEN:
            return capacity  # (a benefit with a capacity is refused by the kind rules below)
        wrong = rules.capacity_problem(kind, capacity.total)
        if wrong is not None:
            raise wrong
        return capacity

    @model_validator(mode="after")
    def _kind_rules(self) -> Self:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise invalid_value(
                "Platnost nemůže skončit dřív, než začne", "Validity cannot end before it starts"
            )
        if self.kind in CAPACITY_REQUIRED and self.capacity is None:
            raise invalid_value(
                "U bytů a lůžek je nutné uvést kapacitu", "Flats and shelter places must state their capacity"
            )
        if self.kind in CAPACITY_FORBIDDEN and self.capacity is not None:
            raise invalid_value("Dávka nemá kapacitu", "A benefit has no capacity")
        is_municipal = self.kind is SolutionKind.MUNICIPAL_FLAT
        if is_municipal != (self.municipal_category is not None):
            raise invalid_value(
                "Kategorii A/B/C má právě každý obecní byt",
                "Exactly the municipal flats have a category A/B/C",
            )
        is_guaranteed = self.kind is SolutionKind.GUARANTEED_HOUSING
        if is_guaranteed != bool(self.guarantee_provider):
            raise invalid_value(
                "Poskytovatele garance uvádí právě bydlení s garancí",
                "Exactly guaranteed housing names a guarantee provider",
            )
        if KIND_GROUP[self.kind] is not KindGroup.HOUSING and (self.size_m2 or self.rooms is not None):
            raise invalid_value(
                "Plochu a počet pokojů mají jen byty", "Only flats have a floor area and rooms"
            )
        if self.demo and "DEMO" not in self.title:
            raise invalid_value(
                "Ukázkový záznam musí mít v názvu označení DEMO", "A demo entry must say DEMO in its title"
            )
        return self


#: the fields of a stored entry beyond what its author enters (identity, state, version)
STATE_FIELDS = frozenset({"id", "withdrawn", "withdrawn_reason", "version"})


class Solution(SolutionFields):
    """A catalogue entry as stored: the author's fields plus identity, state and version."""

    id: UUID
    withdrawn: bool = False
    #: why the editor withdrew it, as typed: kept here, never on the event (free text may name a person)
    withdrawn_reason: str | None = Field(default=None, max_length=500)
    version: int = Field(default=1, ge=1)

    @property
    def group(self) -> KindGroup:
        return KIND_GROUP[self.kind]

    def is_valid_on(self, day: date) -> bool:
        """In force on ``day`` and not withdrawn."""
        if self.withdrawn or day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to

    @property
    def has_free_capacity(self) -> bool | None:
        """None when the entry tracks no capacity."""
        return None if self.capacity is None else self.capacity.free > 0


@dataclass(frozen=True, slots=True)
class SolutionFilter:
    """Which entries a search returns (ordered by title, then id): of ``kind`` (None: any), those
    in force on ``valid_on`` (None: any day), withdrawn ones only with ``include_withdrawn``."""

    kind: SolutionKind | None = None
    valid_on: date | None = None
    include_withdrawn: bool = False

    def admits(self, solution: Solution) -> bool:
        """Whether ``solution`` passes (the rule the database query also applies)."""
        return (
            (self.kind is None or solution.kind is self.kind)
            and (self.include_withdrawn or not solution.withdrawn)
            and (self.valid_on is None or solution.is_valid_on(self.valid_on))
        )
