"""Authentication and authorisation on a real SASL broker (issue 14): the launcher's SCRAM-SHA-512
listener with the StandardAuthorizer, and the principals and ACLs made from
:mod:`kmb_shared.messaging.flows`. The broker is the test kit's own (``sasl_broker``, one per module);
the default PLAINTEXT test broker is not involved.

What each rule should allow is written down here from the declaration's meaning (a service writes its
own topic and the DLQ, reads what it consumes, uses its own groups; a partner reads only its topic),
not from what the code produced.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)

from kmb_cli.principals import issue_partner_credentials, provision_services, revoke_partner
from kmb_shared.messaging import Topics
from kmb_shared.messaging.acl import admin_client, describe_acls, upsert_scram_user
from kmb_shared.messaging.admin import ensure_topics
from kmb_shared.messaging.security import KafkaCredentials, credentials_problem, sasl
from kmb_testkit.sasl import WAIT_S, SaslBroker, consume_one, produce_one, run_kmb, until_accepted

pytestmark = [pytest.mark.kafka, pytest.mark.e2e]


@pytest.fixture(scope="module")
def topics() -> Topics:
    return Topics(f"sasl{uuid.uuid4().hex[:6]}.")


@pytest.fixture(scope="module")
def service_env(sasl_broker: SaslBroker, topics: Topics) -> dict[str, dict[str, str]]:
    """The core topics (created by the admin) and every service's principal with its ACLs."""
    asyncio.run(
        ensure_topics(
            sasl_broker.bootstrap,
            [*topics.core, topics.partner("acme"), topics.partner("beta")],
            security=sasl_broker.admin,
        )
    )
    env = asyncio.run(
        provision_services(sasl_broker.bootstrap, sasl_broker.admin, sasl_broker.var_dir, topics)
    )
    asyncio.run(until_accepted(sasl_broker.bootstrap, [_creds(one) for one in env.values()]))
    return env


def _creds(env: dict[str, str]) -> KafkaCredentials:
    return sasl(env["KMB_KAFKA_SASL_USERNAME"], env["KMB_KAFKA_SASL_PASSWORD"])


@pytest.fixture
async def partner_acme(
    sasl_broker: SaslBroker, topics: Topics, service_env: dict[str, dict[str, str]]
) -> AsyncIterator[KafkaCredentials]:
    password = await issue_partner_credentials(sasl_broker.bootstrap, sasl_broker.admin, "acme", topics)
    yield sasl("kmb-partner-acme", password)
    await revoke_partner(sasl_broker.bootstrap, sasl_broker.admin, "acme")


async def test_a_client_without_credentials_or_with_a_wrong_password_is_refused(
    sasl_broker: SaslBroker,
) -> None:
    plain = AIOKafkaProducer(bootstrap_servers=sasl_broker.bootstrap, request_timeout_ms=5000)
    with pytest.raises(KafkaConnectionError):
        await asyncio.wait_for(plain.start(), WAIT_S)
    await plain.stop()
    wrong = sasl("admin", "not-the-password")
    with pytest.raises(KafkaConnectionError):
        await produce_one(sasl_broker.bootstrap, wrong, "anything")
    problem = await credentials_problem([sasl_broker.bootstrap], wrong)
    assert problem is not None and "admin" in problem and "SaslAuthenticationFailed" in problem
    assert await credentials_problem([sasl_broker.bootstrap], sasl_broker.admin) is None


async def test_a_service_writes_its_own_topic_and_the_dlq_and_reads_what_it_consumes(
    sasl_broker: SaslBroker, topics: Topics, service_env: dict[str, dict[str, str]]
) -> None:
    intake, assessment = _creds(service_env["intake"]), _creds(service_env["assessment"])
    await produce_one(sasl_broker.bootstrap, intake, topics.context("intake"))  # idempotent, no cluster ACL
    await produce_one(sasl_broker.bootstrap, intake, topics.dlq)
    group = f"{topics.prefix}kmb.assessment"
    assert await consume_one(sasl_broker.bootstrap, assessment, topics.context("intake"), group) == b"{}"


