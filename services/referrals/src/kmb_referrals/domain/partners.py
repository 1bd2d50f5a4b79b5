"""Partner organisations that receive referrals, and the Kafka topic each one reads."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import PartnerDoesNotAccept
from .kinds import ReferralKind, kind_label

SLUG_PATTERN = r"^[a-z0-9-]{2,40}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE_PATTERN = r"^\+?[0-9 ]{9,20}$"


class PartnerKind(StrEnum):
    SOCIAL_DEPARTMENT = "social_department"  # sociální odbor (internal)
    HOUSING_DEPARTMENT = "housing_department"  # bytový odbor (internal)
    LABOUR_OFFICE = "labour_office"  # pobočka Úřadu práce
    NGO = "ngo"  # social service provider
    LEGAL_SERVICE = "legal_service"
    REAL_ESTATE_EXPERT = "real_estate_expert"
    OTHER = "other"


PARTNER_KIND_LABELS_CS: dict[PartnerKind, str] = {
    PartnerKind.SOCIAL_DEPARTMENT: "Sociální odbor",
    PartnerKind.HOUSING_DEPARTMENT: "Bytový odbor",
    PartnerKind.LABOUR_OFFICE: "Úřad práce",
    PartnerKind.NGO: "Poskytovatel sociálních služeb (NNO)",
    PartnerKind.LEGAL_SERVICE: "Právní služba",
    PartnerKind.REAL_ESTATE_EXPERT: "Odborník na trh s byty",
    PartnerKind.OTHER: "Jiný partner",
}

INTERNAL_PARTNER_KINDS: frozenset[PartnerKind] = frozenset(
    {PartnerKind.SOCIAL_DEPARTMENT, PartnerKind.HOUSING_DEPARTMENT}
)


class PartnerContact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    person: str | None = Field(default=None, max_length=200, description="Contact person")
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN)
    address: str | None = Field(default=None, max_length=300)


class Partner(BaseModel):
    """A partner organisation; also the validation model for creating or updating one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: str = Field(pattern=SLUG_PATTERN, description="Stable id, also part of the partner topic")
    name: str = Field(min_length=2, max_length=200)
    kind: PartnerKind
    contact: PartnerContact = PartnerContact()
    accepted_kinds: frozenset[ReferralKind] = Field(min_length=1)
    active: bool = True

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Název partnera nesmí být prázdný")
        return value.strip()

    @property
    def internal(self) -> bool:
        """Inside the municipal office (social or housing department)."""
        return self.kind in INTERNAL_PARTNER_KINDS

    @property
    def topic(self) -> str:
        return partner_topic(self.slug)


def partner_topic(slug: str) -> str:
    """The Kafka topic a partner reads: ``kmb.partner.<slug>.v1``."""
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise ValueError(f"invalid partner slug {slug!r}")
    return f"kmb.partner.{slug}.v1"


def ensure_accepts(partner: Partner, kind: ReferralKind) -> None:
    """Raise :class:`PartnerDoesNotAccept` unless the partner is active and takes this kind."""
    if not partner.active:
        raise PartnerDoesNotAccept(
            f"Partner {partner.name} není aktivní a nepřijímá předání.",
            f"Partner {partner.name} is inactive and takes no referrals.",
        )
    if kind not in partner.accepted_kinds:
        raise PartnerDoesNotAccept(
            f"Partner {partner.name} nepřijímá předání typu „{kind_label(kind)}“.",
            f"Partner {partner.name} does not take referrals of the kind '{kind.value}'.",
        )
