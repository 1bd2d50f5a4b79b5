"""Intake's HTTP API: contacts, cases, their diary and documents, accounts and tokens, the view log, the check of sign-ins for the other services (routes in their modules)."""

from __future__ import annotations

from fastapi import APIRouter

from . import accounts_api, auth_check, cases, casework, contacts, erasure, for_partner
from .subject_report import router as subject_report_router

router = APIRouter()
router.include_router(contacts.router)
router.include_router(cases.router)
router.include_router(casework.router)
router.include_router(for_partner.router)
router.include_router(accounts_api.router)
router.include_router(subject_report_router)
router.include_router(auth_check.router)
router.include_router(erasure.router)