async def test_a_service_cannot_write_another_services_topic_nor_read_what_it_does_not_consume(
    sasl_broker: SaslBroker, topics: Topics, service_env: dict[str, dict[str, str]]
) -> None:
    intake, stats = _creds(service_env["intake"]), _creds(service_env["stats"])
    with pytest.raises(TopicAuthorizationFailedError):
        await produce_one(sasl_broker.bootstrap, intake, topics.context("assessment"))
    with pytest.raises(TopicAuthorizationFailedError):
        await produce_one(sasl_broker.bootstrap, stats, topics.context("intake"))  # stats only reads
    with pytest.raises(TopicAuthorizationFailedError):  # intake consumes nothing
        await consume_one(
            sasl_broker.bootstrap, intake, topics.context("referrals"), f"{topics.prefix}kmb.intake"
        )


async def test_a_partner_reads_only_its_own_topic(
    sasl_broker: SaslBroker,
    topics: Topics,
    partner_acme: KafkaCredentials,
    service_env: dict[str, dict[str, str]],
) -> None:
    referrals = _creds(service_env["referrals"])
    await produce_one(sasl_broker.bootstrap, referrals, topics.partner("acme"))
    await produce_one(sasl_broker.bootstrap, referrals, topics.partner("beta"))
    group = f"{topics.prefix}kmb.partner.acme"
    assert await consume_one(sasl_broker.bootstrap, partner_acme, topics.partner("acme"), group) == b"{}"
    for foreign in (topics.partner("beta"), topics.context("referrals"), topics.dlq):
        with pytest.raises(TopicAuthorizationFailedError):
            await consume_one(sasl_broker.bootstrap, partner_acme, foreign, group)
    # it may not write, not even its own topic: refused when its idempotent producer asks for an id
    with pytest.raises(ClusterAuthorizationFailedError):
        await produce_one(sasl_broker.bootstrap, partner_acme, topics.partner("acme"))


async def test_rotating_a_partners_password_ends_the_old_one_and_revoking_removes_its_acls(
    sasl_broker: SaslBroker, topics: Topics, service_env: dict[str, dict[str, str]]
) -> None:
    first = await issue_partner_credentials(sasl_broker.bootstrap, sasl_broker.admin, "gamma", topics)
    second = await issue_partner_credentials(sasl_broker.bootstrap, sasl_broker.admin, "gamma", topics)
    assert first != second
    assert await credentials_problem([sasl_broker.bootstrap], sasl("kmb-partner-gamma", first)) is not None
    assert await credentials_problem([sasl_broker.bootstrap], sasl("kmb-partner-gamma", second)) is None
    removed, existed = await revoke_partner(sasl_broker.bootstrap, sasl_broker.admin, "gamma")
    assert (removed, existed) == (4, True)  # READ and DESCRIBE on its topics, READ on its two group patterns
    async with admin_client(sasl_broker.bootstrap, sasl_broker.admin) as admin:
        assert await describe_acls(admin, "User:kmb-partner-gamma") == set()
    assert await credentials_problem([sasl_broker.bootstrap], sasl("kmb-partner-gamma", second)) is not None


