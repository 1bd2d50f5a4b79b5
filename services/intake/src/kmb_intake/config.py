from typing import ClassVar

from pydantic import Field

from kmb_shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: ClassVar[str] = "intake"
    port: int = Field(default=8001, validation_alias="KMB_INTAKE_PORT")
    database_url: str | None = Field(default=None, validation_alias="KMB_INTAKE_DATABASE_URL")
