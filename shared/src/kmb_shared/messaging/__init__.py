"""Messaging: CloudEvents on Kafka, transactional outbox, idempotent inbox, retries and dead letters."""

from .cloudevents import EventMeta, MalformedEvent, read_event, read_meta
from .consumer import BatchContext, BatchHandler, Delivery, EventConsumer, Handler, HandlerContext
from .dlq import dead_letter_headers, dead_letter_sender
from .kafka import KafkaPublisher, bootstrap_servers
from .outbox import FunctionPublisher, Outbox, OutboxRelay, Publisher
from .retention import Pruned, prune_messaging
from .tables import InboxMessage, OutboxMessage, create_messaging_tables
from .topics import Topics

__all__ = [
    "BatchContext",
    "BatchHandler",
    "Delivery",
    "EventConsumer",
    "EventMeta",
    "FunctionPublisher",
    "Handler",
    "HandlerContext",
    "InboxMessage",
    "KafkaPublisher",
    "MalformedEvent",
    "Outbox",
    "OutboxMessage",
    "OutboxRelay",
    "Pruned",
    "Publisher",
    "Topics",
    "bootstrap_servers",
    "create_messaging_tables",
    "dead_letter_headers",
    "dead_letter_sender",
    "prune_messaging",
    "read_event",
    "read_meta",
]
