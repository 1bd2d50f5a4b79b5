"""Stats' server-rendered pages: the dashboard, reports and the auditors' case view."""

from . import audit, dashboard, reports

ROUTERS = [dashboard.router, reports.router, audit.router]

__all__ = ["ROUTERS"]
