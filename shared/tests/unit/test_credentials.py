"""Every credential carries an id and its issue time; API tokens expire (issue 13 items 2 and 3)."""

from __future__ import annotations

import time

from itsdangerous import URLSafeSerializer

from kmb_shared.auth import DEFAULT_API_TOKEN_DAYS, Principal, Role, Signer

DAY_S = 86400


def test_a_session_carries_its_id_and_issue_time() -> None:
    signer = Signer("s")
    before = int(time.time())
    principal = signer.read_session(signer.session("u-1", {Role.WORKER}, "kmb", "Eva"))
    assert principal is not None
    assert principal.sid is not None and len(principal.sid) == 32  # uuid4 hex
    int(principal.sid, 16)
    assert principal.issued_at is not None and before <= principal.issued_at <= int(time.time())
    other = signer.read_session(signer.session("u-1", {Role.WORKER}, "kmb", "Eva"))
    assert other is not None and other.sid != principal.sid


def test_a_token_carries_its_id_issue_time_and_expiry_of_90_days_by_default() -> None:
    signer = Signer("s")
    token = signer.api_token("api-x", {Role.PARTNER}, "charita", sid="a" * 32, now=1_700_000_000)
    principal = signer.read_token(token, now=1_700_000_001)
    assert principal is not None
    assert (principal.sid, principal.issued_at) == ("a" * 32, 1_700_000_000)
    assert principal.extra["expires_at"] == 1_700_000_000 + DEFAULT_API_TOKEN_DAYS * DAY_S
    assert DEFAULT_API_TOKEN_DAYS == 90


def test_an_expired_token_is_refused() -> None:
    signer = Signer("s")
    token = signer.api_token("api-x", {Role.PARTNER}, "charita", days=2, now=1_700_000_000)
    assert signer.read_token(token, now=1_700_000_000 + 2 * DAY_S - 1) is not None
    assert signer.read_token(token, now=1_700_000_000 + 2 * DAY_S) is None
    assert signer.read_token(signer.api_token("api-x", {Role.PARTNER}, "charita", days=-1)) is None


def test_a_token_without_an_expiry_is_refused() -> None:
    """A token signed before expiries existed would never end and has no id to revoke it by."""
    legacy = "kmb_" + str(
        URLSafeSerializer("s", salt="kmb.api-token.v1").dumps({"u": "api-x", "r": ["partner"], "o": "c"})
    )
    assert Signer("s").read_token(legacy) is None


def test_a_principal_is_still_built_without_the_new_fields() -> None:
    principal = Principal("u-1", frozenset({Role.WORKER}), "kmb")
    assert (principal.sid, principal.issued_at, principal.via) == (None, None, "session")
