"""One broker of a 3-node cluster is killed (kill -9) under a steady load of cases and restarted later:
nothing is lost and nothing is doubled.

The five services run as processes on the cluster of the test kit (``kafka_cluster``), each on a fresh
database of the tests' PostgreSQL server, with two copies of every consuming service (assessment,
catalogue, referrals, stats: same database and consumer group, another port), as a region would run
them. Workers drive the flow over HTTP through the first copy of each service, each case in turn: open it (intake), survey and submit its assessment, refer it to a
partner, the partner accepts. The active controller is killed mid-stream, the load goes on, the node is
restarted, the load goes on. Then, after every consumer has caught up (lag 0):

- stats counts every case opened, assessment submitted, referral made and accepted exactly once;
- the assessment topic holds exactly one NeedAssessed per submitted assessment (and none other);
- the partner's topic holds exactly one message per referral and one status update per acceptance
  (and none other);
- the CaseOpened of every opened case is on the intake topic;
- the dead-letter topic is empty.

Counted in events: a record re-sent with the id of one already there (a relay whose acknowledgement
was lost with the broker) is the same event again, reported, not a second message.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kmb_cli import services as svc
from kmb_testkit.cluster import KafkaCluster
from kmb_testkit.system import System

from .flow import Done, Flow, Load, base_url, check, controller, on_postgres, reconcile, register_partner

pytestmark = [pytest.mark.cluster, pytest.mark.postgres]

#: workers driving cases at once (each one case at a time, as fast as the system answers)
WORKERS = 4
#: seconds of load before the kill, with the node down, and after its restart
BEFORE_S, DOWN_S, AFTER_S = 15.0, 20.0, 15.0
#: attempts per request: a request that fails on the first copy is sent again to the second
ATTEMPTS = 8


@pytest.fixture(scope="module")
def system(kafka_cluster: KafkaCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    var_dir: Path = tmp_path_factory.mktemp("kmb-cluster")
    servers = dict.fromkeys(svc.SERVICES, base_url())
    with on_postgres(kafka_cluster, var_dir, servers, "cluster") as running:
        yield running


def test_a_broker_killed_mid_stream_and_restarted_loses_nothing_and_doubles_nothing(
    kafka_cluster: KafkaCluster, system: System
) -> None:
    register_partner(system.urls["referrals"])
    done = Done()
    load = Load(Flow(system.addresses, done, attempts=ATTEMPTS), WORKERS)
    load.run_for(BEFORE_S)
    victim = asyncio.run(controller(system.bootstrap))
    cases_at_kill = len(done.cases)
    kafka_cluster.kill(victim)
    killed_at = time.monotonic()
    load.run_for(DOWN_S)
    kafka_cluster.restart()
    restarted_in = kafka_cluster.restarts[-1]
    down_s = time.monotonic() - killed_at
    load.run_for(AFTER_S)
    load_s = load.stop()
    assert len(done.cases) > cases_at_kill > 0, "cases went through both before and after the kill"

    # Reconcile: stats has everything once, every consumer has caught up, the topics hold it once.
    found = reconcile(system, done)
    n_cases = len(done.cases)
    print(
        f"\nbroker loss: {n_cases} cases opened ({cases_at_kill} before the kill), {len(done.assessments)} "
        f"assessed, {len(done.referrals)} referred, {len(done.accepted)} accepted in {load_s:.0f} s of load "
        f"({n_cases / load_s:.1f} cases/s); node {victim} (the active controller) down {down_s:.0f} s, "
        f"its restart took {restarted_in:.1f} s; duplicate records on the topics: {found.duplicates()}, of them re-sent events (same id): "
        f"{found.resent}; requests sent again: {done.retries()}; DLQ {len(found.dlq)}; records read: {found.read}"
    )
    check(found, done, resend_allowed=True)
