"""Referrals' HTTP API (thin: parse, call the application, map its errors)."""

from __future__ import annotations

from fastapi import APIRouter

from . import erasure, notifications, partner_side, partners, referrals

ROUTERS: tuple[APIRouter, ...] = (
    partners.router,
    referrals.router,
    partner_side.router,
    erasure.router,
    notifications.router,
)