async def test_a_service_with_a_wrong_password_says_so_once_keeps_running_and_is_ready_once_it_fits(
    sasl_broker: SaslBroker,
    topics: Topics,
    service_env: dict[str, dict[str, str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Issue 14, bad input: the assessment service (it consumes) with a password the broker does not
    know serves HTTP, says not ready with the reason naming its principal, and writes exactly one
    line about it however often it tries again (with backoff), no traceback; once the broker knows
    that password (the operator fixed the user), the next try connects and it is ready."""
    import httpx

    from kmb_assessment.bootstrap import build_app
    from kmb_assessment.config import AssessmentSettings

    settings = AssessmentSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'assessment.db'}",
        kafka_bootstrap=sasl_broker.bootstrap,
        topic_prefix=topics.prefix,
        var_dir=tmp_path,
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_sasl_username="kmb-assessment",
        kafka_sasl_password="not-the-password",
    )
    app = build_app(settings)
    runtime = app.state.runtime
    transport = httpx.ASGITransport(app=app)
    with caplog.at_level(logging.INFO):
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://assessment") as client,
        ):
            # the first try at start and three more in the background (after 1 s and 2 s)
            await _until(lambda: runtime.kafka_connect_attempts >= 4, 60)
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            reason = ready.json()["checks"]["kafka"]
            assert reason.startswith("error: Kafka na ") and "odmítá přihlášení kmb-assessment" in reason
            assert "SaslAuthenticationFailed" in reason
            assert (await client.get("/healthz")).status_code == 200  # running, not crash-looping

            async with admin_client(sasl_broker.bootstrap, sasl_broker.admin) as admin:
                await upsert_scram_user(admin, "kmb-assessment", "not-the-password")
            try:
                await _until_ready(client, 60)
            finally:  # the module's other tests use the password kept in the var dir
                await provision_services(
                    sasl_broker.bootstrap, sasl_broker.admin, sasl_broker.var_dir, topics
                )
    # every logger's lines about the refusal, whatever their level: the service's one line only
    ours = [r for r in caplog.records if "SaslAuthenticationFailed" in r.getMessage()]
    assert len(ours) == 1, [r.getMessage() for r in ours]
    assert ours[0].levelno == logging.ERROR
    line = ours[0].getMessage()
    assert line.startswith("assessment: Kafka na ") and "odmítá přihlášení kmb-assessment" in line
    assert "služba běží dál" in line and ours[0].exc_info is None
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.exc_info], "a traceback"


async def test_a_service_without_a_password_says_so_once_in_czech_and_keeps_trying(
    sasl_broker: SaslBroker, topics: Topics, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Missing credentials are a refusal like a wrong password: one line naming the principal and the
    variables to set, however many tries (three here, 1 s and 2 s apart), never a crash."""
    from kmb_intake.bootstrap import build_spec
    from kmb_intake.config import IntakeSettings
    from kmb_shared.runtime import build_runtime
    from kmb_shared.service import _connect

    settings = IntakeSettings(
        kafka_bootstrap=sasl_broker.bootstrap,
        topic_prefix=topics.prefix,
        var_dir=tmp_path,
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_sasl_username="kmb-intake",
    )
    spec = build_spec()
    runtime = build_runtime(spec, settings)
    try:
        with caplog.at_level(logging.INFO):
            assert await _connect(spec, runtime, attempts=3) is False
    finally:
        await runtime.close()
    assert runtime.kafka_connect_attempts == 3
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1, lines
    assert lines[0].startswith("intake: chybí přihlašovací údaje ke Kafce pro kmb-intake")
    assert "KMB_KAFKA_SASL_PASSWORD" in lines[0]


async def _until(condition: Callable[[], bool], timeout_s: float) -> None:
    """Wait for a condition the service reaches on its own (polled, bounded)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "not reached in time"
        await asyncio.sleep(0.1)


async def _until_ready(client: Any, timeout_s: float) -> None:
    """Wait until the service's /readyz says ready (its next try after the fix; polled, bounded)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while (ready := await client.get("/readyz")).status_code != 200:
        assert asyncio.get_running_loop().time() < deadline, ready.json()
        await asyncio.sleep(0.2)


@pytest.mark.parametrize("protocol", ["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"])
def test_the_asyncapi_document_names_the_scram_scheme(protocol: str, tmp_path: Path) -> None:
    from kmb_intake.bootstrap import build_app, build_spec
    from kmb_intake.config import IntakeSettings
    from kmb_shared.service import asyncapi_document

    settings = IntakeSettings(
        var_dir=tmp_path,
        kafka_security_protocol=protocol,
        kafka_sasl_username="kmb-intake",
        kafka_sasl_password="x",
    )
    document = asyncapi_document(build_spec(), build_app(settings).state.runtime)
    assert document["components"]["securitySchemes"]["scram512"]["type"] == "scramSha512"
    assert document["servers"]
    for server in document["servers"].values():
        assert server["security"] == [{"$ref": "#/components/securitySchemes/scram512"}]


def test_kafka_provision_makes_the_services_principals_with_the_given_passwords(
    sasl_broker: SaslBroker, topics: Topics
) -> None:
    """What docker-compose.yml's kafka-principals runs: passwords from KMB_KAFKA_PASSWORD_<SERVICE>."""
    from typer.testing import CliRunner

    from kmb_cli.infra.cli import infra_app

    admin = sasl_broker.admin
    env = {
        "KMB_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "KMB_KAFKA_SASL_USERNAME": admin.kafka_sasl_username or "",
        "KMB_KAFKA_SASL_PASSWORD": admin.kafka_sasl_password.get_secret_value()
        if admin.kafka_sasl_password
        else "",
        "KMB_TOPIC_PREFIX": topics.prefix,
        **{
            f"KMB_KAFKA_PASSWORD_{name.upper()}": f"given-{name}"
            for name in ("intake", "assessment", "catalogue", "referrals", "stats")
        },
    }
    result = CliRunner().invoke(
        infra_app, ["kafka", "provision", "--bootstrap", sasl_broker.bootstrap], env=env
    )
    assert result.exit_code == 0, result.output
    assert asyncio.run(credentials_problem([sasl_broker.bootstrap], sasl("kmb-stats", "given-stats"))) is None
    missing = CliRunner().invoke(
        infra_app,
        ["kafka", "provision", "--bootstrap", sasl_broker.bootstrap],
        env={**env, "KMB_KAFKA_PASSWORD_STATS": ""},
    )
    assert missing.exit_code == 1 and "KMB_KAFKA_PASSWORD_STATS" in missing.output
    # the module's other tests use the passwords kept in the var dir: put them back
    asyncio.run(provision_services(sasl_broker.bootstrap, admin, sasl_broker.var_dir, topics))


def test_a_partner_listener_with_a_wrong_password_says_so_in_one_line_without_a_traceback(
    sasl_broker: SaslBroker, topics: Topics, partner_acme: KafkaCredentials
) -> None:
    """Bad credentials on the command line give one clear Czech line and exit 1 (issue 14: never a
    traceback); the right ones read the topic."""
    env = {
        **os.environ,
        "KMB_KAFKA_BOOTSTRAP": sasl_broker.bootstrap,
        "KMB_TOPIC_PREFIX": topics.prefix,
        "KMB_KAFKA_SECURITY_PROTOCOL": "",
        "KMB_KAFKA_SASL_USERNAME": "",
        "KMB_KAFKA_SASL_PASSWORD": "",
    }
    command = ["partner", "listen", "--org", "acme", "--once", "--username", "kmb-partner-acme"]
    wrong = run_kmb([*command, "--password", "not-the-password"], env)
    assert wrong.returncode == 1, wrong.stderr
    assert "Traceback" not in wrong.stderr
    lines = [line for line in wrong.stderr.splitlines() if line.startswith("kmb: ")]
    assert len(lines) == 1 and "Kafka odmítla přihlášení nebo čtení" in lines[0], wrong.stderr
    assert "kmb-partner-acme" in lines[0] and "SaslAuthenticationFailed" in lines[0]

    assert partner_acme.kafka_sasl_password is not None
    right = run_kmb([*command, "--password", partner_acme.kafka_sasl_password.get_secret_value()], env)
    assert right.returncode == 0, right.stderr
    assert "Traceback" not in right.stderr
