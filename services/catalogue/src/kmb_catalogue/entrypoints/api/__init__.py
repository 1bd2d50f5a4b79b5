"""The catalogue's HTTP API: thin routes that parse, call the application and map its errors."""

from fastapi import APIRouter

from . import demo, solutions, suggestions

ROUTERS: tuple[APIRouter, ...] = (solutions.router, suggestions.router, demo.router)

__all__ = ["ROUTERS"]
