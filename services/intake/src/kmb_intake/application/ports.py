"""What the use cases and pages need from the outside, as protocols (``adapters`` implement them).

The commands work in the caller's database session and stage their events in its outbox (one
transaction: the change and the outbox row); the peers are the other services read for a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from kmb_shared.clock import Clock

__all__ = ["Clock", "Peers"]


class Peers(Protocol):
    """Other services' APIs read server-side as the signed-in user; ``None`` when a peer is down, slow
    or refuses (the page shows a quiet note instead)."""

    async def fetch_json(
        self,
        service: str,
        path: str,
        params: Mapping[str, str] | None = None,
        credentials: Mapping[str, str] | None = None,
    ) -> Any | None: ...

    async def list_from(
        self,
        service: str,
        path: str,
        params: Mapping[str, str] | None = None,
        credentials: Mapping[str, str] | None = None,
    ) -> list[dict[str, Any]] | None: ...
