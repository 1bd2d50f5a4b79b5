from typing import ClassVar

from pydantic import Field

from kmb_shared.settings import ServiceSettings


class ReferralsSettings(ServiceSettings):
    service_name: ClassVar[str] = "referrals"
    port: int = Field(default=8004, validation_alias="KMB_REFERRALS_PORT")
    database_url: str | None = Field(default=None, validation_alias="KMB_REFERRALS_DATABASE_URL")
