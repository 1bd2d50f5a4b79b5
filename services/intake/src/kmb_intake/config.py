"""Intake's settings: its port, database, sign-in throttle, the size limit of documents and the peers its
pages read."""

from pathlib import Path
from typing import ClassVar

from pydantic import Field

from kmb_shared.settings import ServiceSettings

from .nav import SERVICE

#: intake's Alembic-style migrations (applied at start-up and by ``kmb users create-admin``)
MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


class IntakeSettings(ServiceSettings):
    service_name: ClassVar[str] = "intake"
    port: int = Field(default=SERVICE.port, validation_alias="KMB_INTAKE_PORT")
    database_url: str | None = Field(default=None, validation_alias="KMB_INTAKE_DATABASE_URL")
    login_max_failures: int = Field(
        default=5,
        ge=1,
        validation_alias="KMB_INTAKE_LOGIN_MAX_FAILURES",
        description="Failed sign-ins per username and address before the sign-in is paused",
    )
    login_window_s: int = Field(
        default=15 * 60,
        gt=0,
        validation_alias="KMB_INTAKE_LOGIN_WINDOW_S",
        description="The window in which failed sign-ins are counted (seconds)",
    )
    login_max_failures_per_account: int = Field(
        default=20,
        ge=1,
        validation_alias="KMB_INTAKE_LOGIN_MAX_FAILURES_PER_ACCOUNT",
        description="Failed sign-ins per username from all addresses before its sign-in is paused",
    )
    trusted_proxies: str = Field(
        default="",
        validation_alias="KMB_TRUSTED_PROXIES",
        description="Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is "
        "believed (empty: none; the connecting address is the client)",
    )
    api_token_days: float = Field(
        default=90,
        gt=0,
        validation_alias="KMB_API_TOKEN_DAYS",
        description="How long an API token issued here is valid (days)",
    )
    document_max_mb: float = Field(
        default=10,
        gt=0,
        le=100,
        validation_alias="KMB_INTAKE_DOCUMENT_MAX_MB",
        description="The largest document a worker may attach to a case (MB, 1 MB = 1024 × 1024 bytes)",
    )
    #: where the desk and the case page fetch from other services server-side (default: their public URL)
    referrals_url: str | None = Field(default=None, validation_alias="KMB_INTAKE_REFERRALS_URL")
    assessment_url: str | None = Field(default=None, validation_alias="KMB_INTAKE_ASSESSMENT_URL")
    stats_url: str | None = Field(default=None, validation_alias="KMB_INTAKE_STATS_URL")
    peer_timeout_s: float = Field(
        default=2.0, gt=0, validation_alias="KMB_INTAKE_PEER_TIMEOUT_S", description="Per fetch from a peer"
    )
    application_kinds_dir: Path | None = Field(
        default=None,
        validation_alias="KMB_INTAKE_APPLICATION_KINDS_DIR",
        description="The contact point's own application kinds (*.yaml): add kinds, or replace a shipped one"
        " by its code (fields and wording)",
    )
    contact_point_name: str = Field(
        default="Kontaktní místo pro bydlení", validation_alias="KMB_INTAKE_CONTACT_POINT_NAME"
    )
    contact_point_address: str | None = Field(
        default=None, validation_alias="KMB_INTAKE_CONTACT_POINT_ADDRESS"
    )
    contact_point_phone: str | None = Field(default=None, validation_alias="KMB_INTAKE_CONTACT_POINT_PHONE")
    contact_point_email: str | None = Field(default=None, validation_alias="KMB_INTAKE_CONTACT_POINT_EMAIL")
    retention_years: int = Field(
        default=10,
        ge=1,
        le=100,
        validation_alias="KMB_INTAKE_RETENTION_YEARS",
        description="Years after the year a case was closed before its personal data are erased (the"
        " shredding plan's period, counted from 1 January of the next year; README)",
    )
    retention_job: bool = Field(
        default=True,
        validation_alias="KMB_INTAKE_RETENTION_JOB",
        description="Run the retention job (daily); false: only the admin page and POST /api/retention/runs",
    )
    retention_interval_h: float = Field(
        default=24,
        gt=0,
        validation_alias="KMB_INTAKE_RETENTION_INTERVAL_H",
        description="Hours between two runs of the retention job",
    )
