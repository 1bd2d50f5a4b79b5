"""Stats' HTTP API: figures, reports and case audit timelines."""

from .audit import router as audit
from .figures import router as figures
from .reports import router as reports

__all__ = ["audit", "figures", "reports"]
