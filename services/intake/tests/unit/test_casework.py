"""The rules of the diary and the documents that need no service: who may correct a note and until
when, which content is which kind, how a file name is cleaned and offered back, sizes in Czech."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest

from kmb_intake.application.casework import size_text
from kmb_intake.config import IntakeSettings
from kmb_intake.domain.diary import EDIT_WINDOW, may_edit
from kmb_intake.domain.documents import BY_CODE, MAX_NAME, clean_name, kind_of
from kmb_intake.entrypoints.casework import attachment

WRITTEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PDF = BY_CODE["pdf"]


@pytest.mark.parametrize(
    ("user", "after", "expected"),
    [
        ("u-author", timedelta(0), True),
        ("u-author", timedelta(hours=23, minutes=59, seconds=59), True),
        ("u-author", timedelta(hours=24), False),
        ("u-author", timedelta(days=3), False),
        ("u-colleague", timedelta(minutes=1), False),
    ],
    ids=["at once", "just within a day", "a day later", "days later", "a colleague"],
)
def test_only_the_author_corrects_a_note_within_a_day(user: str, after: timedelta, expected: bool) -> None:
    assert may_edit(author_id="u-author", written_at=WRITTEN, user_id=user, now=WRITTEN + after) is expected
    assert timedelta(hours=24) == EDIT_WINDOW


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 16, "png"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "jpeg"),
        (b"Toto je text.\n", None),
        (b"<html><body>smlouva</body></html>", None),
        (b"PK\x03\x04" + b"\0" * 40, None),  # a bare ZIP archive is no office document
        (b"MZ\x90\x00", None),  # a program
        (b"", None),
    ],
    ids=["pdf", "png", "jpeg", "text", "html", "zip", "exe", "empty"],
)
def test_the_kind_is_read_from_the_first_bytes(head: bytes, kind: str | None) -> None:
    found = kind_of(head)
    assert (found.code if found else None) == kind


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("smlouva.pdf", "smlouva.pdf"),
        ("C:\\Users\\eva\\Dokumenty\\výpověď.pdf", "výpověď.pdf"),
        ("../../etc/passwd", "passwd"),
        ('a"b;c.pdf', "a_b;c.pdf"),
        ("%22citace%22.pdf", "citace_.pdf"),  # leading dots, spaces and marks go
        ("řádek\r\nX-Header: 1.pdf", "řádek_X-Header_ 1.pdf"),
        ("", "dokument.pdf"),
        (None, "dokument.pdf"),
        ("...", "dokument.pdf"),
    ],
)
def test_a_file_name_keeps_only_its_last_part_without_control_or_path_characters(
    name: str | None, expected: str
) -> None:
    assert clean_name(name, PDF) == expected


def test_a_long_file_name_is_shortened_keeping_its_extension() -> None:
    cleaned = clean_name("ž" * 300 + ".docx", PDF)

    assert len(cleaned) == MAX_NAME
    assert cleaned.endswith(".docx")


def test_the_download_offers_the_original_name_encoded_and_an_ascii_fallback() -> None:
    header = attachment('Nájemní smlouva; "kopie".pdf')

    fallback, encoded = header.split("; filename*=UTF-8''")
    assert fallback == 'attachment; filename="N_jemn_ smlouva_ _kopie_.pdf"'
    assert unquote(encoded) == 'Nájemní smlouva; "kopie".pdf'
    assert all(c not in encoded for c in ' ";\r\n')


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0\u00a0B"),
        (850, "850\u00a0B"),
        (1024, "1\u00a0kB"),
        (12_800, "12,5\u00a0kB"),
        (3_355_443, "3,2\u00a0MB"),
    ],
)
def test_sizes_are_written_in_czech(size: int, text: str) -> None:
    assert size_text(size) == text


def test_the_size_limit_is_10_mb_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert IntakeSettings().document_max_mb == 10
    monkeypatch.setenv("KMB_INTAKE_DOCUMENT_MAX_MB", "2.5")
    assert IntakeSettings().document_max_mb == 2.5
