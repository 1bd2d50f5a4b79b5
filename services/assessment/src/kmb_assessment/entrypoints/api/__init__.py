"""Assessment's HTTP API (thin: parse, call the application, map its errors)."""

from __future__ import annotations

from fastapi import APIRouter

from . import assessments, register, rulesets

ROUTERS: tuple[APIRouter, ...] = (assessments.router, register.router, rulesets.router)
