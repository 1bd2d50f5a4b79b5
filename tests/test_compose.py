"""The container description (docker-compose.yml, its 3-broker variant docker-compose.cluster.yml,
deploy/Dockerfile) agrees with the code.

Docker does not run where the tests run, so this is what checks the compose files: ports, `KMB_`
variables, databases and topics are compared with the settings classes and `Topics` they feed; the
cluster variant is checked as Compose would see it, laid over docker-compose.yml (:func:`compose_merge`).
"""

from __future__ import annotations

import copy
import importlib
import os
import re
import stat
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import AliasChoices, AliasPath, SecretStr
from sqlalchemy.engine import make_url

from kmb_shared.messaging import Topics
from kmb_shared.messaging.admin import replication_for
from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = "deploy/Dockerfile"
# The fixed ports of the architecture notes ("Ports 8001–8005").
ARCHITECTURE_PORTS = {"intake": 8001, "assessment": 8002, "catalogue": 8003, "referrals": 8004, "stats": 8005}
SERVICES = tuple(ARCHITECTURE_PORTS)
INFRASTRUCTURE = ("kafka", "kafka-init", "kafka-principals", "postgres", "otel-collector")
CLUSTER_FILE = "docker-compose.cluster.yml"
#: the nodes of the 3-broker variant: `kafka` of docker-compose.yml is the first
CLUSTER_NODES = ("kafka", "kafka-2", "kafka-3")
#: Compose attributes an overriding file replaces rather than merges
REPLACED = frozenset({"command", "entrypoint", "test"})


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _mount_target(volume: Any) -> str:
    return str(volume).split(":")[1]


def compose_merge(base: Any, override: Any, key: str = "") -> Any:
    """``override`` laid over ``base`` by Compose's merge rules (as far as these files use them): mappings
    merge key by key; ``command``, ``entrypoint`` and a healthcheck's ``test`` are replaced; ``volumes``
    are unique by their target path and ``ports`` by their text; other sequences are appended."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = copy.deepcopy(base)
        for name, value in override.items():
            merged[name] = compose_merge(base[name], value, name) if name in base else copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(override, list) and key not in REPLACED:
        if key == "volumes":
            by_target = {_mount_target(v): v for v in base} | {_mount_target(v): v for v in override}
            return list(by_target.values())
        if key == "ports":
            return list(dict.fromkeys([*base, *override]))
        return [*base, *override]
    return copy.deepcopy(override)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return _load("docker-compose.yml")


@pytest.fixture(scope="module")
def cluster(compose: dict[str, Any]) -> dict[str, Any]:
    """docker-compose.yml with docker-compose.cluster.yml laid over it."""
    merged = compose_merge(compose, _load(CLUSTER_FILE))
    assert isinstance(merged, dict)
    return merged


def _service(compose: dict[str, Any], name: str) -> dict[str, Any]:
    service = compose["services"][name]
    assert isinstance(service, dict)
    return service


def _settings_class(name: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"kmb_{name}.config")
    cls = getattr(module, f"{name.capitalize()}Settings")
    assert issubclass(cls, ServiceSettings)
    return cls


def _alias_names(alias: str | AliasPath | AliasChoices) -> list[str]:
    if isinstance(alias, str):
        return [alias]
    if isinstance(alias, AliasPath):
        return [str(alias.path[0])]
    return [name for choice in alias.choices for name in _alias_names(choice)]


def accepted_env_names(cls: type[ServiceSettings]) -> dict[str, str]:
    """Environment variable name → field name, as pydantic-settings reads them: the alias when the
    field has one, otherwise `env_prefix` + the field name, upper-cased."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    names: dict[str, str] = {}
    for field_name, field in cls.model_fields.items():
        if field.validation_alias is None:
            names[f"{prefix}{field_name}".upper()] = field_name
        else:
            names.update({alias.upper(): field_name for alias in _alias_names(field.validation_alias)})
    return names


def _environment(service: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in service.get("environment", {}).items()}


def _listeners(value: str) -> dict[str, str]:
    """``"CLIENT://kafka:9092,HOST://localhost:9094"`` → ``{"CLIENT": "kafka:9092", ...}``."""
    return dict(listener.split("://", 1) for listener in value.split(","))


