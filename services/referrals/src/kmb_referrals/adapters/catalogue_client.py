"""Reading one catalogue entry, so the refer page can name the solution a case is referred to.

Best effort: the page must work without the catalogue, so every failure (down, slow, refused, not
found, an unexpected answer) comes back as ``None`` and is only logged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogueEntry:
    """What the refer page shows of a catalogue entry."""

    id: UUID
    kind: str
    title: str
    provider: str | None


class CatalogueClient:
    def __init__(self, base_url: str, timeout_s: float = 3.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s

    async def entry(
        self, solution_id: UUID, credentials: Mapping[str, str] | None = None
    ) -> CatalogueEntry | None:
        """The entry, or None when it cannot be had.

        ``credentials`` are the caller's own (``Authorization``, ``Cookie``), passed on so that the
        catalogue checks the worker's own right to read it.
        """
        url = f"{self.base_url}/api/solutions/{solution_id}"
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                response = await client.get(url, headers=dict(credentials or {}))
        except httpx.HTTPError as exc:
            log.info("catalogue unreachable for entry %s: %s", solution_id, type(exc).__name__)
            return None
        if response.status_code != 200:
            log.info("catalogue answered %s for entry %s", response.status_code, solution_id)
            return None
        try:
            return entry_from_solution(response.json())
        except ValueError as exc:
            log.info("unexpected catalogue entry %s: %s", solution_id, exc)
            return None


def entry_from_solution(data: Any) -> CatalogueEntry:
    """The shown fields of the catalogue's ``Solution`` JSON (raises ``ValueError`` if they are missing)."""
    if not isinstance(data, dict):
        raise ValueError("the entry is not an object")
    title, kind = data.get("title"), data.get("kind")
    if not isinstance(title, str) or not title.strip() or not isinstance(kind, str):
        raise ValueError("the entry has no title or kind")
    provider = data.get("provider")
    name = provider.get("name") if isinstance(provider, dict) else None
    return CatalogueEntry(
        id=UUID(str(data.get("id"))),
        kind=kind,
        title=title.strip(),
        provider=name.strip() if isinstance(name, str) and name.strip() else None,
    )
