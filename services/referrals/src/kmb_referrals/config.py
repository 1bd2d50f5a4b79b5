from datetime import date
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, SecretStr

from kmb_shared.auth import load_secret
from kmb_shared.settings import ServiceSettings
from kmb_shared.web import service_urls

from .domain import DEFAULT_RESPONSE_DAYS, DeadlineConfig, ReferralKind
from .nav import SERVICE

#: The key the service once used when none was configured; it is public (in this source), so a service
#: in production mode refuses to start with it. Keys are now per installation (``pseudonym_key_bytes``).
DEV_PSEUDONYM_KEY = "kmb-dev-pseudonym-key-change-me"

#: Where the key generated on first start is kept, under the var folder (``secret.key``, mode 600)
PSEUDONYM_KEY_DIR = "referrals-pseudonym"


class InsecureConfiguration(RuntimeError):
    """The settings are not fit for production; the message says what to change."""


def _env(name: str) -> str:
    return f"KMB_REFERRALS_{name}"


class ReferralsSettings(ServiceSettings):
    service_name: ClassVar[str] = "referrals"
    port: int = Field(default=SERVICE.port, validation_alias=_env("PORT"))
    database_url: str | None = Field(default=None, validation_alias=_env("DATABASE_URL"))
    intake_url: str = Field(
        # intake's address as every service knows it (KMB_INTAKE_PUBLIC_URL, else 127.0.0.1 and
        # KMB_INTAKE_PORT): a fixed 8001 here lost the names when intake ran on another port
        default_factory=lambda: service_urls()["intake"],
        validation_alias=_env("INTAKE_URL"),
        description="Intake's base URL; names are fetched from it only when consent or a legal basis allows",
    )
    intake_timeout_s: float = Field(default=3.0, gt=0, validation_alias=_env("INTAKE_TIMEOUT_S"))
    catalogue_url: str = Field(
        default_factory=lambda: service_urls()["catalogue"],
        validation_alias=_env("CATALOGUE_URL"),
        description="Catalogue's base URL; the refer page reads the referred entry's title from it",
    )
    catalogue_timeout_s: float = Field(default=3.0, gt=0, validation_alias=_env("CATALOGUE_TIMEOUT_S"))
    environment: Literal["development", "production"] = Field(
        default="development",
        validation_alias="KMB_ENV",
        description="production: refuse to start with a development key",
    )
    pseudonym_key: SecretStr | None = Field(
        default=None,
        min_length=16,
        validation_alias=_env("PSEUDONYM_KEY"),
        description=(
            "Key of the per-partner case pseudonyms (HMAC); keep it secret and stable. Default: generated "
            f"once per installation into var/{PSEUDONYM_KEY_DIR}/secret.key (mode 600); several copies of "
            "the service must share one key"
        ),
    )
    deadline_days: dict[ReferralKind, int] = Field(
        default_factory=dict,
        validation_alias=_env("DEADLINE_DAYS"),
        description='Working days to respond per kind, JSON, e.g. {"social_work": 3}; overrides the defaults',
    )
    deadline_default_days: int = Field(default=5, ge=0, validation_alias=_env("DEADLINE_DEFAULT_DAYS"))
    closed_days: list[date] = Field(
        default_factory=list,
        validation_alias=_env("CLOSED_DAYS"),
        description="Extra non-working days of the office, JSON list of dates",
    )
    overdue_interval_s: float = Field(
        default=60.0, gt=0, validation_alias=_env("OVERDUE_INTERVAL_S"), description="Deadline check period"
    )
    partner_topic_partitions: int = Field(default=3, ge=1, validation_alias=_env("PARTNER_TOPIC_PARTITIONS"))
    partner_topic_replication: int | None = Field(
        default=None,
        ge=1,
        validation_alias=_env("PARTNER_TOPIC_REPLICATION"),
        description="Copies of each partner topic; default min(3, brokers of the cluster)",
    )
    contact_point_name: str = Field(
        default="Kontaktní místo pro bydlení", validation_alias=_env("CONTACT_POINT_NAME")
    )
    contact_point_phone: str | None = Field(default=None, validation_alias=_env("CONTACT_POINT_PHONE"))
    contact_point_email: str | None = Field(default=None, validation_alias=_env("CONTACT_POINT_EMAIL"))
    smtp_host: str | None = Field(
        default=None,
        validation_alias=_env("SMTP_HOST"),
        description="E-mail each worker their notifications through this SMTP server; unset: no e-mail",
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, validation_alias=_env("SMTP_PORT"))
    smtp_from: str = Field(default="kmb@localhost", validation_alias=_env("SMTP_FROM"))
    smtp_starttls: bool = Field(default=False, validation_alias=_env("SMTP_STARTTLS"))
    mail_interval_s: float = Field(
        default=30.0, gt=0, validation_alias=_env("MAIL_INTERVAL_S"), description="Notification e-mail period"
    )

    def pseudonym_key_bytes(self) -> bytes:
        """The configured key, else the installation's own (generated on first start, like the secret key).

        Raises :class:`InsecureConfiguration` in production mode with the public development key."""
        configured = self.pseudonym_key.get_secret_value() if self.pseudonym_key else None
        if self.environment == "production" and configured == DEV_PSEUDONYM_KEY:
            raise InsecureConfiguration(
                "referrals: KMB_ENV=production, but KMB_REFERRALS_PSEUDONYM_KEY is the public development "
                "key, which would let anyone link a household across partners. Set a secret of your own "
                f"(at least 16 characters) or unset it to use the key generated in {self.pseudonym_key_path}."
            )
        return load_secret(self.pseudonym_key_path.parent, configured).encode()

    @property
    def pseudonym_key_path(self) -> Path:
        return self.var_dir / PSEUDONYM_KEY_DIR / "secret.key"

    def deadline_config(self) -> DeadlineConfig:
        return DeadlineConfig(
            response_days={**DEFAULT_RESPONSE_DAYS, **self.deadline_days},
            default_days=self.deadline_default_days,
            closed_days=frozenset(self.closed_days),
        )
