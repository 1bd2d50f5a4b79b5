from typing import ClassVar

from pydantic import Field

from kmb_shared.settings import ServiceSettings


class StatsSettings(ServiceSettings):
    service_name: ClassVar[str] = "stats"
    port: int = Field(default=8005, validation_alias="KMB_STATS_PORT")
    database_url: str | None = Field(default=None, validation_alias="KMB_STATS_DATABASE_URL")
