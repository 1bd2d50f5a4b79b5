from typing import ClassVar

from pydantic import Field

from kmb_shared.settings import ServiceSettings

from .nav import SERVICE


class StatsSettings(ServiceSettings):
    service_name: ClassVar[str] = "stats"
    port: int = Field(default=SERVICE.port, validation_alias="KMB_STATS_PORT")
    database_url: str | None = Field(default=None, validation_alias="KMB_STATS_DATABASE_URL")
