from datetime import date, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from pydantic import Field

from kmb_shared.settings import ServiceSettings

from .nav import SERVICE

#: the contact points' local time: it decides "today" (survey date, register entry and validity)
LOCAL_TIME = ZoneInfo("Europe/Prague")


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
        description="Tests only: the day the service takes for today",
    )

    def today(self) -> date:
        """Today at the contact point (or ``today_override``)."""
        if self.today_override is not None:
            return self.today_override
        return datetime.now(LOCAL_TIME).date()
