"""Reading other services' APIs server-side for a page, as the signed-in user (their bearer token or
session cookie is forwarded, so the other service checks their roles itself). A peer that is down,
slow or refuses yields ``None``; the page shows a quiet note instead and never fails."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import httpx

from kmb_shared.web import service_urls

from ..config import IntakeSettings

log = logging.getLogger(__name__)


class HttpPeers:
    """The peers over HTTP. ``state`` is the app's state: a test may put an ``httpx`` transport at
    ``state.peer_transport`` (read at every call)."""

    def __init__(self, settings: IntakeSettings, state: Any = None) -> None:
        self.settings = settings
        self.state = state

    def base(self, service: str) -> str:
        """``KMB_INTAKE_<SERVICE>_URL`` if set, else the service's public address."""
        configured = getattr(self.settings, f"{service}_url", None)
        return str(configured or service_urls()[service]).rstrip("/")

    async def fetch_json(
        self,
        service: str,
        path: str,
        params: Mapping[str, str] | None = None,
        credentials: Mapping[str, str] | None = None,
    ) -> Any | None:
        """GET ``path`` of ``service`` as the caller; the parsed JSON, or None when unavailable."""
        transport: httpx.AsyncBaseTransport | None = getattr(self.state, "peer_transport", None)
        url = f"{self.base(service)}{path}"
        try:
            async with httpx.AsyncClient(timeout=self.settings.peer_timeout_s, transport=transport) as client:
                response = await client.get(url, params=dict(params or {}), headers=dict(credentials or {}))
        except httpx.HTTPError as exc:
            log.info("peer %s unavailable for %s: %s", service, path, type(exc).__name__)
            return None
        if response.status_code != 200:
            log.info("peer %s answered %s for %s", service, response.status_code, path)
            return None
        try:
            return response.json()
        except ValueError:
            return None

    async def list_from(
        self,
        service: str,
        path: str,
        params: Mapping[str, str] | None = None,
        credentials: Mapping[str, str] | None = None,
    ) -> list[dict[str, Any]] | None:
        """Like :meth:`fetch_json` for endpoints answering a list of objects."""
        data = await self.fetch_json(service, path, params, credentials)
        if not isinstance(data, list):
            return None
        return [item for item in data if isinstance(item, dict)]
