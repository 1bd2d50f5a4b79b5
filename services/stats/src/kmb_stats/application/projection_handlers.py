"""How each event changes the projection state.

Every handler is an upsert: it creates the record it needs if an earlier event has not, and it
writes only the fields that its own event owns. Nothing is parked and nothing depends on the
order of arrival across topics; where one event replaces what another wrote, the one with the
greater ``[occurred_at, event_id]`` version wins, whatever order they came in.
"""

from __future__ import annotations

from kmb_shared.contracts import IntegrationEvent

from ..domain.stamp import Handler
from . import apply_applications, apply_cases, apply_flows

HANDLERS: dict[type[IntegrationEvent], Handler] = {
    **apply_cases.HANDLERS,
    **apply_flows.HANDLERS,
    **apply_applications.HANDLERS,
}
