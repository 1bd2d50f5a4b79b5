"""Ages and age bands: completed years at a reference date, the bands other services see, and who may
be recorded as a dependent child (nezaopatřené dítě)."""

from __future__ import annotations

from datetime import date

#: (lowest age, band code), ascending; a band runs up to the next band's lowest age
AGE_BANDS_FROM: tuple[tuple[int, str], ...] = (
    (0, "0-5"),
    (6, "6-14"),
    (15, "15-17"),
    (18, "18-25"),
    (26, "26-64"),
    (65, "65+"),
)
#: the bands of the members whose dependent-child status (studies or not) is recorded: 15 up to 26
DEPENDENT_CHILD_BANDS = frozenset({"15-17", "18-25"})


def age_in_years(date_of_birth: date, today: date) -> int:
    """Completed years. Someone born on 29 February completes a year on 1 March in other years."""
    if date_of_birth > today:
        raise ValueError("date of birth after the reference date")
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)


def band_of_age(age: int) -> str:
    return next(code for lowest, code in reversed(AGE_BANDS_FROM) if age >= lowest)


def age_band(date_of_birth: date, today: date) -> str:
    """The age band code (0-5, 6-14, 15-17, 18-25, 26-64, 65+) of a person at ``today``."""
    return band_of_age(age_in_years(date_of_birth, today))


def records_dependent_child(date_of_birth: date, today: date) -> bool:
    """Whether a member of this age gets the dependent-child question (aged 15 to 25 at ``today``)."""
    return date_of_birth <= today and age_band(date_of_birth, today) in DEPENDENT_CHILD_BANDS


def years_cs(age: int) -> str:
    """``1 rok``, ``3 roky``, ``40 let``."""
    if age == 1:
        return "1 rok"
    if 2 <= age <= 4:
        return f"{age} roky"
    return f"{age} let"


def years_en(age: int) -> str:
    return "1 year old" if age == 1 else f"{age} years old"
