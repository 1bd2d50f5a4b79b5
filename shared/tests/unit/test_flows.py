"""The one declaration of who publishes and consumes what (kmb_shared.messaging.flows) and the ACLs made
from it; expected rules written from the architecture notes' table, not from the code."""

from __future__ import annotations

import importlib

import pytest

from kmb_shared.messaging import Topics
from kmb_shared.messaging.acl import AclBinding, Operation, Pattern, ResourceType
from kmb_shared.messaging.flows import FLOWS, check_spec, partner_acls, service_acls

T, G = ResourceType.TOPIC, ResourceType.GROUP
LIT, PRE = Pattern.LITERAL, Pattern.PREFIXED
R, W, D, C = Operation.READ, Operation.WRITE, Operation.DESCRIBE, Operation.CREATE


def test_assessment_writes_its_topic_and_the_dlq_reads_intake_and_referrals_and_its_groups() -> None:
    who = "User:kmb-assessment"
    p = "x."
    expected = {
        AclBinding(who, T, "x.kmb.assessment.v1", LIT, W),
        AclBinding(who, T, "x.kmb.assessment.v1", LIT, D),
        AclBinding(who, T, "x.kmb.dlq.v1", LIT, W),
        AclBinding(who, T, "x.kmb.dlq.v1", LIT, D),
        AclBinding(who, T, "x.kmb.intake.v1", LIT, R),
        AclBinding(who, T, "x.kmb.intake.v1", LIT, D),
        AclBinding(who, T, "x.kmb.referrals.v1", LIT, R),
        AclBinding(who, T, "x.kmb.referrals.v1", LIT, D),
        AclBinding(who, G, "x.kmb.assessment", PRE, R),
    }
    assert service_acls(FLOWS["assessment"], Topics(p)) == expected


def test_only_referrals_may_create_and_write_partner_topics_and_stats_writes_only_the_dlq() -> None:
    everyone = {b for flow in FLOWS.values() for b in service_acls(flow, Topics())}
    partner_rules = {b for b in everyone if b.name.startswith("kmb.partner.")}
    assert {b.principal for b in partner_rules} == {"User:kmb-referrals"}
    assert {(b.name, b.pattern, b.operation) for b in partner_rules} == {
        ("kmb.partner.", PRE, C),
        ("kmb.partner.", PRE, W),
        ("kmb.partner.", PRE, D),
    }
    stats_writes = {b.name for b in service_acls(FLOWS["stats"], Topics()) if b.operation is W}
    assert stats_writes == {"kmb.dlq.v1"}


def test_a_partner_reads_its_own_topic_versions_and_groups_only() -> None:
    rules = partner_acls("acme", Topics())
    who = "User:kmb-partner-acme"
    assert rules == {
        AclBinding(who, T, "kmb.partner.acme.v", PRE, R),
        AclBinding(who, T, "kmb.partner.acme.v", PRE, D),
        AclBinding(who, G, "kmb.partner.acme", LIT, R),
        AclBinding(who, G, "kmb.partner.acme.", PRE, R),
    }
    # another partner whose slug starts the same is not matched by any of these
    other_topic, other_group = "kmb.partner.acme-two.v1", "kmb.partner.acme-two"
    for rule in rules:
        name = other_topic if rule.resource is T else other_group
        assert not (name == rule.name or (rule.pattern is PRE and name.startswith(rule.name)))


@pytest.mark.parametrize("service", sorted(FLOWS))
def test_every_service_subscribes_and_publishes_as_declared(service: str) -> None:
    spec = importlib.import_module(f"kmb_{service}.bootstrap").build_spec()
    assert set(spec.subscribes) == set(FLOWS[service].consumes)
    assert {e.context() for e in spec.publishes} <= set(FLOWS[service].publishes)


def test_a_service_subscribing_to_an_undeclared_topic_is_refused() -> None:
    with pytest.raises(ValueError, match="FLOWS declares"):
        check_spec("intake", ("assessment",), ("intake",))
