"""What the fault tests on the cluster share: the load of cases through the whole flow over HTTP, and the
reconciliation of what the APIs confirmed with what stats counted and the topics hold.

A worker drives one case after another: open it (intake, with an Idempotency-Key), wait for its pending
assessment, survey and submit it, refer the case to the partner (referrals, with an Idempotency-Key),
the partner accepts. Each service is reached by its addresses: the first takes the load; with more than
one attempt, a request that fails (no connection, 5xx, the same key still in progress) is sent again to
the next address, so a killed copy's requests go to the other copy. A repeated submission or acceptance
that finds its step done (409) checks that it was.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord

from kmb_cli import services as svc
from kmb_cli.lag import consumer_lag
from kmb_referrals.domain.minimisation import PARTNER_MESSAGE_TYPE
from kmb_referrals.domain.partner_updates import PARTNER_STATUS_TYPE
from kmb_shared.auth import Role
from kmb_shared.contracts import CaseOpened, NeedAssessed, ReferralMade
from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_testkit.cluster import KafkaCluster
from kmb_testkit.fixtures import POSTGRES_ENV, bearer, create_database, drop_database
from kmb_testkit.intake_bodies import case_body, earning_applicant
from kmb_testkit.probe import headers_dict, payload
from kmb_testkit.system import PATIENCE_S, System, poll, running_system

WORKER = bearer(Role.WORKER, Role.ADMIN, Role.ANALYST, organisation="kmb-praha10", user="worker-7")
PARTNER_SLUG = "azyl-cluster"
PARTNER = bearer(Role.PARTNER, organisation=PARTNER_SLUG, user=f"{PARTNER_SLUG}-clerk")
CONSUMERS = ("assessment", "catalogue", "referrals", "stats")
#: the types of the events reconciled (the partner's as referrals writes them now)
EVENT = {
    "opened": CaseOpened.event_type,
    "assessed": NeedAssessed.event_type,
    "referred": ReferralMade.event_type,
    "to_partner": PARTNER_MESSAGE_TYPE,
    "partner_status": PARTNER_STATUS_TYPE,
}


@dataclass
class Done:
    """What the load did, as the APIs confirmed it (the expected values of the reconciliation)."""

    cases: list[str] = field(default_factory=list)
    assessments: list[str] = field(default_factory=list)
    referrals: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retried: Counter[str] = field(default_factory=Counter)  # why a request was sent again
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, value: str) -> None:
        with self.lock:
            getattr(self, kind).append(value)

    def retry(self, why: str) -> None:
        with self.lock:
            self.retried[why] += 1

    def retries(self) -> str:
        """How many requests were sent again, and the most common reasons."""
        reasons = ", ".join(f"{why} ×{n}" for why, n in self.retried.most_common(6))
        return f"{sum(self.retried.values())} ({reasons or 'none'})"


def _in_progress(response: httpx.Response) -> bool:
    return response.status_code == 409 and "idempotency_in_progress" in response.text


@dataclass
class Flow:
    """Drives cases through the services at ``urls`` (each service's addresses, the first taking the
    load); ``attempts`` per request (1: any failure fails the case)."""

    urls: dict[str, list[str]]
    done: Done
    attempts: int = 1

    def call(
        self,
        http: httpx.Client,
        step: str,
        service: str,
        method: str,
        path: str,
        headers: dict[str, str],
        body: Any = None,
        ok: Collection[int] = (200,),
        done_already: Callable[[], bool] | None = None,
    ) -> httpx.Response | None:
        """The answer with a status in ``ok``; None when a repeat found the step done (``done_already``
        confirmed it); AssertionError when refused or out of attempts."""
        addresses = self.urls[service]
        last = "no attempt"
        for attempt in range(self.attempts):
            if attempt:
                self.done.retry(f"{step}: {last}")
                time.sleep(min(2.0, 0.1 * 2**attempt))  # a pause before trying again, not a wait
            try:
                response = http.request(
                    method, addresses[attempt % len(addresses)] + path, headers=headers, json=body
                )
            except httpx.TransportError as exc:  # refused, dropped, timed out
                last = type(exc).__name__
                continue
            if response.status_code in ok:
                return response
            if _in_progress(response) and attempt > 1 and done_already is not None and done_already():
                # the first try's effect was committed by a copy killed before it stored its answer:
                # the key stays "in progress" for ever, so the step is looked up instead
                return None
            if response.status_code >= 500 or _in_progress(response):
                last = f"HTTP {response.status_code}"
                continue
            if response.status_code == 409 and attempt and done_already is not None and done_already():
                return None
            raise AssertionError(f"{step}: {response.status_code} {response.text}")
        raise AssertionError(f"{step}: {last} after {self.attempts} attempt(s)")

    def _referral_of(self, http: httpx.Client, case_id: str) -> str | None:
        """The id of the case's referral, if one was made."""
        response = self.call(http, "check", "referrals", "GET", f"/api/referrals?case_id={case_id}", WORKER)
        found = response.json() if response is not None else []
        return str(found[0]["id"]) if found else None

    def _status_is(self, http: httpx.Client, service: str, path: str, status: str) -> bool:
        response = self.call(http, "check", service, "GET", path, WORKER)
        return response is not None and response.json().get("status") == status

    def one_case(self, http: httpx.Client, n: int) -> None:
        """One case through the flow."""
        done = self.done
        body = case_body(
            members=[earning_applicant("Klient", f"Zátěžový {n}", "1988-04-12", 18000)],
            address={"district": "Praha 10", "orp_code": "1100"},
            costs={"rent": 11000},
        )
        key = {"Idempotency-Key": uuid.uuid4().hex}  # the same for every attempt
        opened = self.call(http, "open case", "intake", "POST", "/api/cases", {**WORKER, **key}, body, (201,))
        assert opened is not None
        case_id = opened.json()["id"]
        done.add("cases", case_id)

        def pending() -> Any:
            response = self.call(
                http, "assessment", "assessment", "GET", f"/api/cases/{case_id}/assessments", WORKER
            )
            return response.json() if response is not None else None

        rows = poll(
            pending,
            lambda rows: isinstance(rows, list) and len(rows) == 1,
            what=f"the assessment of case {case_id}",
        )
        assessment = f"/api/assessments/{rows[0]['id']}"
        survey = {"checked_documents": ["lease_contract", "income_statement"], "notes": "ok"}
        self.call(http, "survey", "assessment", "PUT", f"{assessment}/survey", WORKER, survey)
        self.call(
            http,
            "submit",
            "assessment",
            "POST",
            f"{assessment}/submit",
            WORKER,
            done_already=lambda: self._status_is(http, "assessment", assessment, "submitted"),
        )
        done.add("assessments", rows[0]["id"])
        referral = self.call(
            http,
            "referral",
            "referrals",
            "POST",
            "/api/referrals",
            {**WORKER, "Idempotency-Key": uuid.uuid4().hex},
            {"case_id": case_id, "partner": PARTNER_SLUG, "kind": "social_work"},
            (201,),
            done_already=lambda: self._referral_of(http, case_id) is not None,
        )
        referral_id = referral.json()["id"] if referral is not None else self._referral_of(http, case_id)
        assert referral_id is not None
        done.add("referrals", referral_id)
        self.call(
            http,
            "accept",
            "referrals",
            "POST",
            f"/api/partner/{PARTNER_SLUG}/referrals/{referral_id}/accept",
            PARTNER,
            done_already=lambda: self._status_is(
                http, "referrals", f"/api/referrals/{referral_id}", "accepted"
            ),
        )
        done.add("accepted", referral_id)

    def drive(self, stop: threading.Event, worker: int) -> None:
        n = 0
        with httpx.Client(timeout=60) as http:
            while not stop.is_set():
                n += 1
                try:
                    self.one_case(http, worker * 100_000 + n)
                except Exception as exc:  # recorded; the test fails on any
                    self.done.add("errors", f"worker {worker}, case {n}: {type(exc).__name__}: {exc}")
                    return


