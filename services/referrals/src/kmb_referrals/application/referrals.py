"""Making referrals and case conferences: deadline, data minimisation, event and partner message."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from kmb_shared.contracts import Actor, ReferralMade
from kmb_shared.errors import NotFoundError

from ..adapters.intake_client import IntakeUnavailable
from ..adapters.repository import new_referral_row, partner_of
from ..adapters.tables import ReferralRow
from ..domain import (
    Referral,
    ReferralKind,
    WorkerContact,
    build_partner_message,
    disclosure_basis,
    make_case_conference,
    make_referral,
)
from .deps import ReferralsDeps
from .errors import CaseIsClosed, CaseNotFound, CaseUnconfirmed
from .partners import get_partner_row
from .ports import UnitOfWork
from .publishing import stage_partner_referral
from .queries import case_facts, case_of

log = logging.getLogger(__name__)


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


async def require_open_case(
    deps: ReferralsDeps, uow: UnitOfWork, case_id: UUID, actor: Actor, credentials: Mapping[str, str]
) -> None:
    """The case exists for the actor's organisation and is open, else :class:`CaseNotFound` (also for
    another organisation's case) or :class:`CaseIsClosed`.

    What intake's events said decides (CaseOpened, CaseClosed, CaseReopened). A case they have not
    told of yet — opened a moment ago, its CaseOpened still on its way — is asked of intake with the
    worker's own sign-in, so it is not refused wrongly; when intake cannot be asked either,
    :class:`CaseUnconfirmed` (nothing is made, the worker tries again)."""
    try:
        facts = await case_of(uow.store, case_id, actor.organisation)
    except NotFoundError as exc:  # another organisation's case: not told apart from none
        raise CaseNotFound() from exc
    if facts is not None:
        if facts.closed:
            raise CaseIsClosed(facts.case_number)
        return
    try:
        status = await deps.intake.case_status(case_id, credentials)
    except IntakeUnavailable as exc:
        log.warning("referrals: case %s not known yet and intake cannot be asked: %s", case_id, exc)
        raise CaseUnconfirmed() from exc
    if status is None:
        raise CaseNotFound()
    if status != "open":
        raise CaseIsClosed()


async def refer(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    cmd: MakeReferral,
    actor: Actor,
    credentials: Mapping[str, str],
) -> ReferralRow:
    """Refer the case (of the actor's organisation, open) to one partner, which must be active and take
    this kind; ``credentials``: the worker's sign-in, to ask intake about a case not heard of yet."""
    await require_open_case(deps, uow, cmd.case_id, actor, credentials)
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
    rows = await _record_new(deps, uow, [referral], cmd.note, cmd.worker, actor)
    await uow.commit()
    return rows[0]


async def convene(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    cmd: MakeCaseConference,
    actor: Actor,
    credentials: Mapping[str, str],
) -> list[ReferralRow]:
    """A case conference (on an open case of the actor's organisation): one referral per partner,
    sharing one conference id."""
    await require_open_case(deps, uow, cmd.case_id, actor, credentials)
    partners = [partner_of(await get_partner_row(uow.store, slug, field="partners")) for slug in cmd.partners]
    referrals = make_case_conference(
        case_id=cmd.case_id, partners=partners, made_on=deps.today(), config=deps.deadlines
    )
    basis = _clean(cmd.legal_basis)
    if basis:
        referrals = tuple(r.model_copy(update={"legal_basis": basis}) for r in referrals)
    rows = await _record_new(deps, uow, list(referrals), cmd.note, cmd.worker, actor)
    await uow.commit()
    return rows


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


async def _record_new(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    referrals: Sequence[Referral],
    note: str | None,
    worker: Worker,
    actor: Actor,
) -> list[ReferralRow]:
    """Store new referrals of one case and stage ReferralMade plus the partner message for each.

    Intake is not asked: the message carries no identity; a partner that may identify the household
    fetches it when it asks for the referral (:mod:`.details`).
    """
    case_id = referrals[0].case_id
    facts = await case_facts(uow.store, case_id)
    contact: WorkerContact = deps.worker(actor, worker.name, worker.phone, worker.email)
    clean_note = _clean(note)
    rows = []
    for referral in referrals:
        message = build_partner_message(referral, facts, deps.pseudonym_key)
        message = message.model_copy(update={"topic": deps.topic(referral.partner)})
        row = new_referral_row(
            referral, note=clean_note, made_by=actor.user_id, made_by_org=actor.organisation
        )
        row.identified = message.identified
        row.disclosure_basis = disclosure_basis(referral, facts)
        # What the partner was told (no personal data in it) and, off the log, the worker to reach the
        # household through: the inbox and the details show them.
        row.partner_view = message.model_dump(mode="json") | {"worker": contact.model_dump(mode="json")}
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
