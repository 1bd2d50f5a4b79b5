from typing import ClassVar

from kmb_shared.settings import ServiceSettings
from pydantic import Field


class ReferralsSettings(ServiceSettings):
    service_name: ClassVar[str] = "referrals"
    port: int = Field(default=8004, validation_alias="KMB_REFERRALS_PORT")
    database_url: str | None = Field(default=None, validation_alias="KMB_REFERRALS_DATABASE_URL")
