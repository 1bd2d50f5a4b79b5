"""Configuration read from ``KMB_`` environment variables, one settings class per service.

Common values use ``KMB_<NAME>`` (e.g. ``KMB_KAFKA_BOOTSTRAP``); values of one service use
``KMB_<SERVICE>_<NAME>`` (e.g. ``KMB_INTAKE_PORT``, ``KMB_INTAKE_DATABASE_URL``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kmb_shared.messaging.security import KafkaCredentials


def default_var_dir() -> Path:
    env = os.environ.get("KMB_VAR_DIR")
    if env:
        return Path(env)
    return Path.cwd() / "var"


class ServiceSettings(KafkaCredentials, BaseSettings):
    """Settings every service has (with the Kafka credentials, ``KMB_KAFKA_SECURITY_PROTOCOL`` etc., of
    :class:`~kmb_shared.messaging.security.KafkaCredentials`). Subclasses set ``service_name`` and
    per-service env names."""

    model_config = SettingsConfigDict(env_prefix="KMB_", extra="ignore", populate_by_name=True)

    service_name: ClassVar[str] = "service"

    var_dir: Path = Field(default_factory=default_var_dir, description="Folder for SQLite files and logs")
    kafka_bootstrap: str = Field(default="127.0.0.1:9092", description="Kafka bootstrap servers")
    topic_prefix: str = Field(
        default="",
        description="Prefix of every topic and consumer group (several contact points on one cluster)",
    )
    otel_exporter: Literal["none", "console", "otlp"] = "none"
    otel_endpoint: str | None = Field(
        default=None, description="OTLP/HTTP endpoint, e.g. http://collector:4318"
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, description="Each service's settings set its own default port")
    database_url: str | None = None
    consumer_retries: int = Field(default=3, ge=0, le=20, description="Retries of a failing event before DLQ")
    consumer_backoff_s: float = Field(default=0.2, ge=0, description="First retry delay, doubled each time")
    relay_interval_s: float = Field(default=0.5, gt=0, description="Outbox poll interval when idle")
    relay_max_backoff_s: float = Field(
        default=30.0,
        gt=0,
        description="Longest wait of the outbox relay after failures (doubling from the poll interval)",
    )
    outbox_retention_days: float = Field(
        default=7.0,
        ge=0,
        description="Sent outbox rows older than this are pruned (0 = keep for ever); the events stay on the topics",
    )
    inbox_retention_days: float = Field(
        default=0.0,
        ge=0,
        description=(
            "Inbox rows older than this are pruned (0 = keep for ever, the default: topics keep events for ever "
            "and a group whose offsets expire re-reads from the start; set it only to at least the topics' retention)"
        ),
    )
    retention_interval_s: float = Field(default=3600.0, gt=0, description="How often the pruning job runs")
    secret_key: str | None = Field(
        default=None,
        description="Shared secret signing sessions and API tokens (default: var/secret.key, created once)",
    )
    session_max_age_s: int = Field(default=8 * 3600, gt=0, description="How long a sign-in lasts")
    sign_in_check_url: str | None = Field(
        default=None,
        validation_alias="KMB_INTAKE_URL",
        description="Where the services ask intake whether a sign-in still holds (default: 127.0.0.1 on "
        "KMB_INTAKE_PORT; referrals' KMB_REFERRALS_INTAKE_URL first)",
    )
    migrate_on_start: bool = True
    consume: bool = Field(default=True, description="Run the Kafka consumers (off only in unit tests)")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.var_dir / f'{self.service_name}.db'}"

    @property
    def consumer_group(self) -> str:
        return f"{self.topic_prefix}kmb.{self.service_name}"
