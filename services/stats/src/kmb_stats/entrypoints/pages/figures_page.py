"""The request of a page of figures (the dashboard, the reports): a role that may see the statistics
(checked by the page guard), the service's dependencies and the request's session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal
from kmb_shared.service import SessionDep

from ...application.deps import StatsDeps
from ..access import STATS_ROLES
from ..common import DepsDep
from .web import page_guard

as_stats_page = page_guard(*STATS_ROLES)


@dataclass(frozen=True)
class FiguresRequest:
    request: Request
    principal: Principal
    deps: StatsDeps
    session: AsyncSession


def _figures_request(
    request: Request,
    principal: Principal = Depends(as_stats_page),
    deps: StatsDeps = DepsDep,
    session: AsyncSession = SessionDep,
) -> FiguresRequest:
    return FiguresRequest(request, principal, deps, session)


FiguresPage = Annotated[FiguresRequest, Depends(_figures_request)]
