"""TLS on the client listener (issue 14): the launcher's broker with ``tls=True`` takes SASL_SSL with a
certificate signed by the CA it made in ``<var>/kafka/tls``. The broker is the test kit's own
(``sasl_tls_broker``); what should happen is written from what TLS promises: a client trusting that CA
connects, one trusting the system's CAs or another CA is refused before it sends its password, with a
line that says the certificate is not trusted and what to set.
"""

from __future__ import annotations

import asyncio
import os
import stat
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError

from kmb_cli.infra.tls import new_ca, write_ca
from kmb_cli.principals import (
    issue_partner_credentials,
    mark_sasl,
    provision_services,
    use_admin_credentials,
)
from kmb_shared.messaging import Topics
from kmb_shared.messaging.admin import ensure_topics
from kmb_shared.messaging.security import KafkaCredentials, credentials_problem, sasl
from kmb_testkit.sasl import WAIT_S, SaslBroker, consume_one, produce_one, run_kmb

pytestmark = [pytest.mark.kafka, pytest.mark.e2e]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _over_tls(credentials: KafkaCredentials, ca_file: str | None) -> KafkaCredentials:
    """The same principal over SASL_SSL trusting ``ca_file`` (None: the system's CAs)."""
    return credentials.model_copy(update={"kafka_security_protocol": "SASL_SSL", "kafka_ssl_cafile": ca_file})


def test_the_launcher_keeps_its_ca_for_everyone_and_the_keys_for_itself(sasl_tls_broker: SaslBroker) -> None:
    ca_file = sasl_tls_broker.handle.ca_file
    assert ca_file == sasl_tls_broker.var_dir.resolve() / "kafka" / "tls" / "ca.pem"
    folder = ca_file.parent
    assert _mode(ca_file) == 0o644
    assert _mode(folder / "ca-key.pem") == 0o600
    assert _mode(folder / "broker-key.pem") == 0o600
    assert "BEGIN CERTIFICATE" in ca_file.read_text()
    admin = sasl_tls_broker.admin
    assert admin.kafka_security_protocol == "SASL_SSL" and admin.kafka_ssl_cafile == str(ca_file)