def _port(address: str) -> int:
    return int(address.rsplit(":", 1)[1])


def _kmb_environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    assert isinstance(environment, dict), "environment must be a mapping (it is merged from an anchor)"
    return {key: str(value) for key, value in environment.items() if key.startswith("KMB_")}


def _dockerfile_lines() -> list[str]:
    """Dockerfile instructions with continuation lines joined and comments dropped."""
    text = (ROOT / DOCKERFILE).read_text(encoding="utf-8")
    text = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_accepted_env_names_follow_prefix_and_aliases() -> None:
    names = accepted_env_names(_settings_class("intake"))
    # Plain field: "KMB_" + "kafka_bootstrap" upper-cased; aliased fields: only their alias.
    assert names["KMB_KAFKA_BOOTSTRAP"] == "kafka_bootstrap"
    assert names["KMB_INTAKE_PORT"] == "port"
    assert names["KMB_INTAKE_DATABASE_URL"] == "database_url"
    assert "KMB_PORT" not in names
    assert "KMB_DATABASE_URL" not in names


def test_compose_file_has_the_infrastructure_and_the_five_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {*INFRASTRUCTURE, *SERVICES}


@pytest.mark.parametrize("name", SERVICES)
def test_published_port_is_the_default_port_of_the_settings_class(compose: dict[str, Any], name: str) -> None:
    default = _settings_class(name).model_fields["port"].default
    assert default == ARCHITECTURE_PORTS[name]
    ports = _service(compose, name)["ports"]
    assert len(ports) == 1
    *_, host_port, container_port = str(ports[0]).split(":")
    assert (int(host_port), int(container_port)) == (default, default)


@pytest.mark.parametrize("name", SERVICES)
def test_every_kmb_variable_is_one_the_settings_class_reads(compose: dict[str, Any], name: str) -> None:
    environment = _kmb_environment(_service(compose, name))
    unknown = set(environment) - set(accepted_env_names(_settings_class(name)))
    assert not unknown, f"{name}: variables its settings class ignores: {sorted(unknown)}"


