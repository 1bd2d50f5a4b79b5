"""Topic names. A prefix (``KMB_TOPIC_PREFIX``) lets several contact points or test runs share a cluster."""

from __future__ import annotations

from dataclasses import dataclass

from kmb_shared.contracts import IntegrationEvent

CONTEXTS = ("intake", "assessment", "catalogue", "referrals")


@dataclass(frozen=True)
class Topics:
    prefix: str = ""

    def context(self, context: str) -> str:
        return f"{self.prefix}kmb.{context}.v1"

    def for_event(self, event: IntegrationEvent | type[IntegrationEvent]) -> str:
        return self.context(event.context())

    def partner(self, slug: str) -> str:
        return f"{self.prefix}kmb.partner.{slug}.v1"

    @property
    def dlq(self) -> str:
        return f"{self.prefix}kmb.dlq.v1"

    @property
    def core(self) -> list[str]:
        """The topics the project creates at start: one per context, and the dead-letter topic."""
        return [self.context(c) for c in CONTEXTS] + [self.dlq]
