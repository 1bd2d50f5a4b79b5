"""The client's languages of the documents a household takes home (the personal plan, the public
leaflet): Czech, Ukrainian and English, with gettext catalogues (Babel).

The message ids are the Czech texts, so Czech needs no catalogue and a text missing from the
Ukrainian or English catalogue is printed in Czech, never as a code. Each service keeps its own
catalogue (domain ``kmb_<service>``, in ``src/kmb_<service>/locale/<lang>/LC_MESSAGES``); the labels of
the vocabulary codes a document prints (need levels, ETHOS, kinds of solution…) are in the shared
domain ``kmb_vocabulary`` here, translated in the context of their vocabulary's name
(``pgettext("need_level", "bez bytu")``). The ``.po`` files are the source; the compiled ``.mo`` files
are committed beside them (``bash deploy/i18n.sh`` extracts, updates and compiles; a test checks that
each ``.mo`` is the compiled ``.po``). Names, addresses and what a worker typed stay as entered.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import IO, Any

from jinja2 import BaseLoader, Environment, select_autoescape

from kmb_shared.contracts.vocabulary import (
    ETHOS_CATEGORIES,
    HOUSEHOLD_TYPES,
    MISSING,
    NEED_LEVELS,
    SOLUTION_KINDS,
    UNCLASSIFIED,
    Vocabulary,
    capitalize,
)

from .filters import CZECH_FILTERS

#: the languages a worker may print a client's document in, each named in itself
LANGUAGES: Mapping[str, str] = {"cs": "česky", "uk": "українською", "en": "English"}
DEFAULT_LANGUAGE = "cs"
#: the shared catalogue of vocabulary labels
VOCABULARY_DOMAIN = "kmb_vocabulary"
SHARED_LOCALE_DIR = Path(__file__).parents[1] / "locale"
#: the vocabularies whose labels the client's documents print (their terms are in the catalogue)
DOCUMENT_VOCABULARIES: tuple[Vocabulary, ...] = (
    NEED_LEVELS,
    ETHOS_CATEGORIES,
    HOUSEHOLD_TYPES,
    SOLUTION_KINDS,
)


def language(code: object) -> str:
    """``code`` if it is one of :data:`LANGUAGES`, else Czech."""
    return code if isinstance(code, str) and code in LANGUAGES else DEFAULT_LANGUAGE


def load_translations(
    lang: str, locale_dir: Path, domain: str, shared_dir: Path = SHARED_LOCALE_DIR
) -> gettext.NullTranslations:
    """The service's catalogue of ``lang`` falling back to the shared vocabulary catalogue, then to
    the message id (Czech). A missing file is no error: its texts are printed in Czech."""
    own = gettext.translation(domain, locale_dir, [lang], fallback=True)
    own.add_fallback(gettext.translation(VOCABULARY_DOMAIN, shared_dir, [lang], fallback=True))
    return own


class Translator:
    """A language's texts: ``gettext`` of a Czech text and :meth:`term` of a vocabulary code."""

    def __init__(self, lang: str, translations: gettext.NullTranslations) -> None:
        self.lang = lang
        self.translations = translations

    def gettext(self, text: str) -> str:
        return self.translations.gettext(text)

    def term(self, vocab: Vocabulary, code: object, *, capital: bool = False) -> str:
        """The label of ``code`` in this language (Czech where the catalogue lacks it); the missing
        and unknown labels too, never the code."""
        if code is not None and vocab.knows(code):
            text = self.translations.pgettext(vocab.name, vocab.label(code))
        else:
            text = self.translations.gettext(vocab.label(code))
        return capitalize(text) if capital else text


def document_environment(loader: BaseLoader, translator: Translator) -> Environment:
    """A Jinja environment for a document in ``translator``'s language: ``{{ _("…") }}`` and
    ``{% trans %}`` translate, ``term(vocabulary_name, code)`` labels a code, ``text`` is the plain gettext (for Python code a
    template calls), the Czech filters format."""
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translator.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(CZECH_FILTERS)
    vocabularies = {v.name: v for v in DOCUMENT_VOCABULARIES}

    def term(name: str, code: object, capital: bool = False) -> str:
        return translator.term(vocabularies[name], code, capital=capital)

    env.globals.update(term=term, text=translator.gettext, lang=translator.lang, languages=LANGUAGES)
    return env


class DocumentTemplates:
    """A service's document environments, one per language, made once from its catalogue."""

    def __init__(self, loader: BaseLoader, locale_dir: Path, domain: str) -> None:
        self.loader = loader
        self.locale_dir = locale_dir
        self.domain = domain
        self._cached: Callable[[str], Environment] = cache(self._make)

    def _make(self, lang: str) -> Environment:
        translator = Translator(lang, load_translations(lang, self.locale_dir, self.domain))
        return document_environment(self.loader, translator)

    def env(self, lang: str) -> Environment:
        return self._cached(language(lang))

    def render(self, template: str, lang: str, **context: Any) -> str:
        return self.env(lang).get_template(template).render(**context)


def extract_vocabularies(
    fileobj: IO[bytes], keywords: Sequence[str], comment_tags: Sequence[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str] | str, list[str]]]:
    """Babel extractor (``babel.cfg``: ``[kmb_shared.web.i18n.extract_vocabularies: …/vocabulary.py]``):
    the Czech label of every term of :data:`DOCUMENT_VOCABULARIES`, in its vocabulary's context."""
    for vocab in DOCUMENT_VOCABULARIES:
        for code, term in vocab.items():
            yield (
                0,
                "pgettext",
                (vocab.name, term.cs),
                [f"{vocab.name}: {code}" + (f" ({term.en})" if term.en else "")],
            )
    yield 0, "gettext", MISSING, ["a missing value"]
    yield 0, "gettext", UNCLASSIFIED, ["an unknown code"]
