from datetime import date
from typing import ClassVar

from pydantic import Field

from kmb_shared.settings import ServiceSettings

from .nav import SERVICE


class AssessmentSettings(ServiceSettings):
    service_name: ClassVar[str] = "assessment"
    port: int = Field(default=SERVICE.port, validation_alias="KMB_ASSESSMENT_PORT")
    database_url: str | None = Field(default=None, validation_alias="KMB_ASSESSMENT_DATABASE_URL")
    register_check_interval_s: float = Field(
        default=3600.0,
        gt=0,
        validation_alias="KMB_ASSESSMENT_REGISTER_CHECK_INTERVAL_S",
        description="How often the register is checked for entries due for reassessment or expired",
    )
    today_override: date | None = Field(
        default=None,
        validation_alias="KMB_ASSESSMENT_TODAY_OVERRIDE",
        description="Tests only: the day the service takes for today (else today in Prague)",
    )
