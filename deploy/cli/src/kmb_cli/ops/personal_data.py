"""A scan of every message on every topic for personal data (issue 14: none may be on Kafka).

Two ways of finding it:

- the values entered (names, birth numbers, phones, e-mails, street addresses), given or read from
  intake's database (:func:`intake_values`): each is looked for in every record's value, key and
  headers, with case, diacritics and spacing ignored (``Nováková`` also as ``novakova``; a phone also
  as its 9-digit national number with any separators, ``+420 601 234 567`` as ``601234567``; a birth
  number with and without its slash), both in the bytes as written and in the JSON's strings decoded
  (so ``\\u0148`` escapes hide nothing);
- patterns for what may have been entered anywhere: a Czech birth number (``YYMMDD/XXXX`` with a valid
  month and, for ten digits, divisible by 11), a Czech phone number, an e-mail address. A pattern
  match that is one of the ``allowed`` values (e.g. the contact point's own line and mailbox, which
  partner messages name on purpose) is not reported.

On a partner topic (``kmb.partner.<slug>.v1``) it also flags the fields in which the earlier versions of
the partner messages carried the worker's contact (``worker``: name, phone, e-mail) or free text (the
worker's ``note``, a legal basis in words in ``disclosure_basis``): the current versions carry neither,
so such a field means the topic still wants ``kmb partner rewrite-topic``.

A finding names the topic, partition, offset, where in the record, the kind and the value masked
(first and last character): the report itself must not spread what it found.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from kmb_shared.contracts.vocabulary import LEGAL_BASES

from .kafka_io import Record

NAME, BIRTH_NUMBER, PHONE, EMAIL, ADDRESS = "name", "birth_number", "phone", "email", "address"
KINDS = (NAME, BIRTH_NUMBER, PHONE, EMAIL, ADDRESS)
WORKER_CONTACT, FREE_TEXT = "worker_contact", "free_text"
KIND_LABELS_CS = {
    NAME: "jméno",
    BIRTH_NUMBER: "rodné číslo",
    PHONE: "telefon",
    EMAIL: "e-mail",
    ADDRESS: "adresa",
    WORKER_CONTACT: "kontakt na pracovníka",
    FREE_TEXT: "volný text",
}
#: the fields of a partner message that hold the worker's contact or free text (earlier versions only)
PARTNER_MESSAGE_FIELDS = {"worker": WORKER_CONTACT, "note": FREE_TEXT, "disclosure_basis": FREE_TEXT}
_PARTNER_TOPIC = re.compile(r"kmb\.partner\.[^.]+\.v\d+")
_HOW_CS = {"value": "zadaná hodnota", "pattern": "vzor", "field": "pole zprávy partnerovi"}

#: nothing that is part of a longer word, number, id or pseudonym (``P-0123…``, UUID segments)
_BEFORE, _AFTER = r"(?<![\w\-@.])", r"(?![\w\-@])"
_SEPARATOR = r"[\s\-./()]?"
_PHONE_PATTERN = re.compile(_BEFORE + r"(?:(?:\+|00)\s?420[\s\-]?)?[2-9]\d{2}(?:[\s\-]?\d{3}){2}" + _AFTER)
_EMAIL_PATTERN = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_BIRTH_NUMBER_PATTERN = re.compile(_BEFORE + r"(\d{2})(\d{2})(\d{2})/?(\d{3,4})" + _AFTER)


@dataclass(frozen=True)
class PersonalValue:
    kind: str
    value: str


@dataclass(frozen=True)
class Finding:
    topic: str
    partition: int
    offset: int
    where: str
    kind: str
    how: str  # "value" (one of the values looked for), "pattern" or "field" (of a partner message)
    masked: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def line_cs(self) -> str:
        how = _HOW_CS.get(self.how, self.how)
        return (
            f"{self.topic} [{self.partition}] @{self.offset} ({self.where}): "
            f"{KIND_LABELS_CS.get(self.kind, self.kind)} {self.masked} ({how})"
        )


def fold(text: str) -> str:
    """Lower case without diacritics (``Zbyňka`` -> ``zbynka``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def mask(value: str) -> str:
    value = value.strip()
    return value[0] + "…" + value[-1] if len(value) > 2 else "…"


def _spaced(parts: Sequence[str]) -> str:
    """A regex of the characters (or words) of ``parts`` with optional separators between them."""
    return _SEPARATOR.join(re.escape(p) for p in parts)


def matcher(value: PersonalValue) -> re.Pattern[str] | None:
    """How to find one entered value in folded text (None: too short to look for without noise)."""
    folded = fold(value.value).strip()
    if value.kind == PHONE:
        national = _digits(folded)[-9:]
        # the national number, alone or after the country code (+420 / 00420, spaced or not)
        start = r"(?:(?<!\d)|(?<=420))"
        return re.compile(start + _spaced(national) + r"(?!\d)") if len(national) == 9 else None
    if value.kind == BIRTH_NUMBER:
        digits = _digits(folded)
        if len(digits) < 9:
            return None
        return re.compile(
            r"(?<!\d)" + re.escape(digits[:6]) + r"\s?/?\s?" + re.escape(digits[6:]) + r"(?!\d)"
        )
    if value.kind == EMAIL:
        return re.compile(r"(?<![\w.+\-])" + re.escape(folded) + r"(?![\w\-])") if "@" in folded else None
    words = re.findall(r"\w+", folded)
    if not words or len("".join(words)) < 3:
        return None
    if value.kind == NAME:  # a name is each of its words, as a whole word
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words if len(w) >= 3) + r")(?!\w)")
    return re.compile(r"(?<!\w)" + r"[\s,.\-/]*".join(re.escape(w) for w in words) + r"(?!\w)")


