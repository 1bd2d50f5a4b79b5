"""What the use cases and pages need from the outside, as protocols (``adapters`` implement them).

The commands work on a :class:`CaseStore` in the caller's transaction and stage their events in its
outbox (one transaction: the change and the outbox row); the peers are the other services read for a
page. The unit tests implement them in memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from kmb_shared.clock import Clock
from kmb_shared.contracts import IntegrationEvent

from ..adapters.accounts import ApiTokenRow, CredentialRow, LoginFailureRow, UserRow
from ..adapters.tables import CaseHistoryRow, CaseRow, ContactRow
from ..domain import MemberIn

__all__ = ["AccountStore", "CaseStore", "Clock", "Peers"]


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


class CaseStore(Protocol):
    """Intake's cases, their history and member index, and contacts, within the caller's transaction,
    with the outbox of that transaction (the caller commits)."""

    async def case(self, case_id: UUID) -> CaseRow | None: ...

    async def contact(self, contact_id: UUID) -> ContactRow | None: ...

    async def next_case_number(self, year: int) -> str:
        """The next ``KMB-<year>-<5 digits>``, sequential and unique (given back if rolled back)."""
        ...

    def add(self, row: CaseRow | CaseHistoryRow | ContactRow) -> None: ...

    async def flush(self) -> None: ...

    async def update_case(self, case: CaseRow, values: dict[str, Any]) -> bool:
        """Apply ``values`` and bump the version if the case is still at ``case.version``; False when
        another transaction changed it first."""
        ...

    async def index_members(
        self, case_id: UUID, members: Sequence[MemberIn], *, replace: bool = False
    ) -> None:
        """The members' search keys (replacing the case's previous ones when ``replace``)."""
        ...

    def stage(self, event: IntegrationEvent) -> str:
        """Stage ``event`` in the outbox of this transaction; returns its id."""
        ...


class AccountStore(Protocol):
    """Intake's accounts, failed sign-ins and credentials (sessions and API tokens) within the
    caller's transaction (the caller commits)."""

    async def user(self, user_id: str) -> UserRow | None: ...

    async def user_by_username(self, username: str) -> UserRow | None: ...

    async def credential(self, sid: str) -> CredentialRow | None: ...

    def add(self, row: UserRow | ApiTokenRow | CredentialRow | LoginFailureRow) -> None: ...

    async def flush(self) -> None: ...

    async def recent_failures(
        self, username: str, address: str | None, since: datetime
    ) -> tuple[int, datetime | None]:
        """How many sign-ins of ``username`` failed since ``since`` (from ``address``; None: from
        any), and the earliest of them."""
        ...

    async def forget_failures(self, username: str, address: str | None, before: datetime) -> None:
        """Drop the username's failures older than ``before``, and all from ``address`` if given."""
        ...

    async def delete_expired_credentials(self, kind: str, before: datetime) -> int:
        """Delete the credentials of ``kind`` expired before ``before``; how many were deleted."""
        ...
