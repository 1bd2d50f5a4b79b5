"""The client languages' catalogues (issue 12): every ``.po`` of the repository has each of its texts
translated into Ukrainian and English, keeps the placeholders of the Czech text, and its committed
``.mo`` is that ``.po`` compiled (``bash deploy/i18n.sh compile``), so what prints is what was reviewed."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[1]
CATALOGUES = sorted(
    p
    for pattern in ("shared/src/*/locale/*/LC_MESSAGES/*.po", "services/*/src/*/locale/*/LC_MESSAGES/*.po")
    for p in ROOT.glob(pattern)
)
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_there_are_catalogues_of_both_languages_for_vocabulary_intake_and_catalogue() -> None:
    found = {(p.parents[1].name, p.stem) for p in CATALOGUES}
    assert found == {
        (lang, domain)
        for lang in ("uk", "en")
        for domain in ("kmb_vocabulary", "kmb_intake", "kmb_catalogue")
    }


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parents[1].name}/{p.stem}")
def test_each_text_is_translated_and_the_committed_mo_is_the_compiled_po(po: Path) -> None:
    with po.open("rb") as source:
        catalogue = read_po(source)
    compiled = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))
    messages = [m for m in catalogue if m.id]
    assert messages
    for message in messages:
        assert message.string, f"{po}: {message.id!r} is not translated"
        assert sorted(PLACEHOLDER.findall(str(message.string))) == sorted(
            PLACEHOLDER.findall(str(message.id))
        )
        if message.context:
            assert compiled.pgettext(message.context, str(message.id)) == message.string
        else:
            assert compiled.gettext(str(message.id)) == message.string, f"{po}: recompile the .mo"
