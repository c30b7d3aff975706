"""The bilingual theme lexicon and the features the theme classifier reads."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain

from feedback.analysis.document import Document
from feedback.analysis.matching import PhraseIndex, phrase_keys
from feedback.analysis.resources import load_json, stopwords
from feedback.analysis.text import LANGUAGES, PUNCTUATION

THEMES = ("access", "training", "workflow", "configuration", "support", "safety", "engagement")
# Several weak terms add up, but past this a theme is plainly present and more says nothing.
_MAX_LEXICON_WEIGHT = 2.0
_SENTENCE_ENDS = frozenset(".!?;")


@dataclass(frozen=True)
class LexiconHits:
    """Summed weight of the distinct terms found per theme, in the whole text and in its first
    sentence (where the main subject usually is), the tokens inside false friends, and the themes
    whose admin-added terms were found."""

    weights: dict[str, float]
    opening: dict[str, float]
    masked: frozenset[int]
    # Themes for which a term an admin added was found: an explicit instruction to tag them.
    admin: frozenset[str] = frozenset()


class ThemeLexicon:
    """Terms and false friends per theme, compiled to stems for each language."""

    def __init__(self, extra_terms: Mapping[str, Iterable[str]] | None = None) -> None:
        extra = {
            code: [term for term in terms if term.strip()]
            for code, terms in (extra_terms or {}).items()
        }
        self.codes: tuple[str, ...] = tuple(
            dict.fromkeys(chain(THEMES, (code for code, terms in extra.items() if terms)))
        )
        self._terms: dict[str, PhraseIndex[tuple[str, str, float, bool]]] = {}
        self._exclusions: dict[str, PhraseIndex[str]] = {}
        for language in LANGUAGES:
            terms, exclusions = _shipped_entries(language)
            added = [
                (key, (code, term, 1.0, True))
                for code, words in extra.items()
                for term in words
                for key in _admin_keys(term, language)
            ]
            self._terms[language] = PhraseIndex(chain(terms, added))
            self._exclusions[language] = PhraseIndex(exclusions)

    def stems(self, language: str) -> set[str]:
        """Every stem the lexicon knows in a language, as a vocabulary for typo correction."""
        return self._terms[language].stems() | self._exclusions[language].stems()

    def match(self, document: Document) -> LexiconHits:
        """Which themes' terms the document contains, ignoring terms inside a false friend."""
        excluded: dict[str, set[int]] = {}
        for start, end, code in self._exclusions[document.language].find(document.stems):
            excluded.setdefault(code, set()).update(range(start, end))
        first_sentence_end = next(
            (position for position, token in enumerate(document.tokens) if token in _SENTENCE_ENDS),
            len(document.tokens),
        )
        found: dict[str, dict[str, float]] = {}
        opening: dict[str, dict[str, float]] = {}
        admin: set[str] = set()
        entries = self._terms[document.language].find(document.stems)
        for start, end, (code, term, weight, admin_term) in entries:
            if excluded.get(code, ()) and not excluded[code].isdisjoint(range(start, end)):
                continue
            if admin_term:
                admin.add(code)
            found.setdefault(code, {})[term] = weight
            if start < first_sentence_end:
                opening.setdefault(code, {})[term] = weight
        return LexiconHits(
            _capped_sums(found),
            _capped_sums(opening),
            frozenset(chain.from_iterable(excluded.values())),
            frozenset(admin),
        )


def _admin_keys(term: str, language: str) -> set[tuple[str, ...]]:
    """Keys of an admin's term, also in the plural when it is a phrase ("codes bleus")."""
    keys = phrase_keys(term, language)
    words = term.split()
    if len(words) > 1:
        keys |= phrase_keys(" ".join(word + "s" for word in words), language)
    return keys


def _capped_sums(found: dict[str, dict[str, float]]) -> dict[str, float]:
    return {code: min(sum(terms.values()), _MAX_LEXICON_WEIGHT) for code, terms in found.items()}


@cache
def _shipped_entries(language: str) -> tuple[list, list]:
    """The shipped lexicon compiled once: (key, (code, term, weight, admin)) and (key, code)."""
    definitions = {
        code: value for code, value in load_json("themes.json").items() if not code.startswith("_")
    }
    terms = [
        (key, (code, term, float(weight), False))
        for code, definition in definitions.items()
        for term, weight in chain(
            definition["terms"].items(), definition[f"terms_{language}"].items()
        )
        for key in phrase_keys(term, language)
    ]
    exclusions = [
        (key, code)
        for code, definition in definitions.items()
        for phrase in definition["exclude"]
        for key in phrase_keys(phrase, language)
    ]
    return terms, exclusions


def features(document: Document, hits: LexiconHits) -> dict[str, float]:
    """Stemmed unigrams and bigrams of content words, and the lexicon's weight for every theme.

    Each theme's regression also receives its own lexicon weight as evidence; seeing the other
    themes' weights lets it learn that, say, "documenter" in a text about training is not workflow.
    """
    function_words = stopwords()["any"]
    result: dict[str, float] = {}
    previous = ""
    for position, (token, stem) in enumerate(zip(document.tokens, document.stems, strict=True)):
        if token in PUNCTUATION:
            previous = ""
            continue
        if token in function_words or token.isdigit():
            continue
        # A word inside a false friend ("formation d'un caillot") is a different feature.
        word = "x:" + stem if position in hits.masked else stem
        result["u:" + word] = 1.0
        if previous:
            result["b:" + previous + " " + word] = 1.0
        previous = word
    for code, weight in hits.weights.items():
        result["lex:" + code] = weight
    for code, weight in hits.opening.items():
        result["open:" + code] = weight
    return result
