"""What the operator commands share: where Kafka and the services are, the CLI's API token, and reading
whole topics from offset 0 up to the end offsets seen at the start."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kmb_shared.copying import same_fields
from kmb_shared.messaging import Topics
from kmb_shared.replay import read_to_end

from .. import services as svc
from ..infra._common import default_var_dir

CLI_USER = "kmb-cli"


def bootstrap() -> str:
    return os.environ.get("KMB_KAFKA_BOOTSTRAP", "127.0.0.1:9092")


def topics() -> Topics:
    return Topics(os.environ.get("KMB_TOPIC_PREFIX", ""))


def var_dir() -> Path:
    return default_var_dir().resolve()


def api_token(
    user: str = CLI_USER, roles: frozenset[str] = frozenset({"worker", "admin"}), org: str = "kmb"
) -> str:
    """A token signed with the services' shared secret (the CLI runs on the same machine)."""
    from kmb_shared.auth import Signer, load_secret

    settings = svc.settings_class("intake")()
    return Signer(load_secret(var_dir(), settings.secret_key)).api_token(user, set(roles), org)


def api_headers(
    user: str = CLI_USER, roles: frozenset[str] = frozenset({"worker", "admin"}), org: str = "kmb"
) -> dict[str, str]:
    """Bearer token (checked once sign-in is enforced) and the actor headers the services read until then."""
    return {
        "Authorization": f"Bearer {api_token(user, roles, org)}",
        "X-KMB-User": user,
        "X-KMB-Org": org,
    }


@dataclass(frozen=True)
class Record:
    """A Kafka record as read (the shape ``kmb_shared.messaging.cloudevents.KafkaRecord`` describes)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...] = ()
    timestamp_ms: int | None = None

    @classmethod
    def of(cls, raw: Any) -> Record:
        headers = tuple((name, bytes(value or b"")) for name, value in raw.headers or ())
        return cls(**same_fields(raw, cls, headers=headers, timestamp_ms=raw.timestamp))


Progress = Callable[[int, int], None]


async def read_topics(
    bootstrap_servers: str, names: Sequence[str], progress: Progress | None = None
) -> list[Record]:
    """Every record of ``names`` (topics that do not exist are skipped), offset 0 to the end offsets
    seen at the start; records appended meanwhile are left for the next run."""
    out: list[Record] = []
    async for records, total in read_to_end(bootstrap_servers, names, batch_size=1000):
        out.extend(Record.of(raw) for raw in records)
        if progress:
            progress(len(out), total)
    return out
