"""Making referrals and case conferences: deadline, data minimisation, event and partner message."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from kmb_shared.contracts import Actor, ReferralMade

from ..adapters.intake_client import IntakeUnavailable
from ..adapters.repository import new_referral_row, partner_of
from ..adapters.tables import ReferralRow
from ..domain import (
    ClientIdentity,
    Referral,
    ReferralKind,
    WorkerContact,
    build_partner_message,
    disclosure_basis,
    make_case_conference,
    make_referral,
)
from .deps import ReferralsDeps
from .partners import get_partner_row
from .ports import UnitOfWork
from .publishing import stage_partner_referral
from .queries import case_facts, case_of

log = logging.getLogger(__name__)

INTAKE_UNREACHABLE_NOTE = (
    "Evidence klientů (intake) nebyla dostupná, partner dostal pseudonymizované předání. "
    "/ Intake was unreachable; the partner got the pseudonymous form."
)


@dataclass(frozen=True)
class Worker:
    """Who the partner should contact instead of the household (defaults from the settings)."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class MakeReferral:
    case_id: UUID
    partner: str
    kind: ReferralKind
    solution_id: UUID | None = None
    note: str | None = None
    legal_basis: str | None = None
    worker: Worker = Worker()


@dataclass(frozen=True)
class MakeCaseConference:
    case_id: UUID
    partners: Sequence[str]
    note: str | None = None
    legal_basis: str | None = None
    worker: Worker = Worker()


async def refer(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    cmd: MakeReferral,
    actor: Actor,
    credentials: Mapping[str, str] | None = None,
) -> ReferralRow:
    """Refer the case (of the actor's organisation) to one partner, which must exist and take this kind."""
    await case_of(uow.store, cmd.case_id, actor.organisation)
    partner = partner_of(await get_partner_row(uow.store, cmd.partner))
    referral = make_referral(
        referral_id=uuid4(),
        case_id=cmd.case_id,
        partner=partner,
        kind=cmd.kind,
        made_on=deps.today(),
        config=deps.deadlines,
        solution_id=cmd.solution_id,
        legal_basis=_clean(cmd.legal_basis),
    )
    rows = await _record_new(deps, uow, [referral], cmd.note, cmd.worker, actor, credentials)
    await uow.commit()
    return rows[0]


async def convene(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    cmd: MakeCaseConference,
    actor: Actor,
    credentials: Mapping[str, str] | None = None,
) -> list[ReferralRow]:
    """A case conference (on a case of the actor's organisation): one referral per partner, sharing one
    conference id."""
    await case_of(uow.store, cmd.case_id, actor.organisation)
    partners = [partner_of(await get_partner_row(uow.store, slug, field="partners")) for slug in cmd.partners]
    referrals = make_case_conference(
        case_id=cmd.case_id, partners=partners, made_on=deps.today(), config=deps.deadlines
    )
    basis = _clean(cmd.legal_basis)
    if basis:
        referrals = tuple(r.model_copy(update={"legal_basis": basis}) for r in referrals)
    rows = await _record_new(deps, uow, list(referrals), cmd.note, cmd.worker, actor, credentials)
    await uow.commit()
    return rows


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


async def _identity(
    deps: ReferralsDeps, case_id: UUID, actor: Actor, credentials: Mapping[str, str] | None
) -> tuple[ClientIdentity | None, str | None]:
    try:
        return await deps.intake.identity(case_id, actor, credentials), None
    except IntakeUnavailable as exc:
        log.warning("referrals: identity of case %s not fetched, sending pseudonymously: %s", case_id, exc)
        return None, INTAKE_UNREACHABLE_NOTE


async def _record_new(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    referrals: Sequence[Referral],
    note: str | None,
    worker: Worker,
    actor: Actor,
    credentials: Mapping[str, str] | None,
) -> list[ReferralRow]:
    """Store new referrals of one case and stage ReferralMade plus the partner message for each.

    The identity is fetched from intake only if some referral may carry it (consent or legal basis).
    """
    case_id = referrals[0].case_id
    facts = await case_facts(uow.store, case_id)
    allowed = [r for r in referrals if disclosure_basis(r, facts) is not None]
    identity, problem = await _identity(deps, case_id, actor, credentials) if allowed else (None, None)
    facts = facts.model_copy(update={"identity": identity})
    contact: WorkerContact = deps.worker(actor, worker.name, worker.phone, worker.email)
    clean_note = _clean(note)
    rows = []
    for referral in referrals:
        message = build_partner_message(referral, facts, contact, deps.pseudonym_key, note=clean_note)
        message = message.model_copy(update={"topic": deps.topic(referral.partner)})
        row = new_referral_row(
            referral, note=clean_note, made_by=actor.user_id, made_by_org=actor.organisation
        )
        row.identified = message.identified
        row.disclosure_basis = message.disclosure_basis
        row.disclosure_note = problem if referral in allowed else None
        # What the partner was told, minus the identity: the inbox shows it, the database keeps no names.
        row.partner_view = message.model_copy(update={"client": None}).model_dump(mode="json")
        uow.store.add(row)
        uow.stage(
            ReferralMade(
                case_id=referral.case_id,
                referral_id=referral.id,
                partner=referral.partner,
                kind=referral.kind.value,
                due_on=referral.due_on,
                solution_id=referral.solution_id,
                conference_id=referral.conference_id,
                case_number=facts.case_number,
                actor=actor,
            ),
        )
        stage_partner_referral(uow, message)
        rows.append(row)
    return rows
