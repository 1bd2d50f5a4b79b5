"""The intake domain: code lists, input validation, case numbers, lifecycle and de-identification.

Plain Python and pydantic only; the web and messaging layers build on this public API.
"""

from .ages import age_band, age_in_years, records_dependent_child
from .birth_number import BirthNumber, check_digit, parse_birth_number
from .case import CaseDataIn, CaseIn, CloseCaseIn, ConsentIn, HouseholdChangeIn
from .case_number import CaseNumber, format_case_number, parse_case_number
from .codes import (
    AGE_BANDS,
    CLOSE_REASONS,
    CODE_LISTS,
    CONTACT_CHANNELS,
    CONTACT_TOPICS,
    DEPENDENT_CHILD,
    DWELLING_KINDS,
    INCOME_SOURCES,
    LEGAL_BASES,
    LEGAL_TITLES,
    RELATIONSHIPS,
    SEXES,
    VULNERABILITY_FLAGS,
    CodeList,
    Label,
)
from .contact import ContactIn
from .contact_details import normalize_email, normalize_orp_code, normalize_phone, normalize_postal_code
from .errors import (
    CaseAlreadyClosed,
    CaseAlreadyOpen,
    DomainError,
    InvalidBirthNumber,
    InvalidCaseNumber,
    InvalidTransition,
    UnknownCode,
)
from .household import AddressIn, CostsIn, DwellingIn, HouseholdIn, IncomeIn, MemberIn
from .lifecycle import CaseLifecycle, CaseStatus
from .localize import localize_error_list, localize_errors
from .messages import MESSAGES, Message, render
from .snapshot import to_household_snapshot, whole_czk

__all__ = [
    "AGE_BANDS",
    "CLOSE_REASONS",
    "CODE_LISTS",
    "CONTACT_CHANNELS",
    "CONTACT_TOPICS",
    "DEPENDENT_CHILD",
    "DWELLING_KINDS",
    "INCOME_SOURCES",
    "LEGAL_BASES",
    "LEGAL_TITLES",
    "MESSAGES",
    "RELATIONSHIPS",
    "SEXES",
    "VULNERABILITY_FLAGS",
    "AddressIn",
    "BirthNumber",
    "CaseAlreadyClosed",
    "CaseAlreadyOpen",
    "CaseDataIn",
    "CaseIn",
    "CaseLifecycle",
    "CaseNumber",
    "CaseStatus",
    "CloseCaseIn",
    "CodeList",
    "ConsentIn",
    "ContactIn",
    "CostsIn",
    "DomainError",
    "DwellingIn",
    "HouseholdChangeIn",
    "HouseholdIn",
    "IncomeIn",
    "InvalidBirthNumber",
    "InvalidCaseNumber",
    "InvalidTransition",
    "Label",
    "MemberIn",
    "Message",
    "UnknownCode",
    "age_band",
    "age_in_years",
    "check_digit",
    "format_case_number",
    "localize_error_list",
    "localize_errors",
    "normalize_email",
    "normalize_orp_code",
    "normalize_phone",
    "normalize_postal_code",
    "parse_birth_number",
    "parse_case_number",
    "records_dependent_child",
    "render",
    "to_household_snapshot",
    "whole_czk",
]
