"""Background job: the validity of register entries (§23).

Every ``register_check_interval_s`` it marks entries due for reassessment and expires the entries
past their last day, emitting RegistrationExpired. Each change is a conditional update committed
together with its event, so the event leaves exactly once however many copies of the service run
and however often they check.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import cast

from kmb_shared.contracts import RegistrationExpired
from kmb_shared.service import Runtime

from .adapters.register import IN_FORCE, change_status, entries_to_check
from .adapters.tables import RegisterEntryRow, RegisterStatus
from .config import AssessmentSettings
from .domain import RegistrationStatus, RuleSet, load_rule_sets, registration_status

log = logging.getLogger(__name__)

#: the cause recorded on events of this job (no request or event asked for them)
JOB_CAUSE = "job:register-validity"


@dataclass
class CheckResult:
    marked_due: int = 0
    expired: int = 0


def _validity_rules(entry: RegisterEntryRow) -> RuleSet:
    by_version = {rules.version: rules for rules in load_rule_sets()}
    return by_version[entry.rule_set_version]


async def check_register(runtime: Runtime, today: date) -> CheckResult:
    """Bring every entry in force up to date with ``today``."""
    done = CheckResult()
    async with runtime.db.session() as session:
        entries = await entries_to_check(session, today)
    for entry in entries:
        status = registration_status(entry.registered_on, today, _validity_rules(entry))
        async with runtime.db.session() as session:
            now = datetime.now(UTC)
            if status is RegistrationStatus.EXPIRED:
                expired_on = entry.valid_until + timedelta(days=1)
                values = {"status": RegisterStatus.EXPIRED.value, "expired_on": expired_on}
                if not await change_status(session, entry.id, IN_FORCE, {**values, "status_changed_at": now}):
                    continue
                event = RegistrationExpired(
                    case_id=entry.case_id,
                    assessment_id=entry.assessment_id,
                    expired_on=expired_on,
                    caused_by=entry.registered_event_id or JOB_CAUSE,
                )
                runtime.outbox.stage(session, event)
                done.expired += 1
            elif status is RegistrationStatus.DUE_FOR_REASSESSMENT:
                values = {"status": RegisterStatus.DUE.value, "status_changed_at": now}
                if not await change_status(session, entry.id, (RegisterStatus.ACTIVE.value,), values):
                    continue
                done.marked_due += 1
            else:
                continue
            await runtime.commit(session)
    return done


async def register_validity(runtime: Runtime) -> None:
    """Check the register now and then every ``register_check_interval_s`` until cancelled."""
    settings = cast(AssessmentSettings, runtime.settings)
    while True:
        try:
            done = await check_register(runtime, settings.today())
            if done.marked_due or done.expired:
                log.info("register: %d due for reassessment, %d expired", done.marked_due, done.expired)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("register check failed; trying again at the next interval")
        await asyncio.sleep(settings.register_check_interval_s)