def register_partner(referrals: str) -> None:
    partner = httpx.post(
        f"{referrals}/api/partners",
        json={"slug": PARTNER_SLUG, "name": "Azyl (zátěž)", "kind": "ngo", "accepted_kinds": ["social_work"]},
        headers=WORKER,
        timeout=60,
    )
    assert partner.status_code == 201, partner.text


class Load:
    """``workers`` threads driving cases with ``flow`` from the start until :meth:`stop`."""

    def __init__(self, flow: Flow, workers: int) -> None:
        self.flow, self.stopping = flow, threading.Event()
        self.began = time.monotonic()
        self.threads = [
            threading.Thread(target=flow.drive, args=(self.stopping, w), daemon=True) for w in range(workers)
        ]
        for thread in self.threads:
            thread.start()

    def run_for(self, seconds: float) -> None:
        """Let the load run (the workers stop early only on an error, which fails the test)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not self.flow.done.errors:
            time.sleep(0.5)

    def stop(self) -> float:
        """Stop the workers (each finishes its case); the seconds of load; fails on any error."""
        self.stopping.set()
        for thread in self.threads:
            thread.join(PATIENCE_S)
        assert not any(t.is_alive() for t in self.threads), f"a worker did not finish within {PATIENCE_S} s"
        done = self.flow.done
        assert not done.errors, "the load failed:\n" + "\n".join(done.errors)
        return time.monotonic() - self.began


async def controller(bootstrap: str) -> int:
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


def distinct(records: list[ConsumerRecord[Any, Any]], event_type: str, key: str) -> Counter[str]:
    """As :func:`by`, but how many different events (CloudEvents ids): a record re-sent with the id of
    one already on the topic is the same event again, which every consumer's inbox skips."""
    ids = {
        (str(payload(r)[key]), headers_dict(r)["ce_id"])
        for r in records
        if headers_dict(r).get("ce_type") == event_type
    }
    return Counter(subject for subject, _ in ids)


