"""Capacity of entries with units or places: allocate one to a household, release it, resize."""

from __future__ import annotations

from .errors import (
    CapacityBelowTaken,
    CapacityNotTracked,
    CapacityOutOfRange,
    NoFreeCapacity,
    NothingToRelease,
)
from .model import Capacity, Solution
from .plausibility import capacity_problem


def _capacity(solution: Solution) -> Capacity:
    if solution.capacity is None:
        raise CapacityNotTracked(
            f"Záznam „{solution.title}“ nesleduje kapacitu.", f"“{solution.title}” does not track capacity."
        )
    return solution.capacity


def _with(solution: Solution, capacity: Capacity) -> Solution:
    return solution.model_copy(update={"capacity": capacity, "version": solution.version + 1})


def allocate_unit(solution: Solution) -> Solution:
    """One unit or place taken by a household: ``free`` goes down by one."""
    cap = _capacity(solution)
    if cap.free == 0:
        raise NoFreeCapacity(
            f"„{solution.title}“ nemá volné místo ani jednotku.",
            f"“{solution.title}” has no free place or unit.",
        )
    return _with(solution, Capacity(total=cap.total, free=cap.free - 1))


def release_unit(solution: Solution) -> Solution:
    """One unit or place given back: ``free`` goes up by one."""
    cap = _capacity(solution)
    if cap.free == cap.total:
        raise NothingToRelease(
            f"„{solution.title}“ nemá žádné obsazené místo, které by šlo uvolnit.",
            f"“{solution.title}” has no taken place to release.",
        )
    return _with(solution, Capacity(total=cap.total, free=cap.free + 1))


def resize_capacity(solution: Solution, total: int) -> Solution:
    """A new total, keeping the units that are taken; fails if fewer than taken would remain."""
    cap = _capacity(solution)
    wrong = capacity_problem(solution.kind, total)
    if wrong is not None:
        context = wrong.context or {}
        raise CapacityOutOfRange(str(context["cs"]), str(context["en"]))
    taken = cap.total - cap.free
    if total < taken:
        raise CapacityBelowTaken(
            f"Kapacitu „{solution.title}“ nelze snížit na {total}, obsazeno je {taken} míst.",
            f"The capacity of “{solution.title}” cannot go down to {total}: {taken} places are taken.",
        )
    return _with(solution, Capacity(total=total, free=total - taken))
