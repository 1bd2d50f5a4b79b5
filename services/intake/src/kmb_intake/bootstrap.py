"""Intake's composition root: ``build_app(settings)`` wires the case store on the database and its outbox, the
clock and the peers into the application, and the application into the API and the pages; ``create_admin`` is the
command line's way in (``kmb users create-admin``)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from fastapi import FastAPI

from kmb_shared.auth import Role
from kmb_shared.clock import SystemClock
from kmb_shared.contracts import (
    ApplicationDecided,
    ApplicationSubmitted,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ContactRecorded,
    HouseholdChanged,
    PersonalDataErased,
)
from kmb_shared.db import Database
from kmb_shared.service import Runtime, ServiceSpec, build_service_app

from .adapters.account_store import SqlAccountStore
from .adapters.applications import load_kinds
from .adapters.peers import HttpPeers
from .adapters.store import SqlCaseStore
from .application.accounts import create_user, prune_credentials
from .application.deps import IntakeDeps
from .config import MIGRATIONS, IntakeSettings
from .domain.accounts import UserIn
from .entrypoints.api import router
from .entrypoints.applications import KINDS_STATE
from .entrypoints.deps import DEPS_STATE
from .entrypoints.errors import localize_request_errors
from .entrypoints.pages import install_pages
from .entrypoints.retention_job import retention_job
from .entrypoints.security import OwnRecords

__all__ = ["MIGRATIONS", "build_app", "build_spec", "create_admin"]


log = logging.getLogger(__name__)


async def credential_pruning(runtime: Runtime) -> None:
    """Runs for the service's lifetime: forget the records of long-expired sessions and tokens, as often
    as the messaging retention job runs (``KMB_RETENTION_INTERVAL_S``)."""
    while True:
        try:
            async with runtime.db.session() as session:
                gone = await prune_credentials(SqlAccountStore(session), now=datetime.now(UTC))
                await session.commit()
            if gone:
                log.info("intake: forgot %d expired sign-in records", gone)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("intake: pruning expired sign-in records failed; trying again later")
        await asyncio.sleep(runtime.settings.retention_interval_s)


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="intake",
        title="Příjem a případy / Intake",
        description="Contacts, cases and households; the only place personal data is kept.",
        migrations=MIGRATIONS,
        routers=[router],
        publishes=[
            CaseOpened,
            HouseholdChanged,
            CaseClosed,
            CaseReopened,
            ContactRecorded,
            PersonalDataErased,
            ApplicationSubmitted,
            ApplicationDecided,
        ],
        localizer=localize_request_errors,
        background=[credential_pruning, retention_job],
    )


def build_app(settings: IntakeSettings | None = None) -> FastAPI:
    """The intake service: the HTTP API (roles checked on every route) and the Czech pages."""
    settings = settings or IntakeSettings()
    app = build_service_app(build_spec(), settings)
    outbox = app.state.runtime.outbox
    deps = IntakeDeps(
        settings=settings,
        clock=SystemClock(),
        peers=HttpPeers(settings, app.state),
        store=lambda session: SqlCaseStore(session, outbox),
        accounts=SqlAccountStore,
    )
    setattr(app.state, DEPS_STATE, deps)
    # the application kinds, checked now: a bad kind file stops the start with its file and place named
    setattr(app.state, KINDS_STATE, load_kinds(settings.application_kinds_dir))
    app.state.session_checker = OwnRecords()  # intake keeps the truth: no call to itself
    install_pages(app)
    return app


async def create_admin(settings: IntakeSettings, username: str, password: str, name: str) -> None:
    """Create an active administrator in intake's database (migrating it first if needed).

    Raises ``pydantic.ValidationError`` for a bad username or a password under 10 characters, and
    :class:`kmb_intake.application.accounts.UsernameTaken` (a ``ConflictError``) when the username exists.
    """
    body = UserIn(username=username, name=name, password=password, roles=(Role.ADMIN.value,))
    db = Database(settings.resolved_database_url)
    try:
        await db.migrate(MIGRATIONS)
        async with db.session() as session:
            await create_user(SqlAccountStore(session), body, by="cli", now=SystemClock().now())
            await session.commit()
    finally:
        await db.dispose()
