"""Pure domain of the assessment service: the unified assessment of housing need
(zákon č. 175/2025 Sb.) and the validity of register entries. No I/O apart from reading the
packaged rule files.

Typical use::

    result = assess(household_snapshot, SurveyFindings(assessed_on=date(2026, 3, 2)))
    event = NeedAssessed(case_id=..., assessment_id=..., **result.to_event_fields())
"""

from .assess import assess
from .facts import missing_facts
from .household import MissingFact, MissingFactsError
from .loading import RuleSetError, load_rule_sets, parse_rule_set, rule_set_for
from .model import Assessment, Contribution, NextStep, SurveyFindings
from .next_steps import NEXT_STEP_TEXTS
from .register import (
    RegistrationStatus,
    add_months,
    is_due_for_reassessment,
    is_expired,
    register_valid_until,
    registration_status,
)
from .rules import RuleSet
from .vocabulary import EthosLight, HouseholdType, NeedLevel

__all__ = [
    "NEXT_STEP_TEXTS",
    "Assessment",
    "Contribution",
    "EthosLight",
    "HouseholdType",
    "MissingFact",
    "MissingFactsError",
    "NeedLevel",
    "NextStep",
    "RegistrationStatus",
    "RuleSet",
    "RuleSetError",
    "SurveyFindings",
    "add_months",
    "assess",
    "is_due_for_reassessment",
    "is_expired",
    "load_rule_sets",
    "missing_facts",
    "parse_rule_set",
    "register_valid_until",
    "registration_status",
    "rule_set_for",
]
