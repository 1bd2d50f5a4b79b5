"""Czech birth number (rodné číslo): format, check digit and the date of birth it encodes.

Rules (Act 133/2000 Sb. §13 and its predecessors):
- ``YYMMDD`` + serial. Numbers issued before 1954 have a 3-digit serial (9 digits in all) and no
  check digit; numbers issued since 1954 have a 4-digit serial (10 digits) with a check digit.
- Check digit: the remainder of the first nine digits (as one number) divided by 11; when that
  remainder is 10 the check digit is 0 (such numbers were issued until 1985).
- Month: +50 for women; since 2004 also +20 (men) and +70 (women) when a day's serials run out.
- A 10-digit number with ``YY`` below 54 belongs to the 2000s, otherwise to the 1900s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import InvalidBirthNumber

#: the form of a birth number (its date and check digit are checked on top)
BIRTH_NUMBER_PATTERN = r"^(\d{6})/?(\d{3,4})$"
_PATTERN = re.compile(BIRTH_NUMBER_PATTERN)
_FIRST_YEAR_WITH_CHECK_DIGIT = 1954
_FIRST_YEAR_WITH_EXTENDED_MONTHS = 2004


@dataclass(frozen=True)
class BirthNumber:
    """A valid birth number: its digits (no slash), the birth date and sex it encodes."""

    digits: str
    birth_date: date
    sex: str  # "female" or "male" (codes of the SEXES list)

    def formatted(self) -> str:
        """The usual written form ``YYMMDD/XXXX``."""
        return f"{self.digits[:6]}/{self.digits[6:]}"


def check_digit(first_nine: str) -> int:
    """The check digit of a 10-digit birth number from its first nine digits."""
    remainder = int(first_nine) % 11
    return 0 if remainder == 10 else remainder


def _decode_month(encoded: int, year: int) -> tuple[int, str]:
    extended = year >= _FIRST_YEAR_WITH_EXTENDED_MONTHS
    if extended and encoded > 70:
        return encoded - 70, "female"
    if encoded > 50:
        return encoded - 50, "female"
    if extended and encoded > 20:
        return encoded - 20, "male"
    return encoded, "male"


def parse_birth_number(raw: str) -> BirthNumber:
    """Validate a birth number and decode it; raises ``InvalidBirthNumber`` with a message code
    ``birth_number_format``, ``birth_number_check_digit_missing``, ``birth_number_checksum`` or
    ``birth_number_date``."""
    match = _PATTERN.match(raw.strip())
    if match is None:
        raise InvalidBirthNumber("birth_number_format")
    digits = match.group(1) + match.group(2)
    yy, mm, dd = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if len(digits) == 9:
        year = 1900 + yy
        if year >= _FIRST_YEAR_WITH_CHECK_DIGIT:
            raise InvalidBirthNumber("birth_number_check_digit_missing")
    else:
        year = 1900 + yy if yy >= 54 else 2000 + yy
        if int(digits[9]) != check_digit(digits[:9]):
            raise InvalidBirthNumber("birth_number_checksum")
    month, sex = _decode_month(mm, year)
    try:
        birth_date = date(year, month, dd)
    except ValueError:
        raise InvalidBirthNumber("birth_number_date") from None
    return BirthNumber(digits=digits, birth_date=birth_date, sex=sex)


def written_birth_number(stored: object) -> str | None:
    """A stored birth number (digits) in its written form ``YYMMDD/XXXX``, as people read and type it;
    None for none, and a value that is not a valid birth number as it is."""
    if not stored:
        return None
    try:
        return parse_birth_number(str(stored)).formatted()
    except InvalidBirthNumber:
        return str(stored)
