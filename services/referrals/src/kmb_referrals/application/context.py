"""What the use cases need besides a session, built once per running service."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kmb_shared.contracts import Actor
from kmb_shared.service import Runtime

from ..adapters.catalogue_client import CatalogueClient
from ..adapters.intake_client import IntakeClient
from ..config import DEV_PSEUDONYM_KEY, ReferralsSettings
from ..domain import DeadlineConfig, WorkerContact

log = logging.getLogger(__name__)

EXTRAS_KEY = "referrals"


def prague_today() -> date:
    """Today in the Czech Republic (deadlines count Czech working days)."""
    try:
        return datetime.now(ZoneInfo("Europe/Prague")).date()
    except ZoneInfoNotFoundError:  # a system without the time-zone database
        return date.today()


@dataclass
class ReferralsContext:
    runtime: Runtime
    settings: ReferralsSettings
    deadlines: DeadlineConfig
    pseudonym_key: bytes
    intake: IntakeClient
    catalogue: CatalogueClient
    today: Callable[[], date]

    def topic(self, slug: str) -> str:
        """The partner's topic with this deployment's prefix."""
        return self.runtime.topics.partner(slug)

    def worker(
        self, actor: Actor, name: str | None = None, phone: str | None = None, email: str | None = None
    ) -> WorkerContact:
        """The worker a partner reaches the household through (the contact point's line by default)."""
        s = self.settings
        return WorkerContact(
            name=name or f"{s.contact_point_name} – pracovník {actor.user_id}",
            organisation=actor.organisation,
            phone=phone or s.contact_point_phone,
            email=email or s.contact_point_email,
        )


def install_context(runtime: Runtime, today: Callable[[], date] | None = None) -> ReferralsContext:
    settings = runtime.settings
    assert isinstance(settings, ReferralsSettings)
    key = settings.pseudonym_key.get_secret_value()
    if key == DEV_PSEUDONYM_KEY:
        log.warning("referrals: the development pseudonym key is in use; set KMB_REFERRALS_PSEUDONYM_KEY")
    context = ReferralsContext(
        runtime=runtime,
        settings=settings,
        deadlines=settings.deadline_config(),
        pseudonym_key=key.encode(),
        intake=IntakeClient(settings.intake_url, settings.intake_timeout_s),
        catalogue=CatalogueClient(settings.catalogue_url, settings.catalogue_timeout_s),
        today=today or prague_today,
    )
    runtime.extras[EXTRAS_KEY] = context
    return context


def context_of(runtime: Runtime) -> ReferralsContext:
    """The installed context; installed now with the real clock if the runtime was built elsewhere."""
    context = runtime.extras.get(EXTRAS_KEY)
    if isinstance(context, ReferralsContext):
        return context
    return install_context(runtime)
