"""The bilingual theme lexicon and the features the theme classifier reads."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import chain

from feedback.analysis.document import Document
from feedback.analysis.matching import PhraseIndex, phrase_keys
from feedback.analysis.resources import load_json
from feedback.analysis.text import LANGUAGES

THEMES = ("access", "training", "workflow", "configuration", "support", "safety", "engagement")
# Several weak terms add up, but past this a theme is plainly present and more says nothing.
_MAX_LEXICON_WEIGHT = 2.0
_SENTENCE_ENDS = frozenset(".!?;")


@dataclass(frozen=True)
class LexiconHits:
    """Summed weight of the distinct shipped terms found per theme, in the whole text and in its
    first sentence (where the main subject usually is), the tokens inside false friends, the
    themes whose admin-added terms were found and those terms' summed weights, and where in the
    text each theme's terms are (token spans)."""

    weights: dict[str, float]
    opening: dict[str, float]
    masked: frozenset[int]
    # Themes for which a term an admin added was found: an explicit instruction to tag them.
    admin: frozenset[str] = frozenset()
    admin_weights: dict[str, float] = field(default_factory=dict)
    spans: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    admin_spans: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    def all_weights(self) -> dict[str, float]:
        """Shipped and admin-added terms' weights together, capped like each of them."""
        codes = self.weights.keys() | self.admin_weights.keys()
        return {
            code: min(
                self.weights.get(code, 0.0) + self.admin_weights.get(code, 0.0),
                _MAX_LEXICON_WEIGHT,
            )
            for code in codes
        }


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

    def masked(self, document: Document) -> frozenset[int]:
        """Positions of the tokens inside a false friend ("formation d'un caillot")."""
        return frozenset(
            position
            for start, end, _ in self._exclusions[document.language].find(document.stems)
            for position in range(start, end)
        )

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
        added: dict[str, dict[str, float]] = {}
        spans: dict[str, list[tuple[int, int]]] = {}
        admin_spans: dict[str, list[tuple[int, int]]] = {}
        entries = self._terms[document.language].find(document.stems)
        for start, end, (code, term, weight, admin_term) in entries:
            if excluded.get(code, ()) and not excluded[code].isdisjoint(range(start, end)):
                continue
            if admin_term:
                # Kept apart: the model was trained on the shipped lexicon's weights alone.
                added.setdefault(code, {})[term] = weight
                admin_spans.setdefault(code, []).append((start, end))
                continue
            spans.setdefault(code, []).append((start, end))
            found.setdefault(code, {})[term] = weight
            if start < first_sentence_end:
                opening.setdefault(code, {})[term] = weight
        return LexiconHits(
            _capped_sums(found),
            _capped_sums(opening),
            frozenset(chain.from_iterable(excluded.values())),
            frozenset(added),
            _capped_sums(added),
            {code: tuple(found_spans) for code, found_spans in spans.items()},
            {code: tuple(found_spans) for code, found_spans in admin_spans.items()},
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