def resent(records: list[ConsumerRecord[Any, Any]]) -> int:
    """Records that carry the id of an earlier record on the topic."""
    return len(records) - len({headers_dict(r)["ce_id"] for r in records})


def doubled(counts: Counter[str]) -> int:
    return sum(c - 1 for c in counts.values() if c > 1)


def lags(system: System) -> dict[str, int | None]:
    groups = [f"{system.topics.prefix}kmb.{name}" for name in CONSUMERS]
    return asyncio.run(consumer_lag(system.bootstrap, groups))


@dataclass
class Reconciled:
    """What the topics hold once every consumer caught up (counts per case, assessment or referral)."""

    opened: Counter[str]
    assessed: Counter[str]
    to_partner: Counter[str]
    partner_status: Counter[str]
    read: dict[str, int]  # records read per topic
    dlq: list[ConsumerRecord[Any, Any]]
    #: the same as ``opened`` .. ``partner_status`` counting different events, not records
    events: dict[str, Counter[str]]
    resent: dict[str, int]  # records per topic re-sending an event already there

    def duplicates(self) -> str:
        return (
            f"intake {doubled(self.opened)}, assessment {doubled(self.assessed)}, "
            f"partner {doubled(self.to_partner)}, partner status {doubled(self.partner_status)}"
        )


