"""The integration-event contracts of KMB: every event a service may publish or consume."""

from .assessment import NeedAssessed, PriorityContribution, RegisteredInNeed, RegistrationExpired
from .base import SYSTEM_ACTOR, Actor, CaseEvent, Contract, IntegrationEvent
from .catalogue import (
    CapacityChanged,
    SolutionChanged,
    SolutionPublished,
    SolutionsSuggested,
    SolutionWithdrawn,
    Suggestion,
)
from .intake import (
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ContactRecorded,
    DwellingSnapshot,
    HouseholdChanged,
    HouseholdSnapshot,
    MemberSnapshot,
    PersonalDataErased,
)
from .referrals import (
    BindingOpinionIssued,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralMade,
    ReferralOverdue,
)
from .registry import UnknownEventType, event, event_types, is_known, load, model_for, upcaster
from .rule_sets import RuleSetActivated

__all__ = [
    "SYSTEM_ACTOR",
    "Actor",
    "BindingOpinionIssued",
    "CapacityChanged",
    "CaseClosed",
    "CaseEvent",
    "CaseOpened",
    "CaseReopened",
    "ContactRecorded",
    "Contract",
    "DwellingSnapshot",
    "HouseholdChanged",
    "HouseholdSnapshot",
    "IntegrationEvent",
    "MemberSnapshot",
    "NeedAssessed",
    "PersonalDataErased",
    "PriorityContribution",
    "ReferralAccepted",
    "ReferralCancelled",
    "ReferralCompleted",
    "ReferralDeclined",
    "ReferralMade",
    "ReferralOverdue",
    "RegisteredInNeed",
    "RegistrationExpired",
    "RuleSetActivated",
    "SolutionChanged",
    "SolutionPublished",
    "SolutionWithdrawn",
    "SolutionsSuggested",
    "Suggestion",
    "UnknownEventType",
    "event",
    "event_types",
    "is_known",
    "load",
    "model_for",
    "upcaster",
]
