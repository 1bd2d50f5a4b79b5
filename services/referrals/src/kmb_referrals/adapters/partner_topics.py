"""The partners' own topics on Kafka: their names (with the deployment's prefix) and their creation."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from kmb_shared.messaging import Topics
from kmb_shared.messaging.admin import ensure_topics

from ..application.errors import TopicUnavailable
from ..config import ReferralsSettings

TOPIC_TIMEOUT_S = 20.0


class KafkaPartnerTopics:
    def __init__(self, settings: ReferralsSettings, topics: Topics) -> None:
        self.settings = settings
        self.topics = topics

    def name(self, slug: str) -> str:
        return self.topics.partner(slug)

    async def ensure(self, slugs: Sequence[str]) -> list[str]:
        names = [self.name(slug) for slug in slugs]
        s = self.settings
        try:
            return await asyncio.wait_for(
                ensure_topics(
                    s.kafka_bootstrap, names, s.partner_topic_partitions, s.partner_topic_replication
                ),
                TOPIC_TIMEOUT_S,
            )
        except Exception as exc:
            raise TopicUnavailable(f"cannot create {', '.join(names)}: {exc!r}") from exc
