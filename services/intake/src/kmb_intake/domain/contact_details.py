"""Normalisers of contact details and codes; each returns the canonical form or raises ValueError."""

from __future__ import annotations

import re

_PHONE_SEPARATORS = re.compile(r"[\s\-./()]")
_CZ_PREFIX = "420"
_CZ_NATIONAL = re.compile(r"^[2-9]\d{8}$")
_E164_DIGITS = re.compile(r"^[1-9]\d{6,14}$")  # E.164: at most 15 digits, no leading zero

_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
ORP_CODE_PATTERN = r"^\d{4}$"
POSTAL_CODE_PATTERN = r"^(\d{3}) ?(\d{2})$"
_ORP_CODE = re.compile(ORP_CODE_PATTERN)
_POSTAL_CODE = re.compile(POSTAL_CODE_PATTERN)
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_SLUG = 64
_SLUG = re.compile(SLUG_PATTERN)


def normalize_phone(raw: str) -> str:
    """A Czech (9 digits, optionally +420/00420) or international (+ and country code) number,
    returned in E.164 form, e.g. ``777 123 456`` -> ``+420777123456``."""
    compact = _PHONE_SEPARATORS.sub("", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not compact.startswith("+"):
        if _CZ_NATIONAL.match(compact):
            return "+" + _CZ_PREFIX + compact
        raise ValueError("not a Czech national number")
    digits = compact[1:]
    if not _E164_DIGITS.match(digits):
        raise ValueError("not an international number")
    if digits.startswith(_CZ_PREFIX) and not _CZ_NATIONAL.match(digits[len(_CZ_PREFIX) :]):
        raise ValueError("a +420 number needs 9 national digits")
    return "+" + digits


def _valid_domain_label(label: str) -> bool:
    return (
        0 < len(label) <= 63
        and not label.startswith("-")
        and not label.endswith("-")
        and all(ch.isalnum() or ch == "-" for ch in label)
    )


def normalize_email(raw: str) -> str:
    """A syntactic check of ``local@domain`` (no deliverability check); the domain is lower-cased.
    Internationalised domains (e.g. ``příklad.cz``) are accepted, the local part must be ASCII."""
    value = raw.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or len(local) > 64 or len(value) > 254:
        raise ValueError("not an e-mail address")
    if not _EMAIL_LOCAL.match(local):
        raise ValueError("invalid local part")
    labels = domain.lower().split(".")
    if len(labels) < 2 or not all(_valid_domain_label(label) for label in labels):
        raise ValueError("invalid domain")
    if labels[-1].isdigit():
        raise ValueError("the top-level domain cannot be numeric")
    return f"{local}@{'.'.join(labels)}"


def normalize_orp_code(raw: str) -> str:
    """An ORP code (obec s rozšířenou působností) is a string of exactly 4 digits."""
    value = raw.strip()
    if not _ORP_CODE.match(value):
        raise ValueError("ORP code must have 4 digits")
    return value


def normalize_postal_code(raw: str) -> str:
    """A Czech postcode (PSČ), 5 digits, returned as ``170 00``."""
    match = _POSTAL_CODE.match(raw.strip())
    if match is None:
        raise ValueError("postcode must have 5 digits")
    return f"{match.group(1)} {match.group(2)}"


def is_slug(value: str) -> bool:
    """Partner slugs: lower-case ASCII letters and digits joined by single hyphens."""
    return len(value) <= MAX_SLUG and _SLUG.match(value) is not None
