"""Intake's HTTP API: contacts and cases (the routes live in ``contacts`` and ``cases``)."""

from __future__ import annotations

from fastapi import APIRouter

from . import cases, contacts

router = APIRouter()
router.include_router(contacts.router)
router.include_router(cases.router)
