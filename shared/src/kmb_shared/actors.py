"""Who is acting. Until sign-in exists (issue 6), the caller names itself in headers; every event
records it as its actor, pseudonymously (a user id, never a name)."""

from __future__ import annotations

from fastapi import Request

from kmb_shared.contracts import Actor

USER_HEADER = "X-KMB-User"
ORG_HEADER = "X-KMB-Org"


def current_actor(request: Request) -> Actor:
    user = request.headers.get(USER_HEADER, "").strip() or "unknown"
    org = request.headers.get(ORG_HEADER, "").strip() or "kmb"
    return Actor(user_id=user[:100], organisation=org[:100])
