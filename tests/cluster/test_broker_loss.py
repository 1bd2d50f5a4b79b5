"""One broker of a 3-node cluster is killed (kill -9) under a steady load of cases and restarted later:
nothing is lost and nothing is doubled.

The five services run as processes on the cluster of the test kit (``kafka_cluster``). Workers drive
the flow over HTTP, each case in turn: open it (intake), survey and submit its assessment, refer it to a
partner, the partner accepts. The active controller is killed mid-stream, the load goes on, the node is
restarted, the load goes on. Then, after every consumer has caught up (lag 0):

- stats counts every case opened, assessment submitted, referral made and accepted exactly once;
- the assessment topic holds exactly one NeedAssessed per submitted assessment (and none other);
- the partner's topic holds exactly one message per referral and one status update per acceptance
  (and none other);
- the CaseOpened of every opened case is on the intake topic;
- the dead-letter topic is empty.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord

from kmb_cli.lag import consumer_lag
from kmb_shared.auth import Role
from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_testkit.cluster import KafkaCluster
from kmb_testkit.fixtures import bearer
from kmb_testkit.intake_bodies import case_body, earning_applicant
from kmb_testkit.probe import headers_dict, payload
from kmb_testkit.system import PATIENCE_S, System, poll, running_system

pytestmark = pytest.mark.cluster

WORKER = bearer(Role.WORKER, Role.ADMIN, Role.ANALYST, organisation="kmb-praha10", user="worker-7")
PARTNER_SLUG = "azyl-cluster"
PARTNER = bearer(Role.PARTNER, organisation=PARTNER_SLUG, user=f"{PARTNER_SLUG}-clerk")
#: workers driving cases at once (each one case at a time, as fast as the system answers)
WORKERS = 4
#: seconds of load before the kill, with the node down, and after its restart
BEFORE_S, DOWN_S, AFTER_S = 15.0, 20.0, 15.0
CONSUMERS = ("assessment", "catalogue", "referrals", "stats")
EVENT = {
    "opened": "kmb.intake.case_opened.v1",
    "assessed": "kmb.assessment.need_assessed.v1",
    "referred": "kmb.referrals.referral_made.v1",
    "to_partner": "kmb.partner.referral.v1",
    "partner_status": "kmb.partner.referral_status.v1",
}


@dataclass
class Done:
    """What the load did, as the APIs confirmed it (the expected values of the reconciliation)."""

    cases: list[str] = field(default_factory=list)
    assessments: list[str] = field(default_factory=list)
    referrals: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, value: str) -> None:
        with self.lock:
            getattr(self, kind).append(value)


def one_case(http: httpx.Client, urls: dict[str, str], done: Done, n: int) -> None:
    """One case through the flow; each step retried only where an Idempotency-Key makes it safe."""
    body = case_body(
        members=[earning_applicant("Klient", f"Zátěžový {n}", "1988-04-12", 18000)],
        address={"district": "Praha 10", "orp_code": "1100"},
        costs={"rent": 11000},
    )
    opened = http.post(
        f"{urls['intake']}/api/cases", json=body, headers={**WORKER, "Idempotency-Key": uuid.uuid4().hex}
    )
    assert opened.status_code == 201, f"open case: {opened.status_code} {opened.text}"
    case_id = opened.json()["id"]
    done.add("cases", case_id)
    rows = poll(
        lambda: http.get(f"{urls['assessment']}/api/cases/{case_id}/assessments", headers=WORKER).json(),
        lambda rows: isinstance(rows, list) and len(rows) == 1,
        what=f"the assessment of case {case_id}",
    )
    assessment = f"{urls['assessment']}/api/assessments/{rows[0]['id']}"
    survey = http.put(
        f"{assessment}/survey",
        json={"checked_documents": ["lease_contract", "income_statement"], "notes": "ok"},
        headers=WORKER,
    )
    assert survey.status_code == 200, f"survey: {survey.status_code} {survey.text}"
    submitted = http.post(f"{assessment}/submit", headers=WORKER)
    assert submitted.status_code == 200, f"submit: {submitted.status_code} {submitted.text}"
    done.add("assessments", rows[0]["id"])
    referral = http.post(
        f"{urls['referrals']}/api/referrals",
        json={"case_id": case_id, "partner": PARTNER_SLUG, "kind": "social_work"},
        headers={**WORKER, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert referral.status_code == 201, f"referral: {referral.status_code} {referral.text}"
    referral_id = referral.json()["id"]
    done.add("referrals", referral_id)
    accepted = http.post(
        f"{urls['referrals']}/api/partner/{PARTNER_SLUG}/referrals/{referral_id}/accept", headers=PARTNER
    )
    assert accepted.status_code == 200, f"accept: {accepted.status_code} {accepted.text}"
    done.add("accepted", referral_id)


def drive(urls: dict[str, str], done: Done, stop: threading.Event, worker: int) -> None:
    n = 0
    with httpx.Client(timeout=60) as http:
        while not stop.is_set():
            n += 1
            try:
                one_case(http, urls, done, worker * 100_000 + n)
            except Exception as exc:  # recorded; the test fails on any
                done.add("errors", f"worker {worker}, case {n}: {type(exc).__name__}: {exc}")
                return


async def _controller(bootstrap: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap))
    await admin.start()
    try:
        return int((await admin.describe_cluster())["controller_id"])
    finally:
        await admin.close()


async def _partitions(bootstrap: str, topic: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap))
    await admin.start()
    try:
        return len((await admin.describe_topics([topic]))[0]["partitions"])
    finally:
        await admin.close()


async def read_topic(bootstrap: str, topic: str, timeout_s: float = 60.0) -> list[ConsumerRecord[Any, Any]]:
    """Every record on ``topic`` up to its end offsets now (no consumer group)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in range(await _partitions(bootstrap, topic))]
        assert parts, f"topic {topic} has no partitions"
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        ends = await consumer.end_offsets(parts)
        beginnings = await consumer.beginning_offsets(parts)
        records: list[ConsumerRecord[Any, Any]] = []
        deadline = time.monotonic() + timeout_s
        while len(records) < sum(ends.values()) - sum(beginnings.values()):
            assert time.monotonic() < deadline, f"{topic}: not read to its end within {timeout_s:.0f} s"
            for batch in (await consumer.getmany(*parts, timeout_ms=500)).values():
                records += [r for r in batch if r.offset < ends[TopicPartition(r.topic, r.partition)]]
        return records
    finally:
        await consumer.stop()


