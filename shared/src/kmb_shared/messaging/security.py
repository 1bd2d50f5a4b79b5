"""How every Kafka client of KMB authenticates: one settings class (``KMB_KAFKA_SECURITY_PROTOCOL``,
``KMB_KAFKA_SASL_USERNAME``, ``KMB_KAFKA_SASL_PASSWORD``, ``KMB_KAFKA_SSL_CAFILE``) turned into the
options of aiokafka's producers, consumers and admin clients and into FastStream's ``security``.

PLAINTEXT (the default) needs nothing; SASL_PLAINTEXT and SASL_SSL use SCRAM-SHA-512 with the principal's
name and password; SASL_SSL and SSL verify the broker against ``KMB_KAFKA_SSL_CAFILE`` (or the system's
CAs when it is not set).
"""

from __future__ import annotations

import ssl
from typing import Any, Literal

from faststream.security import BaseSecurity, SASLScram512
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: the one SASL mechanism KMB's brokers accept
SCRAM_MECHANISM = "SCRAM-SHA-512"

Protocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"]


class KafkaSecurity(BaseSettings):
    """The credentials one process presents to the brokers (read from ``KMB_KAFKA_*``)."""

    model_config = SettingsConfigDict(env_prefix="KMB_KAFKA_", extra="ignore", populate_by_name=True)

    security_protocol: Protocol = Field(
        default="PLAINTEXT", description="PLAINTEXT, SASL_PLAINTEXT, SASL_SSL (SCRAM-SHA-512) or SSL"
    )
    sasl_username: str | None = Field(default=None, description="The principal's name, e.g. kmb-intake")
    sasl_password: SecretStr | None = Field(default=None, description="The principal's SCRAM password")
    ssl_cafile: str | None = Field(default=None, description="CA certificate (PEM) the broker's is signed by")

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    @property
    def uses_ssl(self) -> bool:
        return self.security_protocol in ("SASL_SSL", "SSL")

    @property
    def principal(self) -> str | None:
        """``User:<name>`` as the broker's ACLs name it (None without SASL)."""
        return f"User:{self.sasl_username}" if self.uses_sasl and self.sasl_username else None

    def _ssl_context(self) -> ssl.SSLContext | None:
        if not self.uses_ssl:
            return None
        return ssl.create_default_context(cafile=self.ssl_cafile)

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for ``AIOKafkaProducer``, ``AIOKafkaConsumer`` and ``AIOKafkaAdminClient``."""
        options: dict[str, Any] = {"security_protocol": self.security_protocol}
        if self.uses_ssl:
            options["ssl_context"] = self._ssl_context()
        if self.uses_sasl:
            options["sasl_mechanism"] = SCRAM_MECHANISM
            options["sasl_plain_username"] = self.sasl_username or ""
            options["sasl_plain_password"] = (
                self.sasl_password.get_secret_value() if self.sasl_password else ""
            )
        return options

    def faststream(self) -> BaseSecurity | None:
        """FastStream's ``security=`` of a ``KafkaBroker`` (it also names the scheme in AsyncAPI)."""
        if self.uses_sasl:
            password = self.sasl_password.get_secret_value() if self.sasl_password else ""
            return SASLScram512(
                self.sasl_username or "", password, ssl_context=self._ssl_context(), use_ssl=self.uses_ssl
            )
        if self.uses_ssl:
            return BaseSecurity(ssl_context=self._ssl_context(), use_ssl=True)
        return None

    def missing(self) -> str | None:
        """What is missing for SASL (one line), or None when the settings are complete."""
        if self.uses_sasl and not (self.sasl_username and self.sasl_password):
            return (
                f"KMB_KAFKA_SECURITY_PROTOCOL={self.security_protocol} needs KMB_KAFKA_SASL_USERNAME "
                "and KMB_KAFKA_SASL_PASSWORD"
            )
        return None


def client_options(security: KafkaSecurity | None = None) -> dict[str, Any]:
    """aiokafka options of ``security``, or of this process's ``KMB_KAFKA_*`` environment when None
    (tools and helpers that only get a bootstrap address)."""
    return (security if security is not None else KafkaSecurity()).client_options()
