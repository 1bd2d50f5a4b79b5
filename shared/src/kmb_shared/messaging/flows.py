"""Who publishes and who consumes what: the one declaration the topics, the broker's principals and ACLs
and the services' subscriptions come from.

Each service has a principal ``kmb-<service>`` that may write its own topic(s) and the dead-letter
topic, read the topics it consumes and use its own consumer groups (``<prefix>kmb.<service>*``) —
nothing else. Each partner has ``kmb-partner-<slug>``, which may only read its own topic
(``<prefix>kmb.partner.<slug>.v*``) with the groups ``<prefix>kmb.partner.<slug>`` and
``<prefix>kmb.partner.<slug>.*``. Creating the core topics is the launcher's admin's job; referrals
creates a partner's topic when the partner is registered, so it may create (and write) partner topics.

An idempotent producer needs no cluster-wide IDEMPOTENT_WRITE since Kafka 3.0 (KIP-679): WRITE on the
topic is enough (the tests on the SASL broker produce idempotently with exactly these rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from .acl import AclBinding, Operation, Pattern, ResourceType
from .topics import CONTEXTS, Topics

SERVICE_PRINCIPAL_PREFIX = "kmb-"
PARTNER_PRINCIPAL_PREFIX = "kmb-partner-"


@dataclass(frozen=True)
class Flow:
    """What one service publishes and consumes (contexts, i.e. ``kmb.<context>.v1``)."""

    service: str
    publishes: tuple[str, ...]
    consumes: tuple[str, ...]
    #: writes (and creates) the partners' topics ``kmb.partner.<slug>.v1``
    partner_topics: bool = False

    @property
    def username(self) -> str:
        return service_username(self.service)


FLOWS: dict[str, Flow] = {
    flow.service: flow
    for flow in (
        Flow("intake", publishes=("intake",), consumes=()),
        Flow("assessment", publishes=("assessment",), consumes=("intake", "referrals")),
        Flow("catalogue", publishes=("catalogue",), consumes=("assessment", "intake")),
        Flow("referrals", publishes=("referrals",), consumes=("intake",), partner_topics=True),
        Flow("stats", publishes=(), consumes=CONTEXTS),
    )
}


def service_username(service: str) -> str:
    return f"{SERVICE_PRINCIPAL_PREFIX}{service}"


def partner_username(slug: str) -> str:
    return f"{PARTNER_PRINCIPAL_PREFIX}{slug}"


def check_spec(service: str, subscribes: tuple[str, ...], publishes: tuple[str, ...]) -> None:
    """Refuse a service that subscribes to or publishes a context its declared flow does not name (the
    broker would refuse it anyway: its ACLs come from :data:`FLOWS`); a copy doing less is fine."""
    flow = FLOWS.get(service)
    if flow is None:
        return  # a test's or tool's own service: no principal of its own
    if not set(subscribes) <= set(flow.consumes) or not set(publishes) <= set(flow.publishes):
        raise ValueError(
            f"service {service!r} subscribes to {sorted(subscribes)} and publishes {sorted(publishes)}, but "
            f"kmb_shared.messaging.flows.FLOWS declares consumes={sorted(flow.consumes)}, "
            f"publishes={sorted(flow.publishes)}: change the declaration (it makes the broker's ACLs) too"
        )


def _topic(principal: str, name: str, *operations: Operation, prefixed: bool = False) -> list[AclBinding]:
    pattern = Pattern.PREFIXED if prefixed else Pattern.LITERAL
    return [AclBinding(principal, ResourceType.TOPIC, name, pattern, op) for op in operations]


def _group(principal: str, name: str, prefixed: bool) -> AclBinding:
    pattern = Pattern.PREFIXED if prefixed else Pattern.LITERAL
    return AclBinding(principal, ResourceType.GROUP, name, pattern, Operation.READ)


def service_acls(flow: Flow, topics: Topics) -> set[AclBinding]:
    """The rules of one service's principal."""
    who = f"User:{flow.username}"
    rules = _topic(who, topics.dlq, Operation.WRITE, Operation.DESCRIBE)
    for context in flow.publishes:
        rules += _topic(who, topics.context(context), Operation.WRITE, Operation.DESCRIBE)
    for context in flow.consumes:
        rules += _topic(who, topics.context(context), Operation.READ, Operation.DESCRIBE)
    if flow.consumes:
        rules.append(_group(who, f"{topics.prefix}kmb.{flow.service}", prefixed=True))
    if flow.partner_topics:
        partner_prefix = topics.partner("").removesuffix(".v1")  # <prefix>kmb.partner.
        rules += _topic(
            who, partner_prefix, Operation.CREATE, Operation.WRITE, Operation.DESCRIBE, prefixed=True
        )
    return set(rules)


def partner_acls(slug: str, topics: Topics) -> set[AclBinding]:
    """The rules of one partner's principal: its own topic (every version) and its own groups."""
    who = f"User:{partner_username(slug)}"
    own = topics.partner(slug).removesuffix("1")  # <prefix>kmb.partner.<slug>.v
    group = f"{topics.prefix}kmb.partner.{slug}"
    rules = _topic(who, own, Operation.READ, Operation.DESCRIBE, prefixed=True)
    return {*rules, _group(who, group, prefixed=False), _group(who, f"{group}.", prefixed=True)}


def all_service_acls(topics: Topics) -> dict[str, set[AclBinding]]:
    """Every service's username and its rules."""
    return {flow.username: service_acls(flow, topics) for flow in FLOWS.values()}
