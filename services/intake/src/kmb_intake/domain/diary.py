"""The case diary: dated notes that the workers of a case write about it (what was said, agreed, seen).

A note is personal data of the household: it stays in intake, never goes on an event and is never
logged. Any worker of the case's organisation may write one; only its author may correct it, and only
within :data:`EDIT_WINDOW` of writing it (afterwards it stands as written, as a paper file would).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import Field, StringConstraints

from .field_types import BlankAsNone, InputModel, PastDate

#: the longest note (characters)
MAX_NOTE = 5000
#: how long after writing a note its author may still correct it
EDIT_WINDOW = timedelta(hours=24)

NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NOTE)]


class DiaryNoteIn(InputModel):
    """A new note: its text and the day it is about (today when not given)."""

    text: NoteText = Field(description=f"The note, 1 to {MAX_NOTE} characters")
    noted_on: Annotated[PastDate | None, BlankAsNone] = Field(
        default=None, description="The day the note is about (not in the future); today when not given"
    )


class DiaryNoteChangeIn(InputModel):
    """The corrected text of a note (and, optionally, its day)."""

    text: NoteText = Field(description=f"The note, 1 to {MAX_NOTE} characters")
    noted_on: Annotated[PastDate | None, BlankAsNone] = None


def editable_until(written_at: datetime) -> datetime:
    """The last moment the author may correct a note written at ``written_at``."""
    return written_at + EDIT_WINDOW


def may_edit(*, author_id: str, written_at: datetime, user_id: str, now: datetime) -> bool:
    """Only the author, and only within the edit window."""
    return author_id == user_id and now < editable_until(written_at)


def note_day(noted_on: date | None, today: date) -> date:
    return noted_on if noted_on is not None else today
