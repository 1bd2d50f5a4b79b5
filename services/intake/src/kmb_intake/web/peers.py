"""Reading other services' APIs server-side for a page, as the signed-in user (their bearer token or
session cookie is forwarded, so the other service checks their roles itself). A peer that is down,
slow or refuses yields ``None``; the page shows a quiet note instead and never fails."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from fastapi import Request

from kmb_shared.auth import SESSION_COOKIE
from kmb_shared.service import get_runtime
from kmb_shared.web import service_urls

log = logging.getLogger(__name__)


def peer_base(request: Request, service: str) -> str:
    """``KMB_INTAKE_<SERVICE>_URL`` if set, else the service's public address."""
    configured = getattr(get_runtime(request).settings, f"{service}_url", None)
    return str(configured or service_urls()[service]).rstrip("/")


def forwarded_credentials(request: Request) -> dict[str, str]:
    authorization = request.headers.get("authorization")
    if authorization:
        return {"Authorization": authorization}
    cookie = request.cookies.get(SESSION_COOKIE)
    return {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}


async def fetch_json(
    request: Request, service: str, path: str, params: dict[str, str] | None = None
) -> Any | None:
    """GET ``path`` of ``service`` as the caller; the parsed JSON, or None when unavailable."""
    settings = get_runtime(request).settings
    timeout = float(getattr(settings, "peer_timeout_s", 2.0))
    transport: httpx.AsyncBaseTransport | None = getattr(request.app.state, "peer_transport", None)
    url = f"{peer_base(request, service)}{path}"
    try:
        async with httpx.AsyncClient(timeout=timeout, transport=transport) as client:
            response = await client.get(url, params=params, headers=forwarded_credentials(request))
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
    request: Request, service: str, path: str, params: dict[str, str] | None = None
) -> list[dict[str, Any]] | None:
    """Like :func:`fetch_json` for endpoints answering a list of objects."""
    data = await fetch_json(request, service, path, params)
    if not isinstance(data, list):
        return None
    return [item for item in data if isinstance(item, dict)]
