from typing import ClassVar

from pydantic import Field

from kmb_shared.settings import ServiceSettings

from .nav import SERVICE


class CatalogueSettings(ServiceSettings):
    service_name: ClassVar[str] = "catalogue"
    port: int = Field(default=SERVICE.port, validation_alias="KMB_CATALOGUE_PORT")
    database_url: str | None = Field(default=None, validation_alias="KMB_CATALOGUE_DATABASE_URL")
