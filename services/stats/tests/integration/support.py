"""A running stats service on the real broker, and the scripted history of the unit tests sent to it.

The history (``tests/unit/conftest.py``: cases A–H, contacts k0–k9, solutions S1–S4, referrals R1–R7,
figures worked out by hand there) is loaded from its file, so both suites check the same story.
Stats reads only the four context topics, so R2's acceptance, which the history puts on a partner
topic, is sent on the referrals topic here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from kmb_shared.auth import SESSION_COOKIE, Signer
from kmb_shared.clock import PRAGUE
from kmb_shared.contracts import Actor, IntegrationEvent
from kmb_shared.messaging import Topics
from kmb_shared.service import Runtime
from kmb_stats.adapters.tables import StatsEvent
from kmb_stats.domain import EventMeta
from kmb_testkit.fixtures import TEST_SECRET, bearer
from kmb_testkit.probe import wait_until

UNIT_CONFTEST = Path(__file__).resolve().parents[1] / "unit" / "conftest.py"
PARTNER_ACTOR = Actor(user_id="partner-17", organisation="ngo-a")

#: API clients by role (bearer tokens signed with the test secret the service is built with)
ANALYST = bearer("analyst", organisation="kmb-praha7", user="analyst-3")
WORKER = bearer("worker", organisation="kmb-praha7", user="worker-9")
AUDITOR = bearer("auditor", organisation="kraj-audit", user="auditor-1")
ADMIN = bearer("admin", user="admin-1")
PARTNER = bearer("partner", organisation="ngo-a", user="partner-17")
#: the organisation of the history's cases (their CaseOpened's actor, the system of "kmb"): only its
#: workers, auditors and administrators read their timelines
CASE_ORG = "kmb"
CASE_WORKER = bearer("worker", organisation=CASE_ORG, user="worker-1")
CASE_AUDITOR = bearer("auditor", organisation=CASE_ORG, user="auditor-2")


@dataclass(frozen=True)
class Browser:
    """A signed-in browser: the session cookie intake would set, and the form token it carries."""

    cookies: dict[str, str]
    csrf: str
    user: str
    organisation: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}


def signed_in(*roles: str, user: str = "u-browser", organisation: str = "kmb-praha7") -> Browser:
    signer = Signer(TEST_SECRET)
    cookie = signer.session(user, set(roles), organisation, name="Testovací uživatel")
    principal = signer.read_session(cookie)
    assert principal is not None
    return Browser({SESSION_COOKIE: cookie}, principal.csrf, user, organisation)


def load_history_module() -> ModuleType:
    name = "kmb_stats_scripted_history"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, UNIT_CONFTEST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


HISTORY = load_history_module()
Delivery = tuple[IntegrationEvent, EventMeta]


def traceparent_for(event_id: str) -> str:
    """A well-formed W3C traceparent whose trace id is derived from the event id (for checking)."""
    trace = event_id.encode().hex().ljust(32, "0")[:32]
    return f"00-{trace}-{'ab' * 8}-01"


@dataclass
class Stats:
    client: httpx.AsyncClient
    runtime: Runtime
    bootstrap: str
    topics: Topics
    #: event id -> (topic, partition, offset) of its first delivery
    acks: dict[str, tuple[str, int, int]] = field(default_factory=dict)

    def topic_for(self, history_topic: str) -> str:
        context = history_topic.split(".")[1]
        return self.topics.context("referrals" if context == "partner" else context)

    async def publish(self, deliveries: list[Delivery]) -> None:
        """Send each event as a binary CloudEvent with its history id (duplicates keep their id)."""
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, enable_idempotence=True)
        await producer.start()
        try:
            for event, meta in deliveries:
                if meta.topic.startswith("kmb.partner."):
                    event = event.model_copy(update={"actor": PARTNER_ACTOR})
                headers = [
                    ("ce_id", meta.id.encode()),
                    ("ce_source", f"/kmb/{event.context()}".encode()),
                    ("ce_specversion", b"1.0"),
                    ("ce_type", event.event_type.encode()),
                    ("ce_subject", event.subject.encode()),
                    ("ce_time", event.occurred_at.isoformat().encode()),
                    ("content-type", b"application/json"),
                    ("traceparent", traceparent_for(meta.id).encode()),
                ]
                sent = await producer.send_and_wait(
                    self.topic_for(meta.topic),
                    value=event.model_dump_json().encode(),
                    key=event.subject.encode(),
                    headers=headers,
                )
                self.acks.setdefault(meta.id, (sent.topic, sent.partition, sent.offset))
        finally:
            await producer.stop()

    async def stored(self) -> int:
        async with self.runtime.db.engine.connect() as conn:
            query = sa.select(sa.func.count()).select_from(StatsEvent)
            return int((await conn.execute(query)).scalar_one())

    async def wait_stored(self, count: int, timeout_s: float = 30.0) -> None:
        await wait_for(lambda: self._has(count), timeout_s)

    async def _has(self, count: int) -> bool:
        return await self.stored() >= count

    async def get(self, url: str, headers: dict[str, str] = ANALYST, **params: Any) -> Any:
        """GET JSON as an analyst (unless other credentials are given), expecting 200."""
        response = await self.client.get(url, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()


async def wait_for(predicate: Any, timeout_s: float = 30.0) -> None:
    await wait_until(predicate, timeout_s)


def by_topic(history: Any, *names: str) -> list[Delivery]:
    return [d for name in names for d in history.topics[name]]


async def send_history_out_of_order(stats: Stats) -> Any:
    """Assessments and referrals first (their cases unknown yet), then catalogue and intake, then the
    three duplicate deliveries; waits until all 64 distinct events are stored."""
    h = HISTORY
    history = h.build_history()
    first = by_topic(history, h.ASSESSMENT, h.PARTNER, h.REFERRALS)
    await stats.publish(first)
    # 16 assessment + 1 partner + 16 referrals events
    await stats.wait_stored(33)
    await stats.publish(by_topic(history, h.CATALOGUE, h.INTAKE))
    # + 9 catalogue + 22 intake
    await stats.wait_stored(64)
    await stats.publish(history.duplicates)
    consumer = stats.runtime.consumer
    assert consumer is not None

    async def duplicates_seen() -> bool:
        return consumer.duplicates >= 3

    await wait_for(duplicates_seen)
    return history


def greatest_offsets(stats: Stats, deliveries: list[Delivery], last_day: str) -> list[dict[str, Any]]:
    """The greatest offset per topic partition among events dated (in Prague) up to ``last_day``."""
    best: dict[tuple[str, int], int] = defaultdict(lambda: -1)
    for event, meta in deliveries:
        if event.occurred_at.astimezone(PRAGUE).date().isoformat() <= last_day:
            topic, partition, offset = stats.acks[meta.id]
            best[(topic, partition)] = max(best[(topic, partition)], offset)
    return [{"topic": t, "partition": p, "offset": o} for (t, p), o in sorted(best.items())]


def prague(moment: datetime) -> str:
    return moment.astimezone(PRAGUE).isoformat()
