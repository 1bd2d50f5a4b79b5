"""Search keys: text as a worker may type it, without diacritics and case, so ``novak`` finds
``Nováková`` on SQLite and PostgreSQL alike (both compare the stored key with a key of the query)."""

from __future__ import annotations

import unicodedata


def search_key(text: str) -> str:
    """Lower case, without combining marks (diacritics), whitespace collapsed to single spaces:
    ``search_key("  Květoslava  HRONKOVÁ ") == "kvetoslava hronkova"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def search_tokens(query: str) -> list[str]:
    """The words of a query as search keys; ``"Jana  Nová"`` -> ``["jana", "nova"]``."""
    return search_key(query).split()
