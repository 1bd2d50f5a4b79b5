"""``/metrics`` of the services (issue 16, "Operators can see it"), fast tier: the five apps in one process
(``kmb_testkit.inprocess``), real consumers fed from the real outboxes without a broker."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from aiokafka.structs import ConsumerRecord
from sqlmodel import select

from kmb_shared.messaging.tables import OutboxMessage
from kmb_shared.metrics import samples, summary
from kmb_testkit.fixtures import bearer
from kmb_testkit.inprocess import SERVICES, InProcessSystem, in_process_system
from kmb_testkit.intake_bodies import case_body

WORKER = bearer("worker")


async def scrape(system: InProcessSystem, service: str) -> str:
    async with system.client(service) as client:
        response = await client.get("/metrics")  # no sign-in
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, frozenset(labels.items())))


async def unsent(system: InProcessSystem, service: str) -> list[OutboxMessage]:
    async with system.apps[service].state.runtime.db.session() as session:
        rows = await session.exec(select(OutboxMessage).where(OutboxMessage.sent_at == None))  # noqa: E711
        return list(rows.all())


async def test_outbox_backlog_handlers_and_http_after_events_flow(tmp_path: Path) -> None:
    async with in_process_system(tmp_path) as system:
        async with system.client("intake") as client:
            for _ in range(2):
                response = await client.post("/api/cases", json=case_body(), headers=WORKER)
                assert response.status_code == 201, response.text
            assert (await client.get("/no/such/page")).status_code == 404

        staged = await unsent(system, "intake")
        assert staged, "opening a case stages its events"
        before = summary(await scrape(system, "intake"))
        assert before["outbox_backlog"] == len(staged)
        assert before["outbox_oldest_age_s"] is not None and before["outbox_oldest_age_s"] > 0
        assert before["dead_lettered"] == 0

        await system.pump()

        after_text = await scrape(system, "intake")
        after = summary(after_text)
        assert (after["outbox_backlog"], after["outbox_oldest_age_s"]) == (0, 0.0)
        assert value(after_text, "kmb_relay_published_total") == len(staged)
        assert value(after_text, "kmb_relay_errors_total") == 0
        posted = {"method": "POST", "route": "/api/cases", "status": "2xx"}
        assert value(after_text, "kmb_http_request_duration_seconds_count", **posted) == 2
        unmatched = {"method": "GET", "route": "unmatched", "status": "4xx"}
        assert value(after_text, "kmb_http_request_duration_seconds_count", **unmatched) == 1
        assert after["lag"] is None, "no consumer runs without a broker, so no partition has a lag"

        # Every service consuming intake's topic applied each intake event of a type it handles once.
        published = Counter(row.event_type for row in staged)
        checked = 0
        for service in SERVICES:
            consumer = system.apps[service].state.runtime.consumer
            if consumer is None or service == "intake":
                continue
            text = await scrape(system, service)
            for event_type, count in published.items():
                if event_type in consumer.handlers:
                    timed = value(text, "kmb_handler_duration_seconds_count", event_type=event_type)
                    assert timed == count, f"{service}: {event_type}"
                    checked += 1
        assert checked > 0, "some service handles intake's events"


async def test_a_poison_event_counts_as_dead_lettered(tmp_path: Path) -> None:
    async with in_process_system(tmp_path) as system:
        consumer = system.apps["stats"].state.runtime.consumer
        assert consumer is not None
        letters: list[str] = []

        async def dead_letter(record: ConsumerRecord[bytes, bytes], exc: BaseException, *_: object) -> None:
            letters.append(type(exc).__name__)

        consumer.dead_letter = dead_letter  # there is no broker to send the copy to
        poison = ConsumerRecord("kmb.intake", 0, 7, 0, 0, b"k", b"{not json", None, 1, 9, [])
        await consumer.handle(poison)  # no CloudEvents headers at all

        assert len(letters) == 1
        assert summary(await scrape(system, "stats"))["dead_lettered"] == 1
