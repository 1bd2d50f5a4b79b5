"""The catalogue's dependencies as FastAPI parameters: the typed :class:`CatalogueDeps` the
composition root put on the app, and a unit of work for one request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, cast

from fastapi import Depends, FastAPI, Request

from ..application.deps import CatalogueDeps
from ..application.ports import UnitOfWork

STATE_KEY = "catalogue"


def install_deps(app: FastAPI, deps: CatalogueDeps) -> None:
    setattr(app.state, STATE_KEY, deps)


def deps_of(app: FastAPI) -> CatalogueDeps:
    return cast(CatalogueDeps, getattr(app.state, STATE_KEY))


def get_deps(request: Request) -> CatalogueDeps:
    return deps_of(request.app)


async def get_unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    async with get_deps(request).unit_of_work() as uow:
        yield uow


Deps = Annotated[CatalogueDeps, Depends(get_deps)]
Uow = Annotated[UnitOfWork, Depends(get_unit_of_work)]
