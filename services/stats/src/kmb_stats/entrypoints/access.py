"""Who may call what on stats, checked on the server for every request (API and pages alike).

Stats holds no names, so its figures, dashboard and reports are open to analysts as well as to
workers and administrators. A case's audit timeline (pseudonymous actors, coded summaries) is for
auditors and administrators, and for workers, whose case page shows the timeline of the case they
handle — each only for the cases of their own organisation (the case's CaseOpened actor's): another
organisation's case is not found (404, as intake answers). The figures, dashboard and reports count
cases without naming any and stay national (every organisation's events), as before. The projection
digest answers any signed-in caller (``kmb replay`` sends an admin token).
"""

from __future__ import annotations

from fastapi import Depends
from fastapi.params import Depends as DependsParam

from kmb_shared.auth import Role, require

#: the statistics API, the dashboard, reports (issue, list, downloads)
STATS_ROLES: tuple[str, ...] = (Role.ANALYST, Role.WORKER, Role.ADMIN)
#: a case's audit timeline, over the API and as a page
AUDIT_ROLES: tuple[str, ...] = (Role.AUDITOR, Role.ADMIN, Role.WORKER)
#: the audit lookup page (any case by number or id)
AUDIT_LOOKUP_ROLES: tuple[str, ...] = (Role.AUDITOR, Role.ADMIN)


as_stats_reader = require(*STATS_ROLES)
as_audit_reader = require(*AUDIT_ROLES)
as_anyone = require()


def stats_readers() -> DependsParam:
    """A route dependency: signed in with a statistics role (401 / 403 otherwise)."""
    return Depends(as_stats_reader)


def audit_readers() -> DependsParam:
    """A route dependency: signed in with a role that may read audit timelines."""
    return Depends(as_audit_reader)


def signed_in() -> DependsParam:
    """A route dependency: signed in with any role."""
    return Depends(as_anyone)
