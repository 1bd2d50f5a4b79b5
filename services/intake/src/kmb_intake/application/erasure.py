"""Erasing a case's personal data (an administrator with a recorded reason, or the retention job) and
the retention job's run (rules in :mod:`kmb_intake.domain.erasure`).

An erasure is one transaction: the personal data go (:meth:`ErasureStore.erase_case_data`), the
erasure is recorded, and ``PersonalDataErased`` (case id, number, when, the reason's code; nothing
personal) is staged in the outbox, so every service that keeps something of the case drops it and
confirms it by handling the event. Only a closed case is erased (an open one is still worked on; and
closing it first keeps the statistics, which count closings, as they are), and only when referrals has
no open referral of it: those are cancelled first (the partner is told), never dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from kmb_shared.clock import prague_date
from kmb_shared.contracts import SYSTEM_ACTOR, Actor, IntegrationEvent, PersonalDataErased
from kmb_shared.errors import ConflictError, NotFoundError

from ..adapters.erasure_tables import ErasureRow, RetentionRunRow
from ..adapters.tables import CaseRow
from ..domain.erasure import RETENTION, closed_before, erased_household, erased_member, is_due

#: who the retention job acts as (its erasures and runs name it)
RETENTION_ACTOR = "retention"


class ErasureStore(Protocol):
    """Intake's cases and erasure records within the caller's transaction, and its outbox."""

    async def case(self, case_id: UUID) -> CaseRow | None: ...

    async def erase_case_data(self, case: CaseRow, household: str) -> None:
        """Delete the case's personal data (see :mod:`kmb_intake.domain.erasure`) and write
        ``household`` in their place; also the sent outbox rows and stored answers naming the case."""
        ...

    async def erase_member_data(self, case: CaseRow, position: int, household: str) -> None:
        """Delete what identifies the case's member at ``position`` (their search index row) and write
        ``household`` (with the member erased) in place of the case's; also the stored answers naming
        the case."""
        ...

    def add(self, row: ErasureRow | RetentionRunRow) -> None: ...

    async def flush(self) -> None: ...

    def stage(self, event: IntegrationEvent) -> str: ...

    async def due_cases(self, closed_before: date) -> Sequence[CaseRow]:
        """Closed cases not yet erased whose closing day is before ``closed_before``."""
        ...


class OpenReferrals(Protocol):
    async def count(self, case_id: UUID, organisation: str) -> int | None:
        """How many referrals of the case are still open (made or accepted); None when referrals cannot
        be asked now."""
        ...


class ReferralsUnavailable(Exception):
    """Referrals did not say whether the case has open referrals: nothing is erased (HTTP 503)."""


def open_referrals_first(count: int) -> ConflictError:
    return ConflictError(
        "open_referrals",
        f"Případ má otevřená předání partnerům ({count}). Nejprve je zrušte v Předávání partnerům"
        " (stránka předání případu); potom lze údaje vymazat.",
        f"The case has {count} open referral(s). Cancel them first (the case's referrals page in"
        " Referrals); then its data can be erased.",
    )


CASE_OPEN = ConflictError(
    "case_open",
    "Případ je otevřený. Údaje lze vymazat jen u uzavřeného případu: nejprve jej uzavřete.",
    "The case is open. Only a closed case's data can be erased: close it first.",
)
APPLICANT_WHOLE_CASE = ConflictError(
    "applicant_is_the_case",
    "Žadatele nelze vymazat samostatně: vymažte údaje celého případu.",
    "The applicant cannot be erased alone: erase the whole case's data.",
)
MEMBER_ALREADY_ERASED = ConflictError(
    "member_already_erased",
    "Údaje tohoto člena domácnosti už byly vymazány.",
    "This household member's data have already been erased.",
)
ALREADY_ERASED = ConflictError(
    "case_already_erased",
    "Údaje tohoto případu už byly vymazány.",
    "This case's data have already been erased.",
)


@dataclass(frozen=True)
class Erasure:
    """What erases: who (an administrator, or the retention job as the system), when, why."""

    actor: Actor
    now: datetime
    reason: str
    note: str | None = None
    run_id: UUID | None = None
    caused_by: str | None = None


async def check_erasable(case: CaseRow, referrals: OpenReferrals) -> None:
    """Refuse what may not be erased now: 409 already erased, open case or open referrals; 503 when
    referrals cannot be asked."""
    if case.erased_at is not None:
        raise ALREADY_ERASED
    if case.status != "closed":
        raise CASE_OPEN
    count = await referrals.count(case.id, case.organisation)
    if count is None:
        raise ReferralsUnavailable()
    if count:
        raise open_referrals_first(count)


def _announce(store: ErasureStore, case: CaseRow, what: Erasure, member: int | None = None) -> ErasureRow:
    """Stage PersonalDataErased and record the erasure (of the case, or of its ``member``)."""
    event_id = store.stage(
        PersonalDataErased(
            case_id=case.id,
            case_number=case.number,
            erased_at=what.now,
            reason=what.reason,
            member_position=member,
            actor=what.actor,
            occurred_at=what.now,
            caused_by=what.caused_by,
        )
    )
    row = ErasureRow(
        case_id=case.id,
        member_position=member,
        erased_at=what.now,
        reason=what.reason,
        note=what.note,
        erased_by=what.actor.user_id,
        organisation=case.organisation,
        event_id=event_id,
        run_id=what.run_id,
    )
    store.add(row)
    case.updated_at, case.updated_by = what.now, what.actor.user_id
    case.version += 1
    return row


async def erase(store: ErasureStore, case: CaseRow, what: Erasure) -> ErasureRow:
    """Erase ``case`` (checked by :func:`check_erasable`); the caller commits."""
    row = _announce(store, case, what)
    household = erased_household(what.now, prague_date(what.now), what.reason)
    case.erased_at = what.now
    await store.erase_case_data(case, json.dumps(household, ensure_ascii=False))
    return row


async def _own_case(store: ErasureStore, case_id: UUID, organisation: str) -> CaseRow:
    case = await store.case(case_id)
    if case is None or case.organisation != organisation:
        raise NotFoundError("Případ", "Case")
    return case


async def erase_member(
    store: ErasureStore, referrals: OpenReferrals, case_id: UUID, position: int, what: Erasure
) -> ErasureRow:
    """An administrator's erasure of one member of a closed case (not the applicant: erasing them is
    erasing the case): the member keeps only their relationship to the applicant and when and why."""
    case = await _own_case(store, case_id, what.actor.organisation)
    await check_erasable(case, referrals)
    household = json.loads(case.household)
    members = household.get("members") or []
    if not 0 <= position < len(members):
        raise NotFoundError("Člen domácnosti", "Household member")
    if position == 0:
        raise APPLICANT_WHOLE_CASE
    if members[position].get("erased"):
        raise MEMBER_ALREADY_ERASED
    row = _announce(store, case, what, position)
    members[position] = erased_member(members[position], what.now, prague_date(what.now), what.reason)
    await store.erase_member_data(case, position, json.dumps(household, ensure_ascii=False))
    return row


async def erase_case(
    store: ErasureStore, referrals: OpenReferrals, case_id: UUID, what: Erasure
) -> ErasureRow:
    """An administrator's erasure of a case of their organisation."""
    case = await _own_case(store, case_id, what.actor.organisation)
    await check_erasable(case, referrals)
    return await erase(store, case, what)


