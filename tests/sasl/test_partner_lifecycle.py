"""A partner's rights on the broker follow referrals' registry (issue 14: "deactivating a partner removes
its ACLs"): on the test kit's SASL broker, with referrals running as its own process with its own
principal (which may not change ACLs), the operator's `kmb partner deactivate|activate|sync-acls` act as
the launcher's admin. What should happen is the rule itself: an active partner reads its own topic, a
deactivated one gets an authorization error, and reactivating gives the same password its access back.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiokafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError
from typer.testing import CliRunner, Result

from kmb_cli import services as svc
from kmb_cli.commands.common import admin_headers
from kmb_cli.infra.kafka import load_credentials
from kmb_cli.main import app
from kmb_cli.partner_acls import start_keeper, stop_keeper
from kmb_cli.principals import mark_sasl, provision_services, use_admin_credentials
from kmb_shared.messaging import Topics
from kmb_shared.messaging.acl import AclBinding, admin_client, describe_acls
from kmb_shared.messaging.admin import ensure_topics
from kmb_shared.messaging.flows import partner_acls
from kmb_shared.messaging.security import KafkaCredentials, sasl
from kmb_testkit.fixtures import TEST_SECRET
from kmb_testkit.sasl import SaslBroker, consume_one, produce_one
from kmb_testkit.system import free_port

pytestmark = [pytest.mark.kafka, pytest.mark.e2e]

SLUG = "socialni-odbor"
#: refused reading a topic: the topic's rule is gone (or the group's, whichever the client asks first)
AUTHORIZATION_ERRORS = (TopicAuthorizationFailedError, GroupAuthorizationFailedError)


@pytest.fixture(scope="module")
def referrals(sasl_broker: SaslBroker) -> Iterator[tuple[str, Topics, int]]:
    """Referrals as a process (what `kmb up` starts), as kmb-referrals on the SASL broker, with intake
    (which checks the sign-ins and tokens referrals is given)."""
    topics = Topics(f"life{uuid.uuid4().hex[:6]}.")
    var_dir = sasl_broker.var_dir
    asyncio.run(ensure_topics(sasl_broker.bootstrap, topics.core, security=sasl_broker.admin))
    principals = asyncio.run(provision_services(sasl_broker.bootstrap, sasl_broker.admin, var_dir, topics))
    port, intake_port = free_port(), free_port()
    env = {
        "KMB_KAFKA_BOOTSTRAP": sasl_broker.bootstrap,
        "KMB_TOPIC_PREFIX": topics.prefix,
        "KMB_VAR_DIR": str(var_dir),
        "KMB_SECRET_KEY": TEST_SECRET,
        "KMB_REFERRALS_PORT": str(port),
        "KMB_INTAKE_PORT": str(intake_port),
        "KMB_REFERRALS_INTAKE_URL": f"http://127.0.0.1:{intake_port}",
        "KMB_OTEL_EXPORTER": "none",
    }
    processes = svc.start_services(var_dir, ("intake", "referrals"), env=env, per_service=principals)
    try:
        svc.wait_ready(processes, timeout=120)
        yield f"http://127.0.0.1:{port}", topics, intake_port
    finally:
        svc.stop_services(var_dir, ("intake", "referrals"))


@pytest.fixture
def operator(
    sasl_broker: SaslBroker, referrals: tuple[str, Topics, int], monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """This process as the operator of that var dir (the `kmb` commands find the admin and referrals);
    every variable the commands set is put back afterwards."""
    _, topics, intake_port = referrals
    for name in ("KMB_KAFKA_SECURITY_PROTOCOL", "KMB_KAFKA_SASL_USERNAME", "KMB_KAFKA_SSL_CAFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KMB_KAFKA_SASL_PASSWORD", "")
    monkeypatch.setenv("KMB_KAFKA_BOOTSTRAP", sasl_broker.bootstrap)
    monkeypatch.setenv("KMB_TOPIC_PREFIX", topics.prefix)
    monkeypatch.setenv("KMB_VAR_DIR", str(sasl_broker.var_dir))
    monkeypatch.setenv("KMB_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("KMB_REFERRALS_PORT", referrals[0].rsplit(":", 1)[1])
    monkeypatch.setenv("KMB_INTAKE_PORT", str(intake_port))
    monkeypatch.delenv("KMB_KAFKA_SASL_USERNAME", raising=False)
    mark_sasl(sasl_broker.var_dir, tls=False)
    yield
    (sasl_broker.var_dir / "run" / "kafka-sasl").unlink()


def _kmb(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _read_own_topic(bootstrap: str, who: KafkaCredentials, topics: Topics) -> bytes:
    group = f"{topics.prefix}kmb.partner.{SLUG}"
    return asyncio.run(consume_one(bootstrap, who, topics.partner(SLUG), group, commit=False))


def _password(result: Result) -> str:
    lines = result.stdout.splitlines()
    return lines[lines.index(next(line for line in lines if line.startswith("Password"))) + 1].strip()


def test_deactivating_a_partner_takes_its_rights_on_the_broker_and_activating_gives_them_back(
    sasl_broker: SaslBroker, referrals: tuple[str, Topics, int], operator: None
) -> None:
    url, topics, _ = referrals
    bootstrap = sasl_broker.bootstrap
    partner = {
        "slug": SLUG,
        "name": "Sociální odbor",
        "kind": "social_department",
        "accepted_kinds": ["social_work"],
    }
    registered = httpx.post(
        f"{url}/api/partners", json=partner, headers=admin_headers("referrals"), timeout=30
    )
    assert registered.status_code == 201, registered.text  # referrals created the topic as kmb-referrals

    issued = _kmb("partner", "credentials", SLUG)
    assert issued.exit_code == 0, issued.output
    who = sasl(f"kmb-partner-{SLUG}", _password(issued))
    stored = load_credentials(sasl_broker.var_dir, "kmb-referrals")
    assert stored is not None
    referrals_principal = sasl(*stored)
    asyncio.run(produce_one(bootstrap, referrals_principal, topics.partner(SLUG)))
    assert _read_own_topic(bootstrap, who, topics) == b"{}"

    off = _kmb("partner", "deactivate", SLUG)
    assert off.exit_code == 0, off.output
    assert f"kmb-partner-{SLUG}: odebráno oprávnění na brokeru: 4" in off.stdout
    assert (
        httpx.get(f"{url}/api/partners/{SLUG}", headers=admin_headers("referrals")).json()["active"] is False
    )
    with pytest.raises(AUTHORIZATION_ERRORS):
        _read_own_topic(bootstrap, who, topics)
    refused = _kmb("partner", "credentials", SLUG)  # no new password for a deactivated partner
    assert refused.exit_code == 1 and "deaktivován" in refused.output

    on = _kmb("partner", "activate", SLUG)
    assert on.exit_code == 0, on.output
    assert _read_own_topic(bootstrap, who, topics) == b"{}"  # the same password reads again

    # deactivated on the referrals page or API (not through kmb): sync-acls follows the registry
    patched = httpx.patch(
        f"{url}/api/partners/{SLUG}", json={"active": False}, headers=admin_headers("referrals"), timeout=30
    )
    assert patched.status_code == 200, patched.text
    synced = _kmb("partner", "sync-acls")
    assert synced.exit_code == 0, synced.output
    assert "aktivní partneři: 0" in synced.stdout
    with pytest.raises(AUTHORIZATION_ERRORS):
        _read_own_topic(bootstrap, who, topics)


def test_sync_acls_says_so_when_referrals_does_not_answer(
    operator: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KMB_REFERRALS_PORT", str(free_port()))
    result = _kmb("partner", "sync-acls")
    assert result.exit_code == 1 and "referrals na http://127.0.0.1:" in result.output
    assert "neodpovídá" in result.output and "Traceback" not in result.output
    assert os.environ["KMB_KAFKA_SASL_USERNAME"] == "admin"  # it acted as the launcher's admin
    assert Path(os.environ["KMB_VAR_DIR"]).is_dir()


def test_the_follower_kmb_up_starts_applies_what_the_registry_says_within_its_interval(
    sasl_broker: SaslBroker, referrals: tuple[str, Topics, int], operator: None
) -> None:
    """`kmb up` runs `kmb partner sync-acls --every N` beside the services: a partner activated or
    deactivated on the referrals page (here its API) gets or loses its rules without a kmb command."""
    url, topics, _ = referrals
    var_dir = sasl_broker.var_dir.resolve()
    use_admin_credentials(var_dir)  # what `kmb up` does before it starts the follower
    rules = partner_acls(SLUG, topics)

    async def rules_now() -> set[AclBinding]:
        async with admin_client(sasl_broker.bootstrap, sasl_broker.admin) as admin:
            return await describe_acls(admin, f"User:kmb-partner-{SLUG}")

    def until(wanted: set[AclBinding]) -> None:  # bounded: three intervals and the start of the process
        deadline = time.monotonic() + 60
        while (found := asyncio.run(rules_now())) != wanted:
            assert time.monotonic() < deadline, found
            time.sleep(0.5)

    def patch(active: bool) -> None:
        answer = httpx.patch(
            f"{url}/api/partners/{SLUG}",
            json={"active": active},
            headers=admin_headers("referrals"),
            timeout=30,
        )
        assert answer.status_code == 200, answer.text

    pid, log_file = start_keeper(var_dir, every_s=1.0)
    try:
        assert start_keeper(var_dir, every_s=1.0)[0] == pid  # one follower per var dir
        patch(True)
        until(rules)
        patch(False)
        until(set())
    finally:
        assert stop_keeper(var_dir)
    assert f"kmb-partner-{SLUG}: odebráno oprávnění na brokeru: 4" in log_file.read_text()
