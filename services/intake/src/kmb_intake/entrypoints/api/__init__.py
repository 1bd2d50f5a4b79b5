"""Intake's HTTP API: contacts, cases, accounts and tokens, the view log (routes in their modules)."""

from __future__ import annotations

from fastapi import APIRouter

from . import accounts_api, cases, contacts

router = APIRouter()
router.include_router(contacts.router)
router.include_router(cases.router)
router.include_router(accounts_api.router)