async def test_a_service_over_sasl_ssl_with_the_ca_writes_and_reads(sasl_tls_broker: SaslBroker) -> None:
    """The services' settings from provisioning name SASL_SSL and the CA; with them a service writes its
    topic and another reads it (idempotent producer, consumer group), all over TLS."""
    topics = Topics(f"tls{uuid.uuid4().hex[:6]}.")
    bootstrap = sasl_tls_broker.bootstrap
    await ensure_topics(bootstrap, topics.core, security=sasl_tls_broker.admin)
    env = await provision_services(bootstrap, sasl_tls_broker.admin, sasl_tls_broker.var_dir, topics)
    ca_file = str(sasl_tls_broker.handle.ca_file)
    assert env["intake"]["KMB_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert env["intake"]["KMB_KAFKA_SSL_CAFILE"] == ca_file
    intake = sasl(env["intake"]["KMB_KAFKA_SASL_USERNAME"], env["intake"]["KMB_KAFKA_SASL_PASSWORD"], ca_file)
    assessment = sasl(
        env["assessment"]["KMB_KAFKA_SASL_USERNAME"], env["assessment"]["KMB_KAFKA_SASL_PASSWORD"], ca_file
    )
    await produce_one(bootstrap, intake, topics.context("intake"))
    group = f"{topics.prefix}kmb.assessment"
    assert await consume_one(bootstrap, assessment, topics.context("intake"), group) == b"{}"


@pytest.mark.parametrize("trust", ["the system's CAs", "another CA"])
async def test_a_client_not_trusting_the_brokers_ca_is_refused_with_a_clear_line(
    sasl_tls_broker: SaslBroker, trust: str, tmp_path: Path
) -> None:
    ca_file = None
    if trust == "another CA":
        ca_file = str(write_ca(tmp_path / "other", *new_ca("Some other CA")))
    untrusting = _over_tls(sasl_tls_broker.admin, ca_file)  # even the admin's right password
    producer = AIOKafkaProducer(
        bootstrap_servers=sasl_tls_broker.bootstrap, request_timeout_ms=5000, **untrusting.client_options()
    )
    with pytest.raises(KafkaConnectionError):
        await asyncio.wait_for(producer.start(), WAIT_S)
    await producer.stop()
    problem = await credentials_problem([sasl_tls_broker.bootstrap], untrusting)
    assert problem is not None
    assert problem.startswith(f"Kafka na {sasl_tls_broker.bootstrap}: certifikát brokera není důvěryhodný")
    assert "KMB_KAFKA_SSL_CAFILE" in problem and "admin" in problem
    assert await credentials_problem([sasl_tls_broker.bootstrap], sasl_tls_broker.admin) is None


async def test_a_client_without_tls_is_told_the_listener_may_take_tls(sasl_tls_broker: SaslBroker) -> None:
    plain = sasl_tls_broker.admin.model_copy(
        update={"kafka_security_protocol": "SASL_PLAINTEXT", "kafka_ssl_cafile": None}
    )
    problem = await credentials_problem([sasl_tls_broker.bootstrap], plain)
    assert problem is not None and "KMB_KAFKA_SECURITY_PROTOCOL=SASL_SSL" in problem


def test_the_commands_of_a_tls_var_dir_get_the_local_ca(
    sasl_tls_broker: SaslBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kmb up --tls` notes the protocol; every `kmb` command of that var dir then connects as the admin
    over SASL_SSL trusting the local CA, and one that says who to be (kmb partner listen --username)
    still gets the CA."""
    var_dir = sasl_tls_broker.var_dir.resolve()
    ca_file = str(sasl_tls_broker.handle.ca_file)
    for name in ("KMB_KAFKA_SECURITY_PROTOCOL", "KMB_KAFKA_SASL_USERNAME", "KMB_KAFKA_SSL_CAFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KMB_KAFKA_SASL_PASSWORD", "")
    mark_sasl(var_dir, tls=True)
    try:
        assert use_admin_credentials(var_dir) == sasl_tls_broker.admin
        assert os.environ["KMB_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        assert os.environ["KMB_KAFKA_SSL_CAFILE"] == ca_file
        monkeypatch.delenv("KMB_KAFKA_SECURITY_PROTOCOL")
        monkeypatch.delenv("KMB_KAFKA_SSL_CAFILE")
        monkeypatch.setenv("KMB_KAFKA_SASL_USERNAME", "kmb-partner-acme")
        use_admin_credentials(var_dir)
        assert os.environ["KMB_KAFKA_SASL_USERNAME"] == "kmb-partner-acme"
        assert os.environ["KMB_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        assert os.environ["KMB_KAFKA_SSL_CAFILE"] == ca_file
    finally:
        (var_dir / "run" / "kafka-sasl").unlink()


def test_a_partner_listens_over_tls_with_the_ca_file_and_is_told_what_is_missing_without(
    sasl_tls_broker: SaslBroker,
) -> None:
    """A partner's system elsewhere has a copy of ca.pem: `kmb partner listen --ca-file` reads its topic
    over SASL_SSL; without it one Czech line says the listener takes TLS (exit 1, no traceback)."""
    topics = Topics(f"tlsp{uuid.uuid4().hex[:6]}.")
    bootstrap = sasl_tls_broker.bootstrap
    asyncio.run(ensure_topics(bootstrap, [topics.partner("acme")], security=sasl_tls_broker.admin))
    password = asyncio.run(issue_partner_credentials(bootstrap, sasl_tls_broker.admin, "acme", topics))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KMB_KAFKA_")},
        "KMB_KAFKA_BOOTSTRAP": bootstrap,
        "KMB_TOPIC_PREFIX": topics.prefix,
        "KMB_VAR_DIR": str(Path(sasl_tls_broker.var_dir) / "elsewhere"),  # not the launcher's var dir
    }
    command = ["partner", "listen", "--org", "acme", "--once", "--username", "kmb-partner-acme"]
    command += ["--password", password]
    right = run_kmb([*command, "--ca-file", str(sasl_tls_broker.handle.ca_file)], env)
    assert right.returncode == 0 and "(0 messages)" in right.stderr, right.stderr
    without = run_kmb(command, env)
    assert without.returncode == 1 and "Traceback" not in without.stderr
    lines = [line for line in without.stderr.splitlines() if line.startswith("kmb: ")]
    assert len(lines) == 1 and "KMB_KAFKA_SECURITY_PROTOCOL=SASL_SSL" in lines[0], without.stderr
    assert lines[0].endswith("zkontrolujte --ca-file")
