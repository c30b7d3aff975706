"""A feedback text read for analysis: redacted, its language known, tokenised and stemmed."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from feedback.analysis.language import LanguageDetector
from feedback.analysis.matching import SpellingCorrector
from feedback.analysis.redaction import PLACEHOLDER, redact
from feedback.analysis.text import LANGUAGES, PUNCTUATION, stem, tokenize


@dataclass(frozen=True)
class Document:
    """The redacted text, its language, folded tokens (punctuation included) and their stems."""

    redacted: str
    language: str
    tokens: tuple[str, ...]
    stems: tuple[str, ...]


@lru_cache(maxsize=1)
def language_detector() -> LanguageDetector:
    """The process-wide language detector (its model takes a while to load)."""
    return LanguageDetector()


class Reader:
    """Turns raw texts into Documents, correcting typos towards a known vocabulary of stems."""

    def __init__(self, known_stems: Mapping[str, Iterable[str]]) -> None:
        self._detector = language_detector()
        self._correctors = {
            language: SpellingCorrector(known_stems.get(language, ())) for language in LANGUAGES
        }

    def read(self, text: str) -> Document:
        """Redact the text first, then analyse what is left of it."""
        redacted = redact(text)
        # Placeholders are French words; they must not sway the language or the themes.
        content = PLACEHOLDER.sub(" ", redacted)
        tokens = tokenize(content)
        language = self._detector.detect(content, tokens)
        correct = self._correctors[language].correct
        stems = tuple(
            token if token in PUNCTUATION else correct(stem(token, language)) for token in tokens
        )
        return Document(redacted, language, tuple(tokens), stems)
