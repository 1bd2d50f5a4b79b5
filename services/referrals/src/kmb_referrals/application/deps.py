"""The typed dependencies of the running service (built once by ``bootstrap``), instead of a
dictionary of extras: what the routes, pages, handlers and jobs hand to the use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kmb_shared.contracts import Actor

from ..config import ReferralsSettings
from ..domain import DeadlineConfig, WorkerContact
from .ports import Catalogue, Clock, Identities, PartnerTopics, UnitOfWorkFactory


@dataclass(frozen=True)
class ReferralsDeps:
    settings: ReferralsSettings
    #: opens one transaction with its outbox
    uow: UnitOfWorkFactory
    #: today in the Czech Republic
    clock: Clock
    #: the partners' topics (names, creation)
    partner_topics: PartnerTopics
    #: intake, asked for the household's identity when a partner may learn it
    intake: Identities
    #: the catalogue, asked for the title of a referred entry
    catalogue: Catalogue
    #: the key of the per-partner case pseudonyms
    pseudonym_key: bytes

    @property
    def deadlines(self) -> DeadlineConfig:
        return self.settings.deadline_config()

    def today(self) -> date:
        return self.clock.today()

    def topic(self, slug: str) -> str:
        """The partner's topic with this deployment's prefix."""
        return self.partner_topics.name(slug)

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
