"""Documents attached to a case: which kinds are accepted, told by the file's content, never its name.

A file's kind is read from its first bytes (its magic number, by the ``filetype`` library): a text
file named ``smlouva.pdf`` is no PDF and is refused, a PDF named ``scan.txt`` is a PDF. Accepted: PDF,
JPEG and PNG images, and office documents (DOCX, XLSX, ODT, DOC). The original file name is kept only
to be shown and offered back on download; it never names anything stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated

import filetype
from pydantic import Field, StringConstraints

from .field_types import InputModel

#: how many leading bytes the kind is read from
HEAD_BYTES = 8192
#: the longest original file name kept (characters)
MAX_NAME = 200


@dataclass(frozen=True)
class DocumentKind:
    code: str
    mime: str
    label_cs: str


KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("pdf", "application/pdf", "Dokument PDF"),
    DocumentKind("jpeg", "image/jpeg", "Obrázek JPEG"),
    DocumentKind("png", "image/png", "Obrázek PNG"),
    DocumentKind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Dokument Word (DOCX)",
    ),
    DocumentKind(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Tabulka Excel (XLSX)"
    ),
    DocumentKind("odt", "application/vnd.oasis.opendocument.text", "Dokument OpenDocument (ODT)"),
    DocumentKind("doc", "application/msword", "Dokument Word (DOC)"),
)
BY_MIME = {kind.mime: kind for kind in KINDS}
BY_CODE = {kind.code: kind for kind in KINDS}
#: what the upload form and the refusal name as accepted
ACCEPTED_CS = "PDF, obrázek JPEG nebo PNG, dokument DOCX, XLSX, ODT nebo DOC"


def kind_of(head: bytes) -> DocumentKind | None:
    """The accepted kind the content starts as, or None (an unknown or a refused kind)."""
    if not head:
        return None
    mime = filetype.guess_mime(head[:HEAD_BYTES])
    return BY_MIME.get(mime) if mime else None


def kind_label(code: str) -> str:
    """The Czech name of a stored kind ("Dokument" for one no longer known)."""
    kind = BY_CODE.get(code)
    return kind.label_cs if kind else "Dokument"


_FORM_ESCAPES = (("%22", '"'), ("%0D", "\r"), ("%0A", "\n"))
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def clean_name(name: str | None, kind: DocumentKind) -> str:
    """The original file name as shown and offered back: its last path part, without control and
    path characters, at most :data:`MAX_NAME` characters; ``dokument.<kind>`` when nothing is left.
    A form's file name comes with ``"``, CR and LF escaped as browsers do (``%22``, ``%0D``, ``%0A``)."""
    text = name or ""
    for escaped, character in _FORM_ESCAPES:
        text = text.replace(escaped, character)
    base = unicodedata.normalize("NFC", text.replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE.sub("_", base).strip(" ._")
    if not base:
        return f"dokument.{kind.code}"
    if len(base) > MAX_NAME:
        _, dot, ext = base.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        base = base[: MAX_NAME - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return base


class DocumentDeleteIn(InputModel):
    """Why a document is deleted (kept with the record; the content itself is removed)."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] = Field(
        description="Why the document is deleted, 1 to 500 characters"
    )
