"""The referral lifecycle as pure functions: each returns a new :class:`Referral` or raises.

Legal transitions (everything else raises :class:`IllegalTransition`, mapped to 409)::

    made     -> accepted | declined | cancelled
    accepted -> completed | declined (flagged "after acceptance") | cancelled
    declined, completed, cancelled: final
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from .deadlines import DEFAULT_DEADLINES, DeadlineConfig, due_date
from .errors import IllegalTransition, NoteRequired, ReferralInvalid
from .kinds import DeclineReason, ReferralKind, ReferralOutcome
from .partners import Partner, ensure_accepts
from .referral import Referral, ReferralState, StateChange, state_label

_S = ReferralState

LEGAL_TRANSITIONS: frozenset[tuple[ReferralState, ReferralState]] = frozenset(
    {
        (_S.MADE, _S.ACCEPTED),
        (_S.MADE, _S.DECLINED),
        (_S.MADE, _S.CANCELLED),
        (_S.ACCEPTED, _S.COMPLETED),
        (_S.ACCEPTED, _S.DECLINED),
        (_S.ACCEPTED, _S.CANCELLED),
    }
)


def can_transition(current: ReferralState, target: ReferralState) -> bool:
    return (current, target) in LEGAL_TRANSITIONS


def make_referral(
    *,
    referral_id: UUID,
    case_id: UUID,
    partner: Partner,
    kind: ReferralKind,
    made_on: date,
    config: DeadlineConfig = DEFAULT_DEADLINES,
    solution_id: UUID | None = None,
    conference_id: UUID | None = None,
    legal_basis: str | None = None,
) -> Referral:
    """A new referral in state ``made`` with its response deadline; the partner must take this kind."""
    ensure_accepts(partner, kind)
    return Referral(
        id=referral_id,
        case_id=case_id,
        partner=partner.slug,
        kind=kind,
        made_on=made_on,
        due_on=due_date(made_on, kind, config),
        solution_id=solution_id,
        conference_id=conference_id,
        legal_basis=legal_basis,
        history=(StateChange(from_state=None, to_state=_S.MADE, on=made_on),),
    )


def make_case_conference(
    *,
    case_id: UUID,
    partners: Sequence[Partner],
    made_on: date,
    config: DeadlineConfig = DEFAULT_DEADLINES,
    conference_id: UUID | None = None,
    new_id: Callable[[], UUID] = uuid4,
) -> tuple[Referral, ...]:
    """One ``case_conference`` referral per partner, all sharing one ``conference_id``."""
    slugs = [p.slug for p in partners]
    if len(slugs) < 2:
        raise ReferralInvalid("Případová konference potřebuje alespoň dva partnery.")
    if len(set(slugs)) != len(slugs):
        raise ReferralInvalid("Partner je v případové konferenci uveden vícekrát.")
    group = conference_id or new_id()
    return tuple(
        make_referral(
            referral_id=new_id(),
            case_id=case_id,
            partner=p,
            kind=ReferralKind.CASE_CONFERENCE,
            made_on=made_on,
            config=config,
            conference_id=group,
        )
        for p in partners
    )


def _move(referral: Referral, target: ReferralState, on: date, **changes: Any) -> Referral:
    if not can_transition(referral.state, target):
        raise IllegalTransition(
            f"Předání ve stavu „{state_label(referral.state)}“ nelze převést do stavu "
            f"„{state_label(target)}“.",
            current=referral.state.value,
            target=target.value,
        )
    if on < referral.made_on:
        raise ReferralInvalid("Datum změny nemůže předcházet datu předání.")
    step = StateChange(from_state=referral.state, to_state=target, on=on)
    return referral.model_copy(
        update={
            "state": target,
            "history": (*referral.history, step),
            "version": referral.version + 1,
            **changes,
        }
    )


def _clean_note(note: str | None) -> str | None:
    return note.strip() if note and note.strip() else None


def accept(referral: Referral, on: date) -> Referral:
    return _move(referral, _S.ACCEPTED, on)


def decline(referral: Referral, reason: DeclineReason, on: date, note: str | None = None) -> Referral:
    """Decline with a reason from the fixed list; ``other`` needs a note. Declining an accepted
    referral is allowed but flagged (``declined_after_acceptance``) so the worker is alerted."""
    clean = _clean_note(note)
    if reason is DeclineReason.OTHER and clean is None:
        raise NoteRequired("Při odmítnutí z jiného důvodu je nutné důvod popsat.")
    return _move(
        referral,
        _S.DECLINED,
        on,
        decline_reason=reason,
        decline_note=clean,
        declined_after_acceptance=referral.state is _S.ACCEPTED,
    )


def complete(referral: Referral, outcome: ReferralOutcome, on: date, note: str | None = None) -> Referral:
    clean = _clean_note(note)
    if outcome is ReferralOutcome.OTHER and clean is None:
        raise NoteRequired("Při jiném výsledku je nutné výsledek popsat.")
    return _move(referral, _S.COMPLETED, on, outcome=outcome, outcome_note=clean)


def cancel(referral: Referral, on: date, reason: str | None = None) -> Referral:
    return _move(referral, _S.CANCELLED, on, cancel_reason=_clean_note(reason))


def is_overdue(referral: Referral, today: date) -> bool:
    """Still waiting for the partner's response after the last day for it."""
    return referral.state is _S.MADE and referral.due_on is not None and today > referral.due_on