def _strings(data: Any) -> Iterable[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, item in data.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)
    elif data is not None:
        yield str(data)


def _texts(record: Record) -> Iterable[tuple[str, str]]:
    """(where, text) of every part of a record: the value as written and its JSON strings decoded,
    the key, each header."""
    raw = (record.value or b"").decode("utf-8", "replace")
    yield "value", raw
    try:
        decoded = json.loads(raw)
    except ValueError:
        decoded = None
    if decoded is not None:
        yield "value", "\n".join(_strings(decoded))
    if record.key:
        yield "key", record.key.decode("utf-8", "replace")
    for name, value in record.headers:
        yield f"header {name}", value.decode("utf-8", "replace")


def _partner_fields(record: Record) -> Iterable[tuple[str, str, str]]:
    """(field, kind, text) of each worker's contact or free text in a message on a partner topic; a
    legal basis given as a vocabulary code (or ``consent``) is no free text."""
    if not _PARTNER_TOPIC.search(record.topic):
        return
    try:
        data = json.loads(record.value or b"")
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for field, kind in PARTNER_MESSAGE_FIELDS.items():
        item = data.get(field)
        if isinstance(item, dict):
            item = " ".join(str(item[k]) for k in ("name", "phone", "email") if item.get(k))
        if not isinstance(item, str) or not item.strip():
            continue
        if field == "disclosure_basis" and (item == "consent" or LEGAL_BASES.knows(item)):
            continue
        yield field, kind, item


def _valid_birth_number(match: re.Match[str]) -> bool:
    year, month, day, serial = match.groups()
    m, d = int(month), int(day)
    if not (1 <= d <= 31 and (1 <= m <= 12 or 21 <= m <= 32 or 51 <= m <= 62 or 71 <= m <= 82)):
        return False
    return (
        len(serial) == 3
        or int(year + month + day + serial) % 11 == 0
        or (int(year + month + day + serial[:3]) % 11 == 10 and serial[3] == "0")
    )


def _pattern_hits(text: str) -> Iterable[tuple[str, str]]:
    for match in _EMAIL_PATTERN.finditer(text):
        yield EMAIL, match.group(0)
    for match in _PHONE_PATTERN.finditer(text):
        yield PHONE, match.group(0)
    for match in _BIRTH_NUMBER_PATTERN.finditer(text):
        if _valid_birth_number(match):
            yield BIRTH_NUMBER, match.group(0)


class Scanner:
    """Looks for ``values`` (and, with ``patterns``, for anything that looks like personal data except
    the ``allowed`` values) in records."""

    def __init__(
        self, values: Iterable[PersonalValue], *, patterns: bool = True, allowed: Iterable[str] = ()
    ) -> None:
        self.matchers = [(v, m) for v in dict.fromkeys(values) if (m := matcher(v)) is not None]
        self.patterns = patterns
        self.allowed = {fold(a).strip() for a in allowed} | {_digits(a)[-9:] for a in allowed if _digits(a)}

    def _allowed(self, kind: str, found: str) -> bool:
        return fold(found).strip() in self.allowed or (kind == PHONE and _digits(found)[-9:] in self.allowed)

    def scan(self, record: Record) -> list[Finding]:
        found: dict[tuple[str, str, str], Finding] = {}
        for where, text in _texts(record):
            folded = fold(text)
            for value, pattern in self.matchers:
                if pattern.search(folded):
                    key = (where, value.kind, value.value)
                    found.setdefault(key, self._finding(record, where, value.kind, "value", value.value))
            if not self.patterns:
                continue
            for kind, hit in _pattern_hits(text):
                if not self._allowed(kind, hit):
                    found.setdefault((where, kind, hit), self._finding(record, where, kind, "pattern", hit))
        for field, kind, text in _partner_fields(record):
            found.setdefault(
                (field, kind, text), self._finding(record, f"value {field}", kind, "field", text)
            )
        return list(found.values())

    @staticmethod
    def _finding(record: Record, where: str, kind: str, how: str, value: str) -> Finding:
        return Finding(record.topic, record.partition, record.offset, where, kind, how, mask(value))

    def scan_all(self, records: Iterable[Record]) -> list[Finding]:
        return [finding for record in records for finding in self.scan(record)]


def household_values(household: dict[str, Any]) -> list[PersonalValue]:
    """The personal values of one household as intake stores it (its ``household`` JSON)."""
    values: list[PersonalValue] = []
    for member in household.get("members") or ():
        for field in ("first_name", "last_name"):
            if member.get(field):
                values.append(PersonalValue(NAME, str(member[field])))
        if member.get("birth_number"):
            values.append(PersonalValue(BIRTH_NUMBER, str(member["birth_number"])))
    for field, kind in (("phone", PHONE), ("email", EMAIL)):
        if household.get(field):
            values.append(PersonalValue(kind, str(household[field])))
    street = (household.get("address") or {}).get("street")
    if street:
        values.append(PersonalValue(ADDRESS, str(street)))
    return values


async def intake_values(database_url: str) -> list[PersonalValue]:
    """Every name, birth number, phone, e-mail and street entered in intake's cases."""
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(sa.text("SELECT household FROM intake_case"))).scalars().all()
    finally:
        await engine.dispose()
    values: list[PersonalValue] = []
    for text in rows:
        try:
            household = json.loads(text)
        except (TypeError, ValueError):
            continue
        if isinstance(household, dict):
            values.extend(household_values(household))
    return values
