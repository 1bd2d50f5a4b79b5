"""The referral: a case handed to a partner organisation, and its lifecycle states."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from kmb_shared.contracts.vocabulary import REFERRAL_STATES

from .kinds import DeclineReason, ReferralKind, ReferralOutcome
from .partners import SLUG_PATTERN


class ReferralState(StrEnum):
    MADE = "made"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


def state_label(state: ReferralState | str) -> str:
    """ "předáno" (the shared vocabulary's label, as it reads inside a sentence)."""
    return REFERRAL_STATES.label(state)


OPEN_STATES: frozenset[ReferralState] = frozenset({ReferralState.MADE, ReferralState.ACCEPTED})


class StateChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    from_state: ReferralState | None = Field(description="None for the creation of the referral")
    to_state: ReferralState
    on: date


class Referral(BaseModel):
    """A referral's current state. Change it only through the functions in ``lifecycle``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: UUID
    case_id: UUID
    partner: str = Field(pattern=SLUG_PATTERN, description="Partner slug")
    kind: ReferralKind
    state: ReferralState = ReferralState.MADE
    made_on: date
    due_on: date | None = Field(default=None, description="Last day for the partner's response")
    solution_id: UUID | None = Field(default=None, description="Catalogue solution the referral is about")
    conference_id: UUID | None = Field(default=None, description="Groups the referrals of a case conference")
    legal_basis: str | None = Field(
        default=None, max_length=300, description="Legal basis recorded for passing identifying data"
    )
    decline_reason: DeclineReason | None = None
    decline_note: str | None = None
    declined_after_acceptance: bool = False
    outcome: ReferralOutcome | None = None
    outcome_note: str | None = None
    cancel_reason: str | None = None
    history: tuple[StateChange, ...] = ()
    version: int = Field(default=1, ge=1, description="Grows by one with each state change")

    @property
    def is_open(self) -> bool:
        """Waiting for the partner's response or in progress."""
        return self.state in OPEN_STATES

    @property
    def needs_worker_alert(self) -> bool:
        """A partner declined after it had accepted: the worker must act."""
        return self.declined_after_acceptance
