from __future__ import annotations

from collections.abc import Callable

import pytest

from kmb_catalogue.domain import (
    Capacity,
    CapacityBelowTaken,
    CapacityNotTracked,
    NoFreeCapacity,
    NothingToRelease,
    Solution,
    SolutionKind,
    allocate_unit,
    release_unit,
    resize_capacity,
)

MakeSolution = Callable[..., Solution]


def test_allocating_a_unit_takes_one_free_unit(make_solution: MakeSolution) -> None:
    shelter = make_solution(SolutionKind.NIGHT_SHELTER, capacity={"total": 5, "free": 2})
    after = allocate_unit(shelter)
    assert after.capacity == Capacity(total=5, free=1)
    assert after.version == shelter.version + 1


def test_allocating_the_last_unit_leaves_none_free(make_solution: MakeSolution) -> None:
    flat = make_solution(SolutionKind.MUNICIPAL_FLAT, capacity={"total": 1, "free": 1})
    taken = allocate_unit(flat)
    assert taken.has_free_capacity is False
    with pytest.raises(NoFreeCapacity) as caught:
        allocate_unit(taken)
    assert caught.value.code == "no_free_capacity"


def test_releasing_a_unit_frees_it(make_solution: MakeSolution) -> None:
    flat = make_solution(SolutionKind.MUNICIPAL_FLAT, capacity={"total": 1, "free": 0})
    assert release_unit(flat).capacity == Capacity(total=1, free=1)


def test_releasing_when_nothing_is_taken_is_refused(make_solution: MakeSolution) -> None:
    shelter = make_solution(SolutionKind.NIGHT_SHELTER, capacity={"total": 5, "free": 5})
    with pytest.raises(NothingToRelease):
        release_unit(shelter)


def test_entry_without_capacity_cannot_be_allocated_or_released(make_solution: MakeSolution) -> None:
    allowance = make_solution(SolutionKind.HOUSING_ALLOWANCE)
    assert allowance.has_free_capacity is None
    with pytest.raises(CapacityNotTracked):
        allocate_unit(allowance)
    with pytest.raises(CapacityNotTracked):
        release_unit(allowance)


def test_resizing_keeps_the_taken_units(make_solution: MakeSolution) -> None:
    # total 10, free 4 -> 6 taken; new total 8 -> 8 - 6 = 2 free
    shelter = make_solution(SolutionKind.ASYLUM_HOUSE, capacity={"total": 10, "free": 4})
    assert resize_capacity(shelter, 8).capacity == Capacity(total=8, free=2)
    with pytest.raises(CapacityBelowTaken):
        resize_capacity(shelter, 5)