def _settings_from(
    compose: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[ServiceSettings, dict[str, str]]:
    """The service's settings as built in its container: from its `KMB_` variables alone."""
    environment = _kmb_environment(_service(compose, name))
    for key in [key for key in os.environ if key.upper().startswith("KMB_")]:
        monkeypatch.delenv(key)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    return _settings_class(name)(), environment


@pytest.mark.parametrize("name", SERVICES)
def test_settings_built_from_the_compose_environment_hold_its_values(
    compose: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = _settings_class(name)
    settings, environment = _settings_from(compose, name, monkeypatch)
    fields = accepted_env_names(cls)
    for key, value in environment.items():
        held = getattr(settings, fields[key])
        held = held.get_secret_value() if isinstance(held, SecretStr) else held
        assert str(held) == value, key
    assert settings.otel_exporter == "otlp"
    assert settings.host == "0.0.0.0"


@pytest.mark.parametrize("name", SERVICES)
def test_database_url_names_the_services_own_database(compose: dict[str, Any], name: str) -> None:
    environment = _kmb_environment(_service(compose, name))
    url_variables = [key for key in environment if key.endswith("_DATABASE_URL")]
    assert url_variables == [f"KMB_{name.upper()}_DATABASE_URL"]
    url = make_url(environment[url_variables[0]])
    postgres = _service(compose, "postgres")["environment"]
    assert url.drivername == "postgresql+asyncpg"
    assert (url.host, url.port) == ("postgres", 5432)
    assert (url.username, url.password) == (postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"])
    assert url.database == f"kmb_{name}"


def test_postgres_init_script_creates_one_database_per_service(compose: dict[str, Any]) -> None:
    postgres = _service(compose, "postgres")
    assert postgres["image"] == "postgres:16"
    mounts = [str(volume).split(":") for volume in postgres["volumes"]]
    scripts = [source for source, target, *_ in mounts if target.startswith("/docker-entrypoint-initdb.d/")]
    assert len(scripts) == 1
    sql = (ROOT / scripts[0]).read_text(encoding="utf-8")
    created = set(re.findall(r"^\s*CREATE DATABASE\s+(\w+)\s*;", sql, flags=re.IGNORECASE | re.MULTILINE))
    assert created == {f"kmb_{name}" for name in SERVICES}


def test_kafka_is_one_kraft_node_without_topic_auto_creation(compose: dict[str, Any]) -> None:
    kafka = _service(compose, "kafka")
    environment = {key: str(value) for key, value in kafka["environment"].items()}
    assert kafka["image"].startswith("apache/kafka:4.")
    assert set(environment["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert environment["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    replication = {key: value for key, value in environment.items() if "REPLICATION_FACTOR" in key}
    assert "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR" in replication
    assert "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR" in replication
    assert set(replication.values()) == {"1"}
    advertised = environment["KAFKA_ADVERTISED_LISTENERS"].split(",")
    for name in SERVICES:
        bootstrap = _kmb_environment(_service(compose, name))["KMB_KAFKA_BOOTSTRAP"]
        assert any(listener.endswith(f"://{bootstrap}") for listener in advertised), name


def test_kafka_init_creates_exactly_the_core_topics_idempotently(compose: dict[str, Any]) -> None:
    init = _service(compose, "kafka-init")
    assert init["image"] == _service(compose, "kafka")["image"]
    assert init["depends_on"]["kafka"]["condition"] == "service_healthy"
    command = [str(part) for part in init["command"]]
    script_in_container = next(part for part in command if part.endswith(".sh"))
    topics = command[command.index(script_in_container) + 1 :]
    prefixes = {_kmb_environment(_service(compose, name)).get("KMB_TOPIC_PREFIX", "") for name in SERVICES}
    assert len(prefixes) == 1
    core = Topics(prefixes.pop()).core
    assert sorted(topics) == sorted(core)
    assert len(topics) == len(set(topics))
    sources = [str(v).split(":")[0] for v in init["volumes"] if str(v).split(":")[1] == script_in_container]
    script = (ROOT / sources[0]).read_text(encoding="utf-8")
    assert "/opt/kafka/bin/kafka-topics.sh" in script
    assert "--if-not-exists" in script
    assert "retention.ms=-1" in script
    assert (init["environment"]["PARTITIONS"], init["environment"]["REPLICATION_FACTOR"]) == ("3", "1")
    # One node: one copy, one in sync (what the services' own topic creation would choose).
    assert init["environment"]["MIN_INSYNC_REPLICAS"] == "1"
    assert replication_for(1) == (1, 1)


def test_services_report_to_the_collector_on_its_otlp_http_port(compose: dict[str, Any]) -> None:
    collector = _service(compose, "otel-collector")
    assert collector["image"].startswith("otel/opentelemetry-collector:")
    config_path = str(collector["command"][0]).removeprefix("--config=")
    mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in collector["volumes"]}
    config = yaml.safe_load((ROOT / mounts[config_path]).read_text(encoding="utf-8"))
    http_port = config["receivers"]["otlp"]["protocols"]["http"]["endpoint"].rsplit(":", 1)[1]
    traces = config["service"]["pipelines"]["traces"]
    assert "otlp" in traces["receivers"]
    assert "debug" in traces["exporters"] and "debug" in config["exporters"]
    for name in SERVICES:
        environment = _kmb_environment(_service(compose, name))
        assert environment["KMB_OTEL_EXPORTER"] == "otlp"
        assert environment["KMB_OTEL_ENDPOINT"] == f"http://otel-collector:{http_port}"


@pytest.mark.parametrize("name", SERVICES)
def test_service_waits_for_its_dependencies_and_checks_readiness(compose: dict[str, Any], name: str) -> None:
    service = _service(compose, name)
    conditions = {dep: spec["condition"] for dep, spec in service["depends_on"].items()}
    assert conditions["kafka-init"] == "service_completed_successfully"
    assert conditions["postgres"] == "service_healthy"
    assert "otel-collector" in conditions
    probe = " ".join(str(part) for part in service["healthcheck"]["test"])
    assert f":{ARCHITECTURE_PORTS[name]}/readyz" in probe
    for dependency in ("kafka", "postgres"):
        assert "test" in _service(compose, dependency)["healthcheck"]


def test_all_five_services_run_from_the_one_dockerfile(compose: dict[str, Any]) -> None:
    builds = {name: _service(compose, name)["build"] for name in SERVICES}
    assert all(build == {"context": ".", "dockerfile": DOCKERFILE} for build in builds.values())
    assert len({_service(compose, name)["image"] for name in SERVICES}) == 1
    for name in SERVICES:
        assert _service(compose, name)["command"] == ["kmb", "serve", name]


def test_dockerfile_installs_the_locked_workspace_on_python_311() -> None:
    lines = _dockerfile_lines()
    assert lines[0] == "FROM python:3.11-slim"
    assert any("uv sync --frozen --no-dev" in line for line in lines if line.startswith("RUN "))
    copied = [part for line in lines if line.startswith("COPY ") for part in line.split()[1:-1]]
    missing = [source for source in copied if not (ROOT / source).exists()]
    assert not missing, f"COPY sources that do not exist: {missing}"
    workspace = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    members = [p for pattern in workspace["tool"]["uv"]["workspace"]["members"] for p in ROOT.glob(pattern)]
    for member in members:
        relative = member.relative_to(ROOT).as_posix()
        assert f"{relative}/pyproject.toml" in copied and f"{relative}/src" in copied, relative


def test_dockerfile_sets_only_kmb_variables_the_settings_read() -> None:
    env_lines = " ".join(line for line in _dockerfile_lines() if line.startswith("ENV "))
    variables = set(re.findall(r"\b(KMB_\w+)=", env_lines))
    assert variables, "the image should set KMB_VAR_DIR"
    assert variables <= set(accepted_env_names(ServiceSettings))


def test_every_bind_mounted_file_exists(compose: dict[str, Any], cluster: dict[str, Any]) -> None:
    sources = [
        str(volume).split(":")[0]
        for variant in (compose, cluster)
        for service in variant["services"].values()
        for volume in service.get("volumes", [])
        if str(volume).startswith("./")
    ]
    assert sources
    missing = [source for source in sources if not (ROOT / source).is_file()]
    assert not missing


def test_compose_merge_follows_the_rules_the_cluster_file_relies_on() -> None:
    base = {
        "environment": {"A": "1", "B": "2"},
        "volumes": ["data:/var/lib/data", "./x.sh:/x.sh:ro"],
        "ports": ["127.0.0.1:1:1"],
        "depends_on": {"a": {"condition": "service_healthy"}},
        "command": ["run", "a"],
        "healthcheck": {"test": ["CMD", "a"], "interval": "5s"},
    }
    override = {
        "environment": {"B": "3", "C": "4"},
        "volumes": ["other:/var/lib/data"],
        "ports": ["127.0.0.1:2:2"],
        "depends_on": {"b": {"condition": "service_healthy"}},
        "command": ["run", "b"],
        "healthcheck": {"test": ["CMD", "b"]},
    }
    assert compose_merge(base, override) == {
        "environment": {"A": "1", "B": "3", "C": "4"},
        "volumes": ["other:/var/lib/data", "./x.sh:/x.sh:ro"],
        "ports": ["127.0.0.1:1:1", "127.0.0.1:2:2"],
        "depends_on": {"a": {"condition": "service_healthy"}, "b": {"condition": "service_healthy"}},
        "command": ["run", "b"],
        "healthcheck": {"test": ["CMD", "b"], "interval": "5s"},
    }
    assert base["environment"] == {"A": "1", "B": "2"}  # nothing of the base file is changed


def test_cluster_adds_two_kafka_nodes_and_changes_only_the_services_bootstrap(
    compose: dict[str, Any], cluster: dict[str, Any]
) -> None:
    assert set(cluster["services"]) == {*INFRASTRUCTURE, *CLUSTER_NODES, *SERVICES}
    for name in SERVICES:
        before, after = _service(compose, name), _service(cluster, name)
        assert {k: v for k, v in after.items() if k != "environment"} == {
            k: v for k, v in before.items() if k != "environment"
        }, name
        env_before, env_after = _environment(before), _environment(after)
        assert env_after.pop("KMB_KAFKA_BOOTSTRAP") != env_before.pop("KMB_KAFKA_BOOTSTRAP")
        assert env_after == env_before, name
    for name in ("postgres", "otel-collector"):
        assert _service(cluster, name) == _service(compose, name)


def _nodes(cluster: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The environment of each Kafka node of the cluster variant (every service that runs a broker)."""
    nodes = {
        name: _environment(service)
        for name, service in cluster["services"].items()
        if "broker" in _environment(service).get("KAFKA_PROCESS_ROLES", "").split(",")
    }
    assert sorted(nodes) == sorted(CLUSTER_NODES)
    return nodes


def test_cluster_is_three_kraft_nodes_in_one_quorum_with_their_own_data(
    compose: dict[str, Any], cluster: dict[str, Any]
) -> None:
    nodes = _nodes(cluster)
    assert sorted(env["KAFKA_NODE_ID"] for env in nodes.values()) == ["1", "2", "3"]
    # One quorum: every node names the same three voters, each a node at its own controller listener.
    expected_voters = {
        f"{env['KAFKA_NODE_ID']}@{name}:{_port(_listeners(env['KAFKA_LISTENERS'])['CONTROLLER'])}"
        for name, env in nodes.items()
    }
    for name, env in nodes.items():
        assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}, name
        assert set(env["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")) == expected_voters, name
        assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false", name
        assert _service(cluster, name)["image"] == _service(compose, "kafka")["image"], name
        assert "test" in _service(cluster, name)["healthcheck"], name
    # One cluster id, not the one-node trial's.
    cluster_ids = {env["CLUSTER_ID"] for env in nodes.values()}
    assert len(cluster_ids) == 1
    assert cluster_ids != {str(_service(compose, "kafka")["environment"]["CLUSTER_ID"])}
    # A data volume of its own for each node, at its log dir; never the one-node trial's kafka-data.
    data = {
        name: [
            str(v).split(":")[0]
            for v in _service(cluster, name)["volumes"]
            if _mount_target(v) == env["KAFKA_LOG_DIRS"]
        ]
        for name, env in nodes.items()
    }
    assert all(len(volumes) == 1 for volumes in data.values()), data
    names = {volumes[0] for volumes in data.values()}
    assert len(names) == 3 and "kafka-data" not in names
    assert names <= set(cluster["volumes"])
    # Each node's HOST listener is published on 127.0.0.1 at the port it advertises to the host.
    host_ports = set()
    for name, env in nodes.items():
        advertised = _listeners(env["KAFKA_ADVERTISED_LISTENERS"])
        port = _port(advertised["HOST"])
        assert advertised["HOST"] == f"localhost:{port}", name
        assert _port(_listeners(env["KAFKA_LISTENERS"])["HOST"]) == port, name
        assert f"127.0.0.1:{port}:{port}" in _service(cluster, name)["ports"], name
        for listener in ("CLIENT", "ADMIN"):  # the services' (SCRAM) and the admin's (PLAIN)
            assert advertised[listener] == f"{name}:{_port(_listeners(env['KAFKA_LISTENERS'])[listener])}"
        host_ports.add(port)
    assert len(host_ports) == 3


def test_cluster_keeps_three_copies_of_every_topic_two_in_sync(cluster: dict[str, Any]) -> None:
    # The rule: three copies, two in sync, on three brokers (as the services create topics).
    assert replication_for(len(CLUSTER_NODES)) == (3, 2)
    for name, env in _nodes(cluster).items():
        factors = {key: value for key, value in env.items() if key.endswith("REPLICATION_FACTOR")}
        assert set(factors) == {
            "KAFKA_DEFAULT_REPLICATION_FACTOR",
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
            "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR",
        }, name
        assert set(factors.values()) == {"3"}, name
        in_sync = {
            key: value for key, value in env.items() if key.endswith(("MIN_INSYNC_REPLICAS", "MIN_ISR"))
        }
        assert set(in_sync) == {
            "KAFKA_MIN_INSYNC_REPLICAS",
            "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
            "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR",
        }, name
        assert set(in_sync.values()) == {"2"}, name
    init = _service(cluster, "kafka-init")
    environment = _environment(init)
    assert (environment["REPLICATION_FACTOR"], environment["MIN_INSYNC_REPLICAS"]) == ("3", "2")
    assert {node: spec["condition"] for node, spec in init["depends_on"].items()} == dict.fromkeys(
        CLUSTER_NODES, "service_healthy"
    )
    # kafka-init creates the topics as the admin, on the admin's listener of every node
    internal = {_listeners(env["KAFKA_ADVERTISED_LISTENERS"])["ADMIN"] for env in _nodes(cluster).values()}
    assert sorted(bootstrap_servers(environment["BOOTSTRAP_SERVER"])) == sorted(internal)


def test_create_topics_script_asks_for_the_copies_and_those_in_sync(
    cluster: dict[str, Any], tmp_path: Path
) -> None:
    init = _service(cluster, "kafka-init")
    command = [str(part) for part in init["command"]]
    in_container = next(part for part in command if part.endswith(".sh"))
    script = next(str(v).split(":")[0] for v in init["volumes"] if _mount_target(v) == in_container)
    calls = tmp_path / "calls"
    tool = tmp_path / "kafka-topics.sh"
    tool.write_text('#!/bin/sh\necho "$*" >> "$CALLS"\n', encoding="utf-8")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    environment = {
        **_environment(init),
        "TOPICS_TOOL": str(tool),
        "CALLS": str(calls),
        "PATH": os.environ["PATH"],
    }
    subprocess.run(
        ["sh", str(ROOT / script), "kmb.a.v1", "kmb.b.v1"], env=environment, check=True, timeout=30
    )
    creates = [line.split() for line in calls.read_text(encoding="utf-8").splitlines() if "--create" in line]
    assert len(creates) == 2
    for words in creates:
        # the admin's listener of each node, as the admin (SASL: kafka-admin.sh adds its client settings)
        assert words[words.index("--bootstrap-server") + 1] == "kafka:9091,kafka-2:9091,kafka-3:9091"
        assert "--command-config" in words
        assert words[words.index("--replication-factor") + 1] == "3"
        configs = [words[i + 1] for i, word in enumerate(words) if word == "--config"]
        assert sorted(configs) == ["min.insync.replicas=2", "retention.ms=-1"]


@pytest.mark.parametrize("name", SERVICES)
def test_under_the_cluster_each_service_bootstraps_from_all_three_brokers(
    cluster: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = _settings_from(cluster, name, monkeypatch)
    servers = bootstrap_servers(settings.kafka_bootstrap)
    assert servers == ["kafka:9092", "kafka-2:9092", "kafka-3:9092"]
    internal = {_listeners(env["KAFKA_ADVERTISED_LISTENERS"])["CLIENT"] for env in _nodes(cluster).values()}
    assert set(servers) == internal


def _brokers(files: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        name: _environment(service)
        for name, service in files["services"].items()
        if "broker" in _environment(service).get("KAFKA_PROCESS_ROLES", "").split(",")
    }


@pytest.mark.parametrize("variant", ["compose", "cluster"])
def test_every_kafka_node_requires_sasl_and_acls_with_the_admin_the_only_super_user(
    variant: str, request: pytest.FixtureRequest
) -> None:
    """Issue 14: no listener without SASL, SCRAM-SHA-512 for the services, the StandardAuthorizer denying
    what no ACL allows, and only the admin a super user."""
    files = request.getfixturevalue(variant)
    for name, env in _brokers(files).items():
        protocols = dict(pair.split(":") for pair in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
        assert set(protocols.values()) == {"SASL_PLAINTEXT"}, name
        assert set(protocols) == set(_listeners(env["KAFKA_LISTENERS"])), name
        assert env["KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512", name
        assert env["KAFKA_AUTHORIZER_CLASS_NAME"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
        assert env["KAFKA_SUPER_USERS"] == "User:admin", name
        assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false", name


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_connects_as_its_own_principal(compose: dict[str, Any], name: str) -> None:
    environment = _kmb_environment(_service(compose, name))
    assert environment["KMB_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
    assert environment["KMB_KAFKA_SASL_USERNAME"] == f"kmb-{name}"
    assert f"KMB_KAFKA_PASSWORD_{name.upper()}" in environment["KMB_KAFKA_SASL_PASSWORD"]
    principals = _service(compose, "kafka-principals")
    assert principals["command"][:3] == ["kmb", "kafka", "provision"]
    assert f"KMB_KAFKA_PASSWORD_{name.upper()}" in principals["environment"]
    assert (
        _service(compose, name)["depends_on"]["kafka-principals"]["condition"]
        == "service_completed_successfully"
    )
