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

from aiokafka import errors
from faststream.security import BaseSecurity, SASLScram512
from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: the one SASL mechanism KMB's brokers accept
SCRAM_MECHANISM = "SCRAM-SHA-512"

Protocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"]


class KafkaCredentials(BaseModel):
    """The credentials one process presents to the brokers: the fields (``KMB_KAFKA_*`` in a settings
    class that has them, as :class:`KafkaSecurity` and every service's settings do) and what they make."""

    kafka_security_protocol: Protocol = Field(
        default="PLAINTEXT", description="PLAINTEXT, SASL_PLAINTEXT or SASL_SSL (SCRAM-SHA-512), or SSL"
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "PLAIN"] = Field(
        default="SCRAM-SHA-512",
        description="SCRAM-SHA-512 (every KMB principal); PLAIN only for an admin listener (docker-compose.yml)",
    )
    kafka_sasl_username: str | None = Field(
        default=None,
        description="The SASL principal's name, e.g. kmb-intake (`kmb up` gives each service its own)",
    )
    kafka_sasl_password: SecretStr | None = Field(default=None, description="The principal's SCRAM password")
    kafka_ssl_cafile: str | None = Field(
        default=None,
        description="CA certificate (PEM) the brokers' certificates are signed by (SASL_SSL, SSL)",
    )

    @property
    def uses_sasl(self) -> bool:
        return self.kafka_security_protocol.startswith("SASL_")

    @property
    def uses_ssl(self) -> bool:
        return self.kafka_security_protocol in ("SASL_SSL", "SSL")

    @property
    def principal(self) -> str | None:
        """``User:<name>`` as the broker's ACLs name it (None without SASL)."""
        return f"User:{self.kafka_sasl_username}" if self.uses_sasl and self.kafka_sasl_username else None

    def _password(self) -> str:
        return self.kafka_sasl_password.get_secret_value() if self.kafka_sasl_password else ""

    def _ssl_context(self) -> ssl.SSLContext | None:
        if not self.uses_ssl:
            return None
        return ssl.create_default_context(cafile=self.kafka_ssl_cafile)

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for ``AIOKafkaProducer``, ``AIOKafkaConsumer`` and ``AIOKafkaAdminClient``."""
        options: dict[str, Any] = {"security_protocol": self.kafka_security_protocol}
        if self.uses_ssl:
            options["ssl_context"] = self._ssl_context()
        if self.uses_sasl:
            options["sasl_mechanism"] = self.kafka_sasl_mechanism
            options["sasl_plain_username"] = self.kafka_sasl_username or ""
            options["sasl_plain_password"] = self._password()
        return options

    def faststream_security(self) -> BaseSecurity | None:
        """FastStream's ``security=`` of a ``KafkaBroker`` (it also names the scheme in AsyncAPI)."""
        if self.uses_sasl:
            return SASLScram512(
                self.kafka_sasl_username or "",
                self._password(),
                ssl_context=self._ssl_context(),
                use_ssl=self.uses_ssl,
            )
        if self.uses_ssl:
            return BaseSecurity(ssl_context=self._ssl_context(), use_ssl=True)
        return None

    def missing(self) -> str | None:
        """What is missing for SASL (one line, in Czech), or None when the settings are complete."""
        if self.uses_sasl and not (self.kafka_sasl_username and self.kafka_sasl_password):
            who = self.kafka_sasl_username or "(bez jména)"
            return (
                f"chybí přihlašovací údaje ke Kafce pro {who}: KMB_KAFKA_SECURITY_PROTOCOL="
                f"{self.kafka_security_protocol} vyžaduje KMB_KAFKA_SASL_USERNAME a KMB_KAFKA_SASL_PASSWORD"
            )
        return None


class KafkaSecurity(KafkaCredentials, BaseSettings):
    """:class:`KafkaCredentials` read from this process's ``KMB_KAFKA_*`` environment (for tools)."""

    model_config = SettingsConfigDict(env_prefix="KMB_", extra="ignore", populate_by_name=True)


def sasl(username: str, password: str, ca_file: str | None = None) -> KafkaCredentials:
    """SASL credentials of one principal (without reading the environment): SASL_SSL trusting the CA in
    ``ca_file`` when given, else SASL_PLAINTEXT."""
    return KafkaCredentials(
        kafka_security_protocol="SASL_SSL" if ca_file else "SASL_PLAINTEXT",
        kafka_sasl_username=username,
        kafka_sasl_password=password,
        kafka_ssl_cafile=ca_file,
    )


def client_options(security: KafkaCredentials | None = None) -> dict[str, Any]:
    """aiokafka options of ``security``, or of this process's ``KMB_KAFKA_*`` environment when None
    (tools and helpers that only get a bootstrap address)."""
    return (security if security is not None else KafkaSecurity()).client_options()


#: aiokafka errors that mean the broker refused who we are, not that it is away
_REFUSALS: tuple[type[Exception], ...] = (
    errors.SaslAuthenticationFailed,
    errors.UnsupportedSaslMechanismError,
    errors.IllegalSaslStateError,
    errors.ClusterAuthorizationFailedError,
    errors.TopicAuthorizationFailedError,
    errors.GroupAuthorizationFailedError,
)


def refusal(exc: BaseException | None) -> str | None:
    """The broker's refusal of our credentials or rights in ``exc`` or its causes (one line), else None."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, _REFUSALS):
            text = str(exc)  # aiokafka's own say "[Error 58] SaslAuthenticationFailed: ..."
            return text if type(exc).__name__ in text else f"{type(exc).__name__}: {text}"
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def _untrusted(exc: BaseException | None) -> ssl.SSLCertVerificationError | None:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def connection_problem(address: str, credentials: KafkaCredentials, exc: BaseException) -> str | None:
    """Why the broker at ``address`` would not take this connection (one line in Czech, naming the
    principal): refused credentials or rights, a broker certificate not signed by the CA we trust, or a
    listener that takes TLS while we speak without it; None when ``exc`` says only that it is away."""
    who = credentials.kafka_sasl_username or "(bez jména)"
    if why := refusal(exc):
        return f"Kafka na {address} odmítá přihlášení {who} ({why})"
    if untrusted := _untrusted(exc):
        return (
            f"Kafka na {address}: certifikát brokera není důvěryhodný ({untrusted.verify_message}), "
            f"{who} se nepřipojí; KMB_KAFKA_SSL_CAFILE má ukazovat na certifikát CA, která ho podepsala "
            "(místní broker: <var>/kafka/tls/ca.pem)"
        )
    if not credentials.uses_ssl and "closed" in str(exc):
        return (
            f"Kafka na {address} ukončila spojení {who} hned na začátku: naslouchá-li přes TLS, nastavte "
            "KMB_KAFKA_SECURITY_PROTOCOL=SASL_SSL a KMB_KAFKA_SSL_CAFILE"
        )
    return None


async def credentials_problem(bootstrap: list[str], credentials: KafkaCredentials) -> str | None:
    """Why the brokers refuse ``credentials`` (one line in Czech, for the log and ``kmb status``), or None
    when the first broker that answers accepts them or none answers at all. aiokafka's client logs the
    refusal and then raises only "Unable to bootstrap", so this asks one connection directly."""
    from aiokafka.conn import create_conn

    if missing := credentials.missing():
        return missing
    for address in bootstrap:
        host, _, port = address.rpartition(":")
        try:
            conn = await create_conn(host, int(port), request_timeout_ms=5000, **credentials.client_options())
        except Exception as exc:
            if why := connection_problem(address, credentials, exc):
                return why
            continue
        conn.close()
        return None
    return None