async def run_retention(
    store: ErasureStore,
    referrals: OpenReferrals,
    *,
    now: datetime,
    years: int,
    dry_run: bool = False,
    by: str = RETENTION_ACTOR,
) -> RetentionRunRow:
    """Erase (or, on a dry run, list) every case past its retention period; a case with open referrals
    (or whose referrals cannot be asked) is held and listed as such. Returns the run's report; the
    caller commits."""
    today = prague_date(now)
    before = closed_before(today, years)
    run = RetentionRunRow(
        started_at=now, dry_run=dry_run, closed_before=before, by=by, erased=0, held=0, cases="[]"
    )
    store.add(run)
    await store.flush()
    actor = Actor(user_id=RETENTION_ACTOR, organisation=SYSTEM_ACTOR.organisation)
    items: list[dict[str, Any]] = []
    for case in await store.due_cases(before):
        if not is_due(case.status, case.closed_on, today, years):
            continue
        item: dict[str, Any] = {
            "case_id": str(case.id),
            "number": case.number,
            "closed_on": str(case.closed_on),
            "organisation": case.organisation,
        }
        try:
            await check_erasable(case, referrals)
        except ReferralsUnavailable:
            item["outcome"], item["why"] = "held", "referrals_unavailable"
        except ConflictError as refusal:
            item["outcome"], item["why"] = "held", refusal.code
        else:
            if dry_run:
                item["outcome"] = "would_erase"
            else:
                await erase(store, case, Erasure(actor=actor, now=now, reason=RETENTION, run_id=run.id))
                item["outcome"] = "erased"
        items.append(item)
    run.erased, run.held = retention_counts(items)
    run.cases = json.dumps(items, ensure_ascii=False)
    store.add(run)
    return run


def retention_counts(items: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """How many of a run's cases were (or, on a dry run, would be) erased, and how many held."""
    erased = sum(1 for i in items if i["outcome"] in ("erased", "would_erase"))
    return erased, sum(1 for i in items if i["outcome"] == "held")


def report_for(run: RetentionRunRow, organisation: str) -> tuple[list[dict[str, Any]], int, int]:
    """The cases of a run that belong to ``organisation`` (an administrator sees their own), and their
    counts."""
    items = [i for i in json.loads(run.cases) if i.get("organisation") == organisation]
    return (items, *retention_counts(items))
