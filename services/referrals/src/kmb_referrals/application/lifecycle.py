"""Lifecycle steps of a referral (accept, decline, complete, cancel, binding opinion), by the worker or
by the partner itself; accepting a housing offer closes the household's other housing referrals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from kmb_shared.contracts import Actor, BindingOpinionIssued
from kmb_shared.errors import NotFoundError

from ..adapters.repository import owner, referral_of, write_referral
from ..adapters.tables import ReferralRow, utcnow
from ..domain import (
    HOUSING_OFFER_KINDS,
    OPEN_STATES,
    DeclineReason,
    PartnerUpdateKind,
    Referral,
    ReferralKind,
    ReferralOutcome,
    ReferralState,
    accept,
    cancel,
    close_other_housing_referrals,
    complete,
    decline,
)
from .deps import ReferralsDeps
from .errors import WrongKind
from .notifications import notify
from .ports import ReferralStore, UnitOfWork
from .publishing import HOUSING_OFFER_ACCEPTED, stage_partner_update, stage_step, step_event


@dataclass(frozen=True)
class Step:
    update: PartnerUpdateKind
    reason: DeclineReason | None = None
    outcome: ReferralOutcome | None = None
    note: str | None = None


@dataclass(frozen=True)
class BindingOpinion:
    positive: bool
    justified_housing_costs: int | None = None
    estimated_benefit: int | None = None
    note: str | None = None


async def load_referral(
    store: ReferralStore,
    referral_id: UUID,
    partner: str | None = None,
    organisation: str | None = None,
) -> ReferralRow:
    """The referral; scoped to one partner or to one organisation's cases, a referral outside the scope is
    simply not found (as intake answers for a case of another organisation: its existence is not told)."""
    row = await store.referral(referral_id)
    if row is None or (partner is not None and row.partner != partner):
        raise NotFoundError("Předání", "Referral")
    if organisation is not None and owner(row, await store.case_facts(row.case_id)) != organisation:
        raise NotFoundError("Předání", "Referral")
    return row


def _apply(referral: Referral, step: Step, on: date) -> Referral:
    if step.update is PartnerUpdateKind.ACCEPTED:
        return accept(referral, on)
    if step.update is PartnerUpdateKind.DECLINED:
        assert step.reason is not None
        return decline(referral, step.reason, on, step.note)
    if step.update is PartnerUpdateKind.COMPLETED:
        assert step.outcome is not None
        return complete(referral, step.outcome, on, step.note)
    if step.update is PartnerUpdateKind.CANCELLED:
        return cancel(referral, on, step.note)
    raise ValueError(f"{step.update} is not a lifecycle step")


async def take_step(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    referral_id: UUID,
    step: Step,
    actor: Actor,
    *,
    partner: str | None = None,
    organisation: str | None = None,
) -> ReferralRow:
    """Apply one step with the domain's rules, publish it, and commit (409 on illegal or concurrent).

    ``partner``: a partner acting on its own referrals; ``organisation``: a worker of that organisation,
    on its cases' referrals (another's: not found)."""
    row = await load_referral(uow.store, referral_id, partner, organisation)
    today = deps.today()
    changed = _apply(referral_of(row), step, today)
    write_referral(row, changed)
    uow.store.add(row)
    event_id = stage_step(deps, uow, row, changed, step.update, today, actor, note=step.note)
    if step.update is PartnerUpdateKind.ACCEPTED and changed.kind in HOUSING_OFFER_KINDS:
        # The query flushes the accepted row first, so a concurrent change shows up here already.
        await _close_other_housing(deps, uow, changed, today, actor, event_id)
    await uow.commit()
    return row


async def _close_other_housing(
    deps: ReferralsDeps, uow: UnitOfWork, offer: Referral, on: date, actor: Actor, caused_by: str
) -> None:
    rows = {row.id: row for row in await uow.store.open_referrals_of_case(offer.case_id)}
    closed = close_other_housing_referrals(offer, [referral_of(r) for r in rows.values()], on)
    for referral in closed:
        row = write_referral(rows[referral.id], referral)
        uow.store.add(row)
        stage_step(
            deps,
            uow,
            row,
            referral,
            PartnerUpdateKind.CANCELLED,
            on,
            actor,
            caused_by=caused_by,
            cancel_code=HOUSING_OFFER_ACCEPTED,
            reason_label=referral.cancel_reason,  # the domain's fixed text, names no one
        )


async def issue_binding_opinion(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    referral_id: UUID,
    opinion: BindingOpinion,
    actor: Actor,
    *,
    partner: str | None = None,
    organisation: str | None = None,
) -> ReferralRow:
    """The labour office's binding opinion (§ 18): accepts the referral if still waiting, records the
    opinion and completes the referral with the outcome "opinion issued" (scoped as :func:`take_step`)."""
    row = await load_referral(uow.store, referral_id, partner, organisation)
    referral = referral_of(row)
    if referral.kind is not ReferralKind.BINDING_OPINION:
        raise WrongKind(
            "Závazné stanovisko lze zaznamenat jen k předání typu „Závazné stanovisko Úřadu práce“.",
            "A binding opinion can only be recorded on a binding-opinion referral.",
        )
    today = deps.today()
    if referral.state is ReferralState.MADE:
        referral = accept(referral, today)
        write_referral(row, referral)
        # one notification for the opinion (below), not one more for the acceptance it implies
        stage_step(deps, uow, row, referral, PartnerUpdateKind.ACCEPTED, today, actor, notified=False)
    elif referral.state not in OPEN_STATES:
        complete(referral, ReferralOutcome.OPINION_ISSUED, today)  # raises the illegal transition
    done = complete(referral, ReferralOutcome.OPINION_ISSUED, today, opinion.note)
    write_referral(row, done)
    row.opinion_positive = opinion.positive
    row.opinion_housing_costs = opinion.justified_housing_costs
    row.opinion_estimated_benefit = opinion.estimated_benefit
    uow.store.add(row)
    common = {
        "case_id": done.case_id,
        "referral_id": done.id,
        "partner": done.partner,
        "kind": done.kind.value,
    }
    opinion_id = uow.stage(
        BindingOpinionIssued(
            **common,
            positive=opinion.positive,
            justified_housing_costs=opinion.justified_housing_costs,
            estimated_benefit=opinion.estimated_benefit,
            actor=actor,
        ),
    )
    completed = step_event(done, PartnerUpdateKind.COMPLETED, actor, caused_by=opinion_id)
    uow.stage(completed)
    stage_partner_update(
        deps,
        uow,
        row,
        done,
        PartnerUpdateKind.BINDING_OPINION,
        today,
        reason="positive" if opinion.positive else "negative",
        reason_label="kladné" if opinion.positive else "záporné",
        note=opinion.note,
    )
    notify(uow, row, PartnerUpdateKind.BINDING_OPINION, actor, "positive" if opinion.positive else "negative")
    await uow.commit()
    return row


async def dismiss_alert(uow: UnitOfWork, referral_id: UUID, organisation: str | None = None) -> ReferralRow:
    """The worker (of ``organisation``, whose case it must be) has seen that a partner declined after
    accepting."""
    row = await load_referral(uow.store, referral_id, organisation=organisation)
    if not row.declined_after_acceptance:
        raise NotFoundError("Upozornění", "Alert")
    if row.alert_dismissed_at is None:
        row.alert_dismissed_at = utcnow()
        uow.store.add(row)
        await uow.commit()
    return row
