"""How each event changes the projection state.

Every handler is an upsert: it creates the record it needs if an earlier event has not, and it
writes only the fields that its own event owns. Nothing is parked and nothing depends on the
order of arrival across topics; where one event replaces what another wrote, the one with the
greater ``[occurred_at, event_id]`` version wins, whatever order they came in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kmb_shared.contracts import (
    BindingOpinionIssued,
    CapacityChanged,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ContactRecorded,
    HouseholdChanged,
    IntegrationEvent,
    NeedAssessed,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralMade,
    ReferralOverdue,
    RegisteredInNeed,
    RegistrationExpired,
    SolutionChanged,
    SolutionPublished,
    SolutionWithdrawn,
)

from ..domain.stamp import Stamp
from ..domain.state import State
from .apply_cases import (
    case_closed,
    case_opened,
    case_reopened,
    contact_recorded,
    household_changed,
    need_assessed,
    registered_in_need,
    registration_expired,
)
from .apply_flows import (
    binding_opinion_issued,
    capacity_changed,
    referral_accepted,
    referral_cancelled,
    referral_completed,
    referral_declined,
    referral_made,
    referral_overdue,
    solution_changed,
    solution_published,
    solution_withdrawn,
)

Handler = Callable[[State, Any, Stamp], None]

HANDLERS: dict[type[IntegrationEvent], Handler] = {
    CaseOpened: case_opened,
    HouseholdChanged: household_changed,
    CaseClosed: case_closed,
    CaseReopened: case_reopened,
    ContactRecorded: contact_recorded,
    NeedAssessed: need_assessed,
    RegisteredInNeed: registered_in_need,
    RegistrationExpired: registration_expired,
    SolutionPublished: solution_published,
    SolutionChanged: solution_changed,
    SolutionWithdrawn: solution_withdrawn,
    CapacityChanged: capacity_changed,
    ReferralMade: referral_made,
    ReferralAccepted: referral_accepted,
    ReferralDeclined: referral_declined,
    ReferralCompleted: referral_completed,
    ReferralCancelled: referral_cancelled,
    ReferralOverdue: referral_overdue,
    BindingOpinionIssued: binding_opinion_issued,
}
