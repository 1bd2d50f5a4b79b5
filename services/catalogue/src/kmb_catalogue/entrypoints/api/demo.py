"""``POST /api/demo/load``: fill the catalogue with the demo town's entries (idempotent)."""

from __future__ import annotations

from fastapi import APIRouter

from ...application.demo import DemoLoadResult, load_demo
from ..deps import Deps
from .access import Editor

router = APIRouter(prefix="/api/demo", tags=["demo"])


@router.post("/load", response_model=DemoLoadResult)
async def load_demo_endpoint(principal: Editor, deps: Deps) -> DemoLoadResult:
    """Fill the catalogue with the demo town's entries (idempotent; catalogue editors and admins)."""
    return await load_demo(deps.unit_of_work, deps.demo, principal.actor)
