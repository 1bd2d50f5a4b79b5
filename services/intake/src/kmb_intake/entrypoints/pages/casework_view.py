"""What the case page shows of the diary and the documents (read for every case page)."""

from __future__ import annotations

from typing import Any

from ...application import casework
from ...application.queries import CaseRow
from ...domain.diary import MAX_NOTE
from ...domain.documents import ACCEPTED_CS, KINDS
from ..casework import max_document_bytes
from .common import PageCall


async def casework_view(call: PageCall, case: CaseRow) -> dict[str, Any]:
    """The diary (newest first), the documents, the people who wrote or attached them (ids), and the
    upload form's limits."""
    now = call.context.now
    entries = await casework.diary(call.session, case, user_id=call.principal.user_id, now=now)
    documents = await casework.case_documents(call.session, case)
    people = [e.author_id for e in entries] + [d.uploaded_by for d in documents]
    people += [d.deleted_by for d in documents if d.deleted_by]
    return {
        "diary": entries,
        "documents": documents,
        "casework_people": people,
        "note_max": MAX_NOTE,
        "document_limit": casework.size_text(max_document_bytes(call.request)),
        "document_accept": ",".join(kind.mime for kind in KINDS),
        "document_kinds": ACCEPTED_CS,
    }
