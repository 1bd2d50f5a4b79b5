"""Today as the contact point sees it: the shared Prague clock, named here for the tests that import it
from the catalogue (the composition root takes it from ``kmb_shared.clock``)."""

from __future__ import annotations

from kmb_shared.clock import prague_today as prague_today
