"""Documents of a case over the API: kind told by content, size limit, stored in intake's database,
downloaded byte-identical under the original name with the opening in the view log, deleted with a
reason (record kept, content removed), never on an event; another organisation's case is not found.
On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from .casework_support import limit_documents, small_pdf, views
from .support import AUDITOR, Intake, worker

pytestmark = pytest.mark.kafka

STRANGER = worker("worker-9", organisation="kmb-brno")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


async def upload(
    intake: Intake,
    case_id: str,
    name: str,
    content: bytes,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    files = {"file": (name, content, kwargs.get("mime", "application/octet-stream"))}
    return await intake.client.post(f"/api/cases/{case_id}/documents", files=files, headers=headers)


async def stored(intake: Intake) -> tuple[int, int]:
    return await intake.count("intake_document"), await intake.count("intake_document_content")


async def test_a_real_pdf_is_accepted_and_downloaded_byte_identical(intake: Intake) -> None:
    case = await intake.open_case()
    pdf = small_pdf()
    name = 'Nájemní smlouva "2026"; kopie.pdf'

    response = await upload(intake, case["id"], name, pdf, mime="text/plain")  # the sender's type is ignored

    assert response.status_code == 201, response.text
    document = response.json()
    assert (document["kind"], document["kind_label"], document["mime"]) == (
        "pdf",
        "Dokument PDF",
        "application/pdf",
    )
    assert (document["filename"], document["size"], document["deleted"]) == (
        "Nájemní smlouva _2026_; kopie.pdf",
        len(pdf),
        False,
    )
    opened = await intake.client.get(f"/api/cases/{case['id']}/documents/{document['id']}")
    assert opened.status_code == 200
    assert opened.content == pdf
    assert opened.headers["content-type"] == "application/pdf"
    assert opened.headers["x-content-type-options"] == "nosniff"  # a browser never renders it as a page
    assert opened.headers["cache-control"] == "no-store"
    disposition = opened.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="N_jemn_ smlouva _2026__ kopie.pdf"')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == document["filename"]
    assert ("worker-7", "document", "api") in await views(intake, case["id"])


async def test_a_text_file_named_pdf_is_refused_and_nothing_is_stored(intake: Intake) -> None:
    case = await intake.open_case()

    response = await upload(
        intake, case["id"], "smlouva.pdf", b"Toto neni PDF, jen text.\n", mime="application/pdf"
    )

    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert (item["field"], item["code"]) == ("file", "document_type")
    assert "podle obsahu" in item["message_cs"]
    assert await stored(intake) == (0, 0)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("foto", PNG, "png"),
        ("zprava.txt", docx(), "docx"),
        ("sken.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64, "jpeg"),
    ],
    ids=["png without extension", "docx named txt", "jpeg"],
)
async def test_the_kind_is_read_from_the_content(
    intake: Intake, name: str, content: bytes, kind: str
) -> None:
    case = await intake.open_case()

    response = await upload(intake, case["id"], name, content)

    assert response.status_code == 201, response.text
    assert response.json()["kind"] == kind


async def test_an_empty_file_is_refused(intake: Intake) -> None:
    case = await intake.open_case()

    response = await upload(intake, case["id"], "prazdny.pdf", b"")

    assert response.status_code == 422
    assert response.json()["detail"][0]["code"] == "document_empty"
    assert await stored(intake) == (0, 0)


async def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(intake: Intake) -> None:
    limit_documents(intake, 0.01)  # 10 kB
    case = await intake.open_case()
    big = small_pdf() + b"%" * 11 * 1024

    response = await upload(intake, case["id"], "velky.pdf", big)
    within = await upload(intake, case["id"], "maly.pdf", small_pdf())

    assert response.status_code == 413
    detail = response.json()["detail"]
    assert detail["code"] == "document_too_large"
    assert detail["message_cs"] == "Soubor je příliš velký; nejvýše 10,2\u00a0kB."
    assert within.status_code == 201
    assert await stored(intake) == (1, 1)


async def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(intake: Intake) -> None:
    limit_documents(intake, 0.01)
    case = await intake.open_case()
    # not even a readable form: were it read, it would be refused as invalid, not as too large
    body = b"x" * (100 * 1024)
    headers = {"Content-Type": "multipart/form-data; boundary=nikdy"}

    response = await intake.client.post(f"/api/cases/{case['id']}/documents", content=body, headers=headers)

    assert response.status_code == 413
    assert response.json()["detail"]["code"] == "document_too_large"
    assert await stored(intake) == (0, 0)


async def test_a_form_without_a_file_is_refused(intake: Intake) -> None:
    case = await intake.open_case()

    response = await intake.client.post(f"/api/cases/{case['id']}/documents", data={"jiny": "údaj"})

    assert response.status_code == 422
    assert [(i["field"], i["code"]) for i in response.json()["detail"]] == [("file", "required")]


async def test_the_limit_is_10_mb_by_default(intake: Intake) -> None:
    case = await intake.open_case()
    pdf = small_pdf()

    over = await upload(intake, case["id"], "velky.pdf", pdf + b"%" * (10 * 1024 * 1024 - len(pdf) + 1))
    exactly = await upload(intake, case["id"], "presne.pdf", pdf + b"%" * (10 * 1024 * 1024 - len(pdf)))

    assert over.status_code == 413
    assert "nejvýše 10\u00a0MB" in over.json()["detail"]["message_cs"]
    assert exactly.status_code == 201
    assert exactly.json()["size"] == 10 * 1024 * 1024


async def test_a_document_is_deleted_with_a_reason_its_content_removed(intake: Intake) -> None:
    case = await intake.open_case()
    document = (await upload(intake, case["id"], "smlouva.pdf", small_pdf())).json()
    base = f"/api/cases/{case['id']}/documents/{document['id']}"

    no_reason = await intake.client.post(f"{base}/delete", json={"reason": "  "})
    deleted = await intake.client.post(f"{base}/delete", json={"reason": "Nahráno k jinému případu."})
    again = await intake.client.post(f"{base}/delete", json={"reason": "Znovu."})
    opened = await intake.client.get(base)

    assert no_reason.status_code == 422
    assert [i["field"] for i in no_reason.json()["detail"]] == ["reason"]
    assert deleted.status_code == 200, deleted.text
    record = deleted.json()
    assert (record["deleted"], record["deleted_by"], record["delete_reason"]) == (
        True,
        "worker-7",
        "Nahráno k jinému případu.",
    )
    assert (again.status_code, opened.status_code) == (409, 409)
    assert await stored(intake) == (1, 0)
    listed = (await intake.client.get(f"/api/cases/{case['id']}/documents")).json()
    assert [(d["filename"], d["deleted"]) for d in listed] == [("smlouva.pdf", True)]


async def test_documents_go_on_no_event(intake: Intake) -> None:
    case = await intake.open_case()
    before = await intake.outbox_count()

    document = (await upload(intake, case["id"], "smlouva.pdf", small_pdf())).json()
    await intake.client.get(f"/api/cases/{case['id']}/documents/{document['id']}")
    await intake.client.post(
        f"/api/cases/{case['id']}/documents/{document['id']}/delete", json={"reason": "Omyl."}
    )

    assert await intake.outbox_count() == before


async def test_another_organisations_worker_finds_no_document(intake: Intake) -> None:
    case = await intake.open_case()
    document = (await upload(intake, case["id"], "smlouva.pdf", small_pdf())).json()
    base = f"/api/cases/{case['id']}/documents"

    answers = [
        await intake.client.get(base, headers=STRANGER),
        await upload(intake, case["id"], "cizi.pdf", small_pdf(), headers=STRANGER),
        await intake.client.get(f"{base}/{document['id']}", headers=STRANGER),
        await intake.client.post(
            f"{base}/{document['id']}/delete", json={"reason": "Cizí."}, headers=STRANGER
        ),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert all("smlouva" not in a.text for a in answers)
    assert await stored(intake) == (1, 1)
    assert all(user != "worker-9" for user, _, _ in await views(intake, case["id"]))


async def test_an_auditor_lists_and_opens_documents_logged_but_changes_nothing(intake: Intake) -> None:
    case = await intake.open_case()
    pdf = small_pdf()
    document = (await upload(intake, case["id"], "smlouva.pdf", pdf)).json()
    base = f"/api/cases/{case['id']}/documents"

    listed = await intake.client.get(base, headers=AUDITOR)
    opened = await intake.client.get(f"{base}/{document['id']}", headers=AUDITOR)
    attached = await upload(intake, case["id"], "dalsi.pdf", pdf, headers=AUDITOR)
    deleted = await intake.client.post(
        f"{base}/{document['id']}/delete", json={"reason": "x"}, headers=AUDITOR
    )

    assert (listed.status_code, opened.status_code, attached.status_code, deleted.status_code) == (
        200,
        200,
        403,
        403,
    )
    assert opened.content == pdf
    logged = await views(intake, case["id"])
    assert ("auditor-1", "document", "api") in logged
    assert ("auditor-1", "documents", "api") in logged


async def test_a_document_of_another_case_is_not_found(intake: Intake) -> None:
    case = await intake.open_case()
    other = await intake.open_case()
    document = (await upload(intake, case["id"], "smlouva.pdf", small_pdf())).json()

    response = await intake.client.get(f"/api/cases/{other['id']}/documents/{document['id']}")

    assert response.status_code == 404
