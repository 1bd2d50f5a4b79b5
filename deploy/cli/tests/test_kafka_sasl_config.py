"""`kmb kafka start --sasl`'s broker configuration and the launcher's stored passwords (issue 14)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kmb_cli.infra import kafka
from kmb_cli.infra._common import InfraError


def _props(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def test_a_sasl_node_takes_only_scram_from_clients_and_only_the_admin_is_a_super_user(tmp_path: Path) -> None:
    admin = kafka.Admin("admin", "s3cret")
    props = _props(kafka.broker_properties(19092, 20092, tmp_path / "data", admin))
    assert props["listeners"] == "SASL_PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:20092"
    assert props["advertised.listeners"] == "SASL_PLAINTEXT://127.0.0.1:19092"  # no controller outside
    assert props["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert props["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert props["super.users"] == "User:admin"
    assert props["allow.everyone.if.no.acl.found"] == "false"
    assert "ANONYMOUS" not in props["super.users"]
    # without SASL nothing of it
    plain = _props(kafka.broker_properties(19092, 20092, tmp_path / "data"))
    assert "authorizer.class.name" not in plain and plain["listeners"].startswith("PLAINTEXT://")


def test_a_tls_node_takes_sasl_ssl_with_the_launchers_pem_certificate(tmp_path: Path) -> None:
    from kmb_cli.infra.tls import ensure_tls

    files = ensure_tls(tmp_path)
    props = _props(kafka.broker_properties(19092, 20092, tmp_path / "data", kafka.Admin("admin", "x"), files))
    assert props["listeners"] == "SASL_SSL://127.0.0.1:19092,CONTROLLER://127.0.0.1:20092"
    assert props["listener.security.protocol.map"] == "SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT"
    assert props["inter.broker.listener.name"] == "SASL_SSL"
    assert "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config" in props
    assert props["ssl.keystore.type"] == props["ssl.truststore.type"] == "PEM"
    assert props["ssl.truststore.location"] == str(files.ca)
    # the PEM texts on one line each, their line breaks as \n (what java.util.Properties reads back)
    assert props["ssl.keystore.key"].startswith("-----BEGIN PRIVATE KEY-----\\n")
    assert props["ssl.keystore.certificate.chain"].count("BEGIN CERTIFICATE") == 2  # broker, then CA
    assert ensure_tls(tmp_path) == files and files.ca.read_bytes() == ensure_tls(tmp_path).ca.read_bytes()
    with pytest.raises(InfraError, match="--sasl"):
        kafka.start_cluster(tmp_path, [19092], [20092], tls=True)


def test_the_admin_password_is_generated_once_and_only_its_owner_may_read_it(tmp_path: Path) -> None:
    first = kafka.admin_of(tmp_path, create=True)
    again = kafka.admin_of(tmp_path, create=True)
    assert first is not None and first == again and len(first.password) >= 40
    stored = kafka.credentials_dir(tmp_path) / "admin.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700


def test_a_data_dir_formatted_without_sasl_is_not_started_with_it(tmp_path: Path) -> None:
    data = tmp_path / "kafka" / "data-19092"
    data.mkdir(parents=True)
    (data / "meta.properties").write_text("cluster.id=abc\n")
    node = kafka.BrokerHandle(19092, 20092, 0, tmp_path, data, tmp_path / "log", False)
    with pytest.raises(InfraError, match="formatted without --sasl"):
        kafka._check_sasl_state([node], sasl=True)
    kafka._check_sasl_state([node], sasl=False)
