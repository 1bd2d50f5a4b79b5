"""Two copies of every consuming service on PostgreSQL: one copy of each, in turn, is killed (kill -9)
under a steady load of cases and restarted; nothing is lost and nothing is doubled.

The five services run as processes on the cluster of the test kit (``kafka_cluster``), each on its own
fresh database of the tests' PostgreSQL server; assessment, catalogue, referrals and stats run twice
(same database, same consumer group, another port). The load goes to the first copy of each service;
a request that fails there (the copy is dead, or died while answering) is sent again to the second copy
(the opening of a case and the referral with the same Idempotency-Key, a repeated submission or
acceptance checks that its step was done). For each consuming service in turn: the first copy is killed
mid-stream, the load goes on, the copy is restarted, the load goes on. Then, once every consumer group
has lag 0, the reconciliation of the broker-loss test (:mod:`.flow`): stats counts every case, assessment
and referral exactly once; exactly one NeedAssessed per submitted assessment, one partner message per
referral and one status update per acceptance on the topics, counted in events (a record re-sent
with the id of one already there, by an outbox relay killed after the broker took the row and before
it marked it sent, is the same event again: reported, not a second message); the dead-letter topic is
empty.

Then the PostgreSQL server of one consuming service (stats, a server of the test's own) is stopped for
20 s under the same load and started again, with the same reconciliation.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kmb_cli import services as svc
from kmb_cli.infra import postgres as pg
from kmb_testkit.cluster import KafkaCluster
from kmb_testkit.system import System, free_port

from .flow import (
    CONSUMERS,
    Done,
    Flow,
    Load,
    base_url,
    check,
    on_postgres,
    read_topic,
    reconcile,
    register_partner,
)

pytestmark = [pytest.mark.cluster, pytest.mark.postgres]

WORKERS = 4
#: seconds of load before the first kill, with a copy down, and after each restart
BEFORE_S, DOWN_S, AFTER_S = 8.0, 8.0, 5.0
#: attempts per request: enough to outlast a copy's death (the other copy answers the second one)
ATTEMPTS = 8


@pytest.fixture
def system(kafka_cluster: KafkaCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    servers = dict.fromkeys(svc.SERVICES, base_url())
    with on_postgres(kafka_cluster, tmp_path_factory.mktemp("kmb-copies"), servers, "copies") as running:
        yield running


def test_one_copy_of_each_service_killed_in_turn_and_restarted_loses_nothing_and_doubles_nothing(
    system: System,
) -> None:
    register_partner(system.urls["referrals"])
    done = Done()
    load = Load(Flow(system.addresses, done, attempts=ATTEMPTS), WORKERS)
    load.run_for(BEFORE_S)
    outages: list[str] = []
    for name in CONSUMERS:
        cases_at_kill = len(done.cases)
        system.kill(name, copy=1)
        killed_at = time.monotonic()
        load.run_for(DOWN_S)
        system.restart(name, copy=1)
        outages.append(f"{name} down {time.monotonic() - killed_at:.0f} s (from case {cases_at_kill})")
        load.run_for(AFTER_S)
    load_s = load.stop()
    assert len(done.cases) > cases_at_kill > 0, "cases went through both before and after the last kill"

    found = reconcile(system, done)
    n_cases = len(done.cases)
    print(
        f"\ncopy loss: {n_cases} cases opened, {len(done.assessments)} assessed, {len(done.referrals)} "
        f"referred, {len(done.accepted)} accepted in {load_s:.0f} s of load ({n_cases / load_s:.1f} cases/s); "
        f"{'; '.join(outages)}; requests sent again: {done.retries()}; "
        f"duplicate records on the topics: {found.duplicates()}, of them re-sent events (same id): "
        f"{found.resent}; DLQ {len(found.dlq)}; records read: {found.read}"
    )
    check(found, done, resend_allowed=True)


#: the service whose PostgreSQL server is stopped, and for how long (seconds)
OUTAGE_OF, OUTAGE_S = "stats", 20.0
#: attempts per request while a database is away: the pauses between them add up to over 30 s
OUTAGE_ATTEMPTS = 20


@dataclass
class OwnServer:
    """A PostgreSQL server of the test's own (the tests' server is shared by every test)."""

    var_dir: Path
    port: int

    def start(self) -> str:
        return pg.start(self.var_dir, self.port)

    def stop(self) -> None:
        assert pg.stop(self.var_dir, self.port), f"the PostgreSQL server on port {self.port} was not running"


@pytest.fixture
def outage(
    kafka_cluster: KafkaCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[System, OwnServer]]:
    """The system of the copy-loss test with the database of ``OUTAGE_OF`` on a server of its own."""
    # Not under pytest's temporary folder: as root, the server runs as `postgres`, which must enter it.
    folder = Path(tempfile.mkdtemp(prefix="kmb-pg-outage-"))
    folder.chmod(0o755)
    server = OwnServer(folder, free_port())
    try:
        servers = {**dict.fromkeys(svc.SERVICES, base_url()), OUTAGE_OF: server.start()}
        with on_postgres(kafka_cluster, tmp_path_factory.mktemp("kmb-outage"), servers, "outage") as running:
            yield running, server
    finally:
        pg.stop(server.var_dir, server.port)
        shutil.rmtree(folder, ignore_errors=True)


def test_the_database_of_a_service_stopped_for_20_s_and_started_again_loses_nothing_and_doubles_nothing(
    outage: tuple[System, OwnServer],
) -> None:
    system, server = outage
    register_partner(system.urls["referrals"])
    done = Done()
    load = Load(Flow(system.addresses, done, attempts=OUTAGE_ATTEMPTS), WORKERS)
    load.run_for(BEFORE_S)
    cases_at_stop = len(done.cases)
    server.stop()
    stopped_at = time.monotonic()
    load.run_for(OUTAGE_S)  # the fault lasts this long
    server.start()
    down_s = time.monotonic() - stopped_at
    cases_at_start = len(done.cases)
    load.run_for(BEFORE_S)
    load_s = load.stop()
    assert len(done.cases) > cases_at_start, "cases went through after the database came back"
    dead = asyncio.run(read_topic(system.bootstrap, system.topics.dlq))
    print(
        f"\ndatabase outage: {len(done.cases)} cases opened ({cases_at_stop} before the stop, "
        f"{cases_at_start} by the start) in {load_s:.0f} s of load; {OUTAGE_OF}'s PostgreSQL down "
        f"{down_s:.0f} s; requests sent again: {done.retries()}; on the DLQ after the load: {len(dead)}"
    )
    assert not dead, f"{len(dead)} events went to the dead-letter topic while {OUTAGE_OF}'s database was away"

    found = reconcile(system, done)
    print(f"duplicate records on the topics: {found.duplicates()}, re-sent events {found.resent}")
    check(found, done, resend_allowed=True)