def by(records: list[ConsumerRecord[Any, Any]], event_type: str, key: str) -> Counter[str]:
    """How many records of ``event_type`` carry each value of payload field ``key``."""
    return Counter(str(payload(r)[key]) for r in records if headers_dict(r).get("ce_type") == event_type)


def lags(system: System) -> dict[str, int | None]:
    groups = [f"{system.topics.prefix}kmb.{name}" for name in CONSUMERS]
    return asyncio.run(consumer_lag(system.bootstrap, groups))


@pytest.fixture(scope="module")
def system(kafka_cluster: KafkaCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    var_dir: Path = tmp_path_factory.mktemp("kmb-cluster")
    with running_system(kafka_cluster.bootstrap, var_dir, "cluster") as running:
        yield running


def test_a_broker_killed_mid_stream_and_restarted_loses_nothing_and_doubles_nothing(
    kafka_cluster: KafkaCluster, system: System
) -> None:
    urls, bootstrap = system.urls, system.bootstrap
    partner = httpx.post(
        f"{urls['referrals']}/api/partners",
        json={"slug": PARTNER_SLUG, "name": "Azyl (zátěž)", "kind": "ngo", "accepted_kinds": ["social_work"]},
        headers=WORKER,
        timeout=60,
    )
    assert partner.status_code == 201, partner.text

    done, stop = Done(), threading.Event()
    began = time.monotonic()
    workers = [
        threading.Thread(target=drive, args=(urls, done, stop, w), daemon=True) for w in range(WORKERS)
    ]
    for worker in workers:
        worker.start()

    def load_for(seconds: float) -> None:
        """Let the load run (the workers stop early only on an error, which fails the test)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not done.errors:
            time.sleep(0.5)

    load_for(BEFORE_S)
    victim = asyncio.run(_controller(bootstrap))
    cases_at_kill = len(done.cases)
    kafka_cluster.kill(victim)
    killed_at = time.monotonic()
    load_for(DOWN_S)
    kafka_cluster.restart()
    restarted_in = kafka_cluster.restarts[-1]
    down_s = time.monotonic() - killed_at
    load_for(AFTER_S)
    stop.set()
    for worker in workers:
        worker.join(PATIENCE_S)
    assert not any(worker.is_alive() for worker in workers), f"a worker did not finish within {PATIENCE_S} s"
    load_s = time.monotonic() - began
    assert not done.errors, "the load failed:\n" + "\n".join(done.errors)
    assert len(done.cases) > cases_at_kill > 0, "cases went through both before and after the kill"

    # Reconcile: stats has everything once, then every consumer has caught up.
    n_cases, n_assessed, n_referred, n_accepted = (
        len(done.cases),
        len(done.assessments),
        len(done.referrals),
        len(done.accepted),
    )
    expected = {
        "cases_opened": n_cases,
        "referrals_made": n_referred,
        "referrals_accepted": n_accepted,
        EVENT["opened"]: n_cases,
        EVENT["assessed"]: n_assessed,
        EVENT["referred"]: n_referred,
    }

    def figures() -> dict[str, int]:
        summary = httpx.get(f"{urls['stats']}/api/stats/summary", headers=WORKER, timeout=60).json()
        by_type = summary["events_by_type"]
        return {k: int(summary[k]) if k in summary else int(by_type.get(k, 0)) for k in expected}

    poll(figures, lambda now: all(now[k] >= v for k, v in expected.items()), what="stats counting everything")
    poll(lambda: lags(system), lambda now: all(v == 0 for v in now.values()), what="lag 0 of every service")
    assert figures() == expected, "stats counts each case, assessment and referral exactly once"

    topics = system.topics
    intake = asyncio.run(read_topic(bootstrap, topics.context("intake")))
    assessment = asyncio.run(read_topic(bootstrap, topics.context("assessment")))
    partner_topic = asyncio.run(read_topic(bootstrap, topics.partner(PARTNER_SLUG)))
    dlq = asyncio.run(read_topic(bootstrap, topics.dlq))
    opened_on_topic = by(intake, EVENT["opened"], "case_id")
    assessed_on_topic = by(assessment, EVENT["assessed"], "assessment_id")
    partner_messages = by(partner_topic, EVENT["to_partner"], "referral_id")
    status_updates = by(partner_topic, EVENT["partner_status"], "referral_id")

    def doubled(counts: Counter[str]) -> int:
        return sum(c - 1 for c in counts.values() if c > 1)

    print(
        f"\nbroker loss: {n_cases} cases opened ({cases_at_kill} before the kill), {n_assessed} assessed, "
        f"{n_referred} referred, {n_accepted} accepted in {load_s:.0f} s of load "
        f"({n_cases / load_s:.1f} cases/s); node {victim} (the active controller) down {down_s:.0f} s, "
        f"its restart took {restarted_in:.1f} s; duplicate records on the topics: "
        f"intake {doubled(opened_on_topic)}, assessment {doubled(assessed_on_topic)}, "
        f"partner {doubled(partner_messages)}, partner status {doubled(status_updates)}; DLQ {len(dlq)}; records read: intake {len(intake)}, "
        f"assessment {len(assessment)}, partner {len(partner_topic)}"
    )
    assert set(opened_on_topic) == set(done.cases), "every opened case's CaseOpened is on the intake topic"
    assert assessed_on_topic == Counter(done.assessments), "exactly one NeedAssessed per submitted assessment"
    assert partner_messages == Counter(done.referrals), "exactly one partner message per referral"
    assert status_updates == Counter(done.accepted), "exactly one 'accepted' to the partner per acceptance"
    assert len(partner_topic) == n_referred + n_accepted, "nothing else on the partner's topic"
    assert dlq == [], "no dead letter"
