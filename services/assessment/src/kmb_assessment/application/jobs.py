"""Background job: the validity of register entries (§23).

Every ``register_check_interval_s`` it marks entries due for reassessment and expires the entries
past their last day, emitting RegistrationExpired. Each change is a conditional update committed
together with its event, so the event leaves exactly once however many copies of the service run
and however often they check.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kmb_shared.contracts import RegistrationExpired

from ..adapters.tables import IN_FORCE, RegisterEntryRow, RegisterStatus
from ..domain import RegistrationStatus, RuleSet, load_rule_sets, registration_status
from .ports import Clock, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

#: the cause recorded on events of this job (no request or event asked for them)
JOB_CAUSE = "job:register-validity"


@dataclass
class CheckResult:
    marked_due: int = 0
    expired: int = 0


def _validity_rules(entry: RegisterEntryRow, rule_sets: Sequence[RuleSet] | None = None) -> RuleSet:
    by_version = {rules.version: rules for rules in (load_rule_sets() if rule_sets is None else rule_sets)}
    return by_version[entry.rule_set_version]


async def check_register(
    uow: UnitOfWorkFactory, clock: Clock, today: date, rule_sets: Sequence[RuleSet] | None = None
) -> CheckResult:
    """Bring every entry in force up to date with ``today`` (``rule_sets``: the sets in use,
    packaged + activated; None: the packaged ones)."""
    done = CheckResult()
    async with uow() as work:
        entries = await work.store.entries_to_check(today)
    for entry in entries:
        status = registration_status(entry.registered_on, today, _validity_rules(entry, rule_sets))
        async with uow() as work:
            if status is RegistrationStatus.EXPIRED:
                if not await _expire(work, entry, clock):
                    continue
                done.expired += 1
            elif status is RegistrationStatus.DUE_FOR_REASSESSMENT:
                values = {"status": RegisterStatus.DUE.value, "status_changed_at": clock.now()}
                if not await work.store.change_status(entry.id, (RegisterStatus.ACTIVE.value,), values):
                    continue
                done.marked_due += 1
            else:
                continue
            await work.commit()
    return done


async def _expire(work: UnitOfWork, entry: RegisterEntryRow, clock: Clock) -> bool:
    """Expire the entry and stage RegistrationExpired; False when another copy did it meanwhile."""
    expired_on = entry.valid_until + timedelta(days=1)
    values = {
        "status": RegisterStatus.EXPIRED.value,
        "expired_on": expired_on,
        "status_changed_at": clock.now(),
    }
    if not await work.store.change_status(entry.id, IN_FORCE, values):
        return False
    work.stage(
        RegistrationExpired(
            case_id=entry.case_id,
            assessment_id=entry.assessment_id,
            expired_on=expired_on,
            caused_by=entry.registered_event_id or JOB_CAUSE,
        )
    )
    return True


async def register_validity(
    uow: UnitOfWorkFactory,
    clock: Clock,
    interval_s: float,
    rule_sets: Callable[[], Awaitable[Sequence[RuleSet]]] | None = None,
) -> None:
    """Check the register now and then every ``interval_s`` seconds until cancelled."""
    while True:
        try:
            in_use = None if rule_sets is None else await rule_sets()
            done = await check_register(uow, clock, clock.today(), in_use)
            if done.marked_due or done.expired:
                log.info("register: %d due for reassessment, %d expired", done.marked_due, done.expired)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("register check failed; trying again at the next interval")
        await asyncio.sleep(interval_s)
