"""The retention job: once a day (``KMB_INTAKE_RETENTION_INTERVAL_H``), erase every case past its
retention period (``KMB_INTAKE_RETENTION_YEARS`` after the year it was closed) with the reason
``retention``, and keep the run's report (the admin page ``/admin/retention``, ``GET /api/retention/runs``).
Off with ``KMB_INTAKE_RETENTION_JOB=false``."""

from __future__ import annotations

import asyncio
import logging

from kmb_shared.auth import Signer, load_secret
from kmb_shared.clock import Clock, SystemClock
from kmb_shared.service import Runtime

from ..adapters.erasure_store import HttpOpenReferrals, SqlErasureStore
from ..adapters.erasure_tables import RetentionRunRow
from ..adapters.peers import HttpPeers
from ..application.erasure import RETENTION_ACTOR, run_retention
from ..config import IntakeSettings

log = logging.getLogger(__name__)


async def retention_once(
    runtime: Runtime, clock: Clock | None = None, *, dry_run: bool = False
) -> RetentionRunRow:
    """One run on the runtime's database and outbox, committed (the relay then sends the events)."""
    settings = runtime.settings
    assert isinstance(settings, IntakeSettings)
    signer = Signer(load_secret(settings.var_dir, settings.secret_key))
    referrals = HttpOpenReferrals(HttpPeers(settings), signer, RETENTION_ACTOR)
    async with runtime.db.session() as session:
        run = await run_retention(
            SqlErasureStore(session, runtime.outbox),
            referrals,
            now=(clock or SystemClock()).now(),
            years=settings.retention_years,
            dry_run=dry_run,
        )
        await runtime.commit(session)
        await session.refresh(run)
    return run


async def retention_job(runtime: Runtime) -> None:
    """Runs for the service's lifetime (a failed run is logged and tried again at the next interval)."""
    settings = runtime.settings
    assert isinstance(settings, IntakeSettings)
    if not settings.retention_job:
        return
    while True:
        try:
            run = await retention_once(runtime)
            if run.erased or run.held:
                log.info(
                    "intake: retention erased %d case(s), held %d (open referrals)", run.erased, run.held
                )
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("intake: the retention job failed; trying again at the next interval")
        await asyncio.sleep(settings.retention_interval_h * 3600)
