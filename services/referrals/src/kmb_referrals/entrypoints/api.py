"""Referrals' HTTP API: every router of the service, in one place."""

from __future__ import annotations

from .partner_side import router as partner_side_router
from .partners import router as partners_router
from .referrals import router as referrals_router

routers = [partners_router, referrals_router, partner_side_router]
