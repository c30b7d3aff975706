"""The analysis pipeline: redaction, language, sentiment, themes."""

import re
import threading
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

from feedback.analysis.document import Document
from feedback.analysis.model import LogisticModel, ThemeModel
from feedback.analysis.results import Analysis, Sentiment, ThemeScore
from feedback.analysis.sentiment import SentimentAnalyzer, attitude_reader
from feedback.analysis.themes import ThemeLexicon, features
from feedback.analysis.training import SENTIMENT_MODEL_FILE, THEME_MODEL_FILE, lexicon_reader

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MAX_TEXT_LENGTH = 10_000
# A theme is reported from this confidence up.
THEME_THRESHOLD = 0.5
# Lowest confidence of a theme whose admin-added keyword is in the text.
ADMIN_TERM_CONFIDENCE = 0.7
# Lexicon weight at which a theme the model does not know reaches a confidence of one half.
_LEXICON_HALF_WEIGHT = 0.5

_EMPTY = Analysis(redacted="", language="fr", sentiment=Sentiment("neutral", 0.0), themes=())


class TextTooLongError(ValueError):
    """A text longer than the pipeline accepts."""

    def __init__(self, length: int, limit: int = MAX_TEXT_LENGTH) -> None:
        super().__init__(
            f"Feedback text is too long: {length:,} characters, the limit is {limit:,} characters."
        )
        self.length = length
        self.limit = limit


@lru_cache(maxsize=1)
def default_model() -> ThemeModel:
    """The shipped theme model, built from the shipped examples by build_models.py."""
    return ThemeModel.load(THEME_MODEL_FILE)


@lru_cache(maxsize=1)
def _sentiment_analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer(LogisticModel.load(SENTIMENT_MODEL_FILE), attitude_reader())


class Analyser:
    """Analyses feedback texts with the shipped lexicons, plus admins' terms and a chosen model."""

    def __init__(
        self,
        *,
        extra_terms: Mapping[str, Iterable[str]] | None = None,
        model: ThemeModel | None = None,
        active_themes: Collection[str] | None = None,
    ) -> None:
        self._lexicon = ThemeLexicon(extra_terms)
        self._model = model if model is not None else default_model()
        self._active = frozenset(active_themes) if active_themes is not None else None
        self._sentiment = _sentiment_analyzer()
        self._reader = lexicon_reader(self._lexicon)
        self._codes = tuple(dict.fromkeys((*self._lexicon.codes, *self._model.labels)))

    def analyse(self, text: str) -> Analysis:
        """Analyse one text; TextTooLongError beyond MAX_TEXT_LENGTH characters."""
        if len(text) > MAX_TEXT_LENGTH:
            raise TextTooLongError(len(text))
        # Control characters carry no meaning and some databases refuse them (NUL).
        text = _CONTROL_CHARACTERS.sub("", text)
        if not text.strip():
            return _EMPTY
        document = self._reader.read(text)
        return Analysis(
            redacted=document.redacted,
            language=document.language,
            sentiment=self._sentiment.analyse(document),
            themes=self._themes(document),
        )

    def _themes(self, document: Document) -> tuple[ThemeScore, ...]:
        hits = self._lexicon.match(document)
        probabilities = self._model.probabilities(features(document, hits), hits.weights)
        scores = []
        for code in self._codes:
            if self._active is not None and code not in self._active:
                continue
            weight = hits.weights.get(code, 0.0)
            lexical = weight / (weight + _LEXICON_HALF_WEIGHT)
            confidence = probabilities.get(code, lexical)
            if code in hits.admin:
                # An admin's keyword is an instruction, not a hint: never below the lexicon's own
                # confidence, and at least ADMIN_TERM_CONFIDENCE.
                confidence = max(confidence, lexical, ADMIN_TERM_CONFIDENCE)
            if confidence >= THEME_THRESHOLD:
                scores.append(ThemeScore(code, round(confidence, 4)))
        return tuple(sorted(scores, key=lambda score: -score.confidence))


_default_analyser: Analyser | None = None
_default_lock = threading.Lock()


def analyse(text: str) -> Analysis:
    """Analyse one text with the process-wide default Analyser, built on first use."""
    global _default_analyser
    with _default_lock:
        if _default_analyser is None:
            _default_analyser = Analyser()
    return _default_analyser.analyse(text)
