"""The typed dependencies of the running service (built once by ``bootstrap`` and set on
``app.state``), instead of a dictionary of extras: what the routes and pages hand to the use cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from ..config import IntakeSettings
from .accounts import Throttle
from .ports import AccountStore, CaseStore, Clock, Peers


@dataclass(frozen=True)
class IntakeDeps:
    settings: IntakeSettings
    #: the moment and today in Prague
    clock: Clock
    #: the other services, read for the desk and the case page
    peers: Peers
    #: the case store (and outbox) in a request's session
    store: Callable[[AsyncSession], CaseStore]
    #: the account store in a request's session
    accounts: Callable[[AsyncSession], AccountStore]

    @property
    def throttle(self) -> Throttle:
        """How many failed sign-ins pause the sign-in, and for how long they count."""
        return Throttle(
            self.settings.login_max_failures,
            timedelta(seconds=self.settings.login_window_s),
            self.settings.login_max_failures_per_account,
        )
