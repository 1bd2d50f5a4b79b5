from typing import ClassVar

from pydantic import Field

from kmb_shared.settings import ServiceSettings


class AssessmentSettings(ServiceSettings):
    service_name: ClassVar[str] = "assessment"
    port: int = Field(default=8002, validation_alias="KMB_ASSESSMENT_PORT")
    database_url: str | None = Field(default=None, validation_alias="KMB_ASSESSMENT_DATABASE_URL")