def reconcile(system: System, done: Done) -> Reconciled:
    """Wait (bounded) until stats counted everything and every consumer group has lag 0; check that
    stats counted each case, assessment and referral exactly once; read the topics."""
    urls = system.urls
    expected = {
        "cases_opened": len(done.cases),
        "referrals_made": len(done.referrals),
        "referrals_accepted": len(done.accepted),
        EVENT["opened"]: len(done.cases),
        EVENT["assessed"]: len(done.assessments),
        EVENT["referred"]: len(done.referrals),
    }

    def figures() -> dict[str, int]:
        summary = httpx.get(f"{urls['stats']}/api/stats/summary", headers=WORKER, timeout=60).json()
        by_type = summary["events_by_type"]
        return {k: int(summary[k]) if k in summary else int(by_type.get(k, 0)) for k in expected}

    poll(figures, lambda now: all(now[k] >= v for k, v in expected.items()), what="stats counting everything")
    poll(lambda: lags(system), lambda now: all(v == 0 for v in now.values()), what="lag 0 of every service")
    assert figures() == expected, "stats counts each case, assessment and referral exactly once"

    bootstrap, topics = system.bootstrap, system.topics
    intake = asyncio.run(read_topic(bootstrap, topics.context("intake")))
    assessment = asyncio.run(read_topic(bootstrap, topics.context("assessment")))
    partner_topic = asyncio.run(read_topic(bootstrap, topics.partner(PARTNER_SLUG)))
    return Reconciled(
        opened=by(intake, EVENT["opened"], "case_id"),
        assessed=by(assessment, EVENT["assessed"], "assessment_id"),
        to_partner=by(partner_topic, EVENT["to_partner"], "referral_id"),
        partner_status=by(partner_topic, EVENT["partner_status"], "referral_id"),
        read={"intake": len(intake), "assessment": len(assessment), "partner": len(partner_topic)},
        dlq=asyncio.run(read_topic(bootstrap, topics.dlq)),
        events={
            "opened": distinct(intake, EVENT["opened"], "case_id"),
            "assessed": distinct(assessment, EVENT["assessed"], "assessment_id"),
            "to_partner": distinct(partner_topic, EVENT["to_partner"], "referral_id"),
            "partner_status": distinct(partner_topic, EVENT["partner_status"], "referral_id"),
        },
        resent={"intake": resent(intake), "assessment": resent(assessment), "partner": resent(partner_topic)},
    )


def check(found: Reconciled, done: Done, resend_allowed: bool = False) -> None:
    """0 lost, 0 doubled: the topics hold exactly what the APIs confirmed, and no dead letter. With
    ``resend_allowed``, counted in events rather than records: an outbox row whose process died after
    the broker took it and before it was marked sent goes out again with the same event id (at least
    once; consumers skip it by that id), which is not a second effect."""
    opened, assessed, to_partner, status = (
        (found.events[k] for k in ("opened", "assessed", "to_partner", "partner_status"))
        if resend_allowed
        else (found.opened, found.assessed, found.to_partner, found.partner_status)
    )
    on_partner_topic = found.read["partner"] - (found.resent["partner"] if resend_allowed else 0)
    assert set(opened) == set(done.cases), "every opened case's CaseOpened is on the intake topic"
    assert assessed == Counter(done.assessments), "exactly one NeedAssessed per submitted assessment"
    assert to_partner == Counter(done.referrals), "exactly one partner message per referral"
    assert status == Counter(done.accepted), "exactly one 'accepted' to the partner per acceptance"
    assert on_partner_topic == len(done.referrals) + len(done.accepted), "nothing else on the partner's topic"
    assert found.dlq == [], "no dead letter"


def base_url() -> str:
    """The tests' PostgreSQL server (the URL of its maintenance database)."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.fail(f"The PostgreSQL server for tests is not configured ({POSTGRES_ENV})", pytrace=False)
    return base


@contextmanager
def on_postgres(
    kafka_cluster: KafkaCluster, var_dir: Path, servers: dict[str, str], stem: str
) -> Iterator[System]:
    """The system with two copies of each consumer, each service on a fresh database of the server
    ``servers`` names for it (a PostgreSQL URL), dropped afterwards."""
    databases = {name: asyncio.run(create_database(servers[name])) for name in svc.SERVICES}
    env = {f"KMB_{name.upper()}_DATABASE_URL": url for name, url in databases.items()}
    try:
        with running_system(kafka_cluster.bootstrap, var_dir, stem, env=env, copies=CONSUMERS) as running:
            yield running
    finally:
        for name, url in databases.items():
            with suppress(OSError):  # a server the test stopped for good goes with its data
                asyncio.run(drop_database(servers[name], url))
