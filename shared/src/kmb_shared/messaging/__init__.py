"""Messaging: CloudEvents on Kafka, transactional outbox, idempotent inbox, retries and dead letters."""

from .cloudevents import EventMeta, MalformedEvent, read_event, read_meta
from .consumer import EventConsumer, Handler, HandlerContext
from .dlq import dead_letter_headers, dead_letter_sender
from .outbox import Outbox, OutboxRelay
from .tables import InboxMessage, OutboxMessage, create_messaging_tables
from .topics import Topics

__all__ = [
    "EventConsumer",
    "EventMeta",
    "Handler",
    "HandlerContext",
    "InboxMessage",
    "MalformedEvent",
    "Outbox",
    "OutboxMessage",
    "OutboxRelay",
    "Topics",
    "create_messaging_tables",
    "dead_letter_headers",
    "dead_letter_sender",
    "read_event",
    "read_meta",
]
