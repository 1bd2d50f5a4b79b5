"""Input of accounts and API tokens, checked at the edge; errors carry codes of :data:`MESSAGES`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from kmb_shared.auth import ROLE_LABELS, Role

#: code -> (Czech, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "account_username_format": (
        "Uživatelské jméno: 3–50 znaků, malá písmena bez diakritiky, číslice, tečka, pomlčka, podtržítko.",
        "Username: 3–50 characters, lower-case letters, digits, dot, hyphen, underscore.",
    ),
    "account_password_short": (
        "Heslo musí mít alespoň {min} znaků.",
        "The password must have at least {min} characters.",
    ),
    "account_no_roles": ("Vyberte alespoň jednu roli.", "Choose at least one role."),
    "account_unknown_role": ("Neznámá role „{value}“.", "Unknown role '{value}'."),
    "account_partner_alone": (
        "Role partnerské organizace nejde kombinovat s jinými rolemi.",
        "The partner role cannot be combined with other roles.",
    ),
    "account_organisation_format": (
        "Organizace: malá písmena bez diakritiky, číslice a pomlčky (např. up-praha).",
        "Organisation: lower-case letters, digits and hyphens (e.g. up-praha).",
    ),
    "account_admin_token": (
        "Token pro API nemůže nést roli administrátora.",
        "An API token cannot carry the administrator role.",
    ),
}

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")
ORGANISATION = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
MIN_PASSWORD = 10
ROLE_CODES = tuple(role.value for role in Role)


def account_error(code: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(code, MESSAGES[code][1], {k: str(v) for k, v in context.items()})


def _username(value: str) -> str:
    value = value.strip().lower()
    if not USERNAME.match(value):
        raise account_error("account_username_format")
    return value


def _organisation(value: str) -> str:
    value = value.strip().lower()
    if not ORGANISATION.match(value):
        raise account_error("account_organisation_format")
    return value


def _password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise account_error("account_password_short", min=MIN_PASSWORD)
    return value


def _roles(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if value not in ROLE_CODES:
            raise account_error("account_unknown_role", value=value)
    if not values:
        raise account_error("account_no_roles")
    return tuple(code for code in ROLE_CODES if code in values)  # canonical order, no repeats


# the schema states the checks of the validators (on the input as written: they lower-case it first)
Username = Annotated[str, AfterValidator(_username), Field(json_schema_extra={"pattern": USERNAME.pattern})]
Organisation = Annotated[
    str, AfterValidator(_organisation), Field(json_schema_extra={"pattern": ORGANISATION.pattern})
]
Roles = Annotated[
    tuple[str, ...],
    AfterValidator(_roles),
    Field(json_schema_extra={"minItems": 1, "items": {"type": "string", "enum": list(ROLE_CODES)}}),
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UserIn(_Input):
    """A new local account."""

    username: Username = Field(description="Sign-in name, e.g. jana.novakova")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    password: Annotated[
        str, AfterValidator(_password), Field(max_length=200, json_schema_extra={"minLength": MIN_PASSWORD})
    ]
    roles: Roles = Field(description=f"Any of {', '.join(ROLE_CODES)}")
    organisation: Organisation = Field(default="kmb", description="Partner users: their organisation")

    @model_validator(mode="after")
    def _partner_alone(self) -> UserIn:
        if Role.PARTNER in self.roles and len(self.roles) > 1:
            raise account_error("account_partner_alone", field="roles")
        return self


class PasswordIn(_Input):
    """A new password for an account."""

    password: Annotated[
        str, AfterValidator(_password), Field(max_length=200, json_schema_extra={"minLength": MIN_PASSWORD})
    ]


class RolesIn(_Input):
    """New roles of an account."""

    roles: Roles = Field(description=f"Any of {', '.join(ROLE_CODES)}")

    @model_validator(mode="after")
    def _partner_alone(self) -> RolesIn:
        if Role.PARTNER in self.roles and len(self.roles) > 1:
            raise account_error("account_partner_alone", field="roles")
        return self


class TokenIn(_Input):
    """An API token for an organisation's system."""

    organisation: Organisation
    roles: Roles

    @model_validator(mode="after")
    def _no_admin(self) -> TokenIn:
        if Role.ADMIN in self.roles:
            raise account_error("account_admin_token", field="roles")
        return self


def is_account_error(error: dict[str, Any]) -> bool:
    return str(error.get("type", "")) in MESSAGES


def localize_account_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """``{field, code, message_cs, message_en}`` for errors raised by the checks above."""
    items = []
    for error in errors:
        code = str(error["type"])
        ctx = {k: v for k, v in (error.get("ctx") or {}).items() if k != "field"}
        cs, en = MESSAGES[code]
        parts = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        if (error.get("ctx") or {}).get("field"):
            parts.append(str(error["ctx"]["field"]))
        items.append(
            {
                "field": ".".join(parts) or "body",
                "code": code,
                "message_cs": cs.format(**ctx),
                "message_en": en.format(**ctx),
            }
        )
    return items


def role_choices() -> list[tuple[str, str]]:
    """Every role with its Czech label, for forms."""
    return [(code, ROLE_LABELS[code]) for code in ROLE_CODES]
