"""The analysis pipeline: redaction, language, sentiment, themes."""

import re
import threading
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

import numpy as np

from feedback.analysis.explanation import explain_theme
from feedback.analysis.features import KINDS, Features, with_kind
from feedback.analysis.model import SentimentModel, ThemeModel
from feedback.analysis.reading import FeatureReader, Reading
from feedback.analysis.resources import SENTIMENT_MODEL_FILE, THEME_MODEL_FILE
from feedback.analysis.results import Analysis, Sentiment, ThemeScore
from feedback.analysis.themes import ThemeLexicon

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MAX_TEXT_LENGTH = 10_000
# Lowest confidence of a theme whose admin-added keyword is in the text.
ADMIN_TERM_CONFIDENCE = 0.7
# A theme the model does not know (added by an admin) is reported from this confidence up.
THEME_THRESHOLD = 0.5
# Lexicon weight at which a theme the model does not know reaches a confidence of one half.
_LEXICON_HALF_WEIGHT = 0.5

Vector = tuple[np.ndarray, np.ndarray]
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
    """The shipped theme model, built from the shipped corpus by build_models.py."""
    return ThemeModel.load(THEME_MODEL_FILE)


@lru_cache(maxsize=1)
def default_sentiment_model() -> SentimentModel:
    """The shipped sentiment model, built from the shipped corpus by build_models.py."""
    return SentimentModel.load(SENTIMENT_MODEL_FILE)


@lru_cache(maxsize=1)
def _shipped_reader() -> FeatureReader:
    return FeatureReader(ThemeLexicon())


class Analyser:
    """Analyses feedback texts with the shipped lexicons, plus admins' terms and a chosen model."""

    def __init__(
        self,
        *,
        extra_terms: Mapping[str, Iterable[str]] | None = None,
        model: ThemeModel | None = None,
        active_themes: Collection[str] | None = None,
    ) -> None:
        has_extra = any(
            term.strip() for terms in (extra_terms or {}).values() for term in terms
        )
        self._reader = FeatureReader(ThemeLexicon(extra_terms)) if has_extra else _shipped_reader()
        self._lexicon = self._reader.lexicon
        self._model = model if model is not None else default_model()
        self._active = frozenset(active_themes) if active_themes is not None else None
        self._sentiment = default_sentiment_model()
        self._codes = tuple(dict.fromkeys((*self._lexicon.codes, *self._model.labels)))
        # The lexicon is only needed for admins' keywords and for themes the model lacks.
        self._match = has_extra or not set(self._lexicon.codes) <= set(self._model.labels)

    def analyse(self, text: str, kind: str | None = None) -> Analysis:
        """Analyse one text; TextTooLongError beyond MAX_TEXT_LENGTH characters.

        kind, when known, is "survey" (a respondent's comment) or "observation" (a super-user's
        field report): it helps tell a calm report of a problem (neutral) from a complaint.
        """
        reading = self._read(text, kind, match=self._match)
        if reading is None:
            return _EMPTY
        # Themes are learnt from texts of unknown kind (the kind changes how a text is said, not
        # what it is about); only the sentiment model reads it.
        known = kind in KINDS
        theme_features = with_kind(reading.features, None) if known else reading.features
        vector = self._model.vocabulary.vector(theme_features)
        shared = self._model.vocabulary.key == self._sentiment.vocabulary.key and not known
        return Analysis(
            redacted=reading.document.redacted,
            language=reading.document.language,
            sentiment=self._sentiment_of(reading, vector if shared else None),
            themes=self._themes(reading, vector, theme_features),
        )

    def explain(
        self, text: str, theme_code: str, *, kind: str | None = None, limit: int = 8
    ) -> list[tuple[str, float]]:
        """The phrases of the text that weighed most for or against a theme, strongest first.

        Each phrase comes with its contribution to the theme's score (positive: towards the
        theme). Words and bigrams are shown as written in the redacted text; the character
        n-grams of a word count for that word; an admin's keyword for the theme weighs 1.0.
        """
        reading = self._read(text, kind)
        if reading is None:
            return []
        return explain_theme(reading, self._model, theme_code, limit=limit)

    def _read(self, text: str, kind: str | None, *, match: bool = True) -> Reading | None:
        if len(text) > MAX_TEXT_LENGTH:
            raise TextTooLongError(len(text))
        # Control characters carry no meaning and some databases refuse them (NUL).
        text = _CONTROL_CHARACTERS.sub("", text)
        if not text.strip():
            return None
        return self._reader.read(text, kind if kind in KINDS else None, match=match)

    def _sentiment_of(self, reading: Reading, vector: Vector | None) -> Sentiment:
        """The most probable label; polarity is P(positive) - P(negative), in [-1, 1]."""
        probabilities = self._sentiment.probabilities(reading.features, vector)
        if not probabilities:
            return Sentiment("neutral", 0.0)
        label = max(probabilities, key=probabilities.__getitem__)
        polarity = probabilities.get("positive", 0.0) - probabilities.get("negative", 0.0)
        return Sentiment(label, round(max(-1.0, min(1.0, polarity)), 4))

    def _themes(self, reading: Reading, vector: Vector,
                features: Features) -> tuple[ThemeScore, ...]:
        hits = reading.hits
        model = self._model
        if model.labels:
            array = model.probability_array(features, vector)
            probabilities = dict(zip(model.labels, array.tolist(), strict=True))
            chosen = dict(zip(model.labels, model.decide(array).tolist(), strict=True))
        else:
            probabilities, chosen = {}, {}
        lexicon_weights = hits.all_weights()
        scores = []
        for code in self._codes:
            if self._active is not None and code not in self._active:
                continue
            weight = lexicon_weights.get(code, 0.0)
            lexical = weight / (weight + _LEXICON_HALF_WEIGHT)
            if code in probabilities:
                confidence = probabilities[code]
                reported = chosen[code]
            else:
                confidence = lexical
                reported = confidence >= THEME_THRESHOLD
            if code in hits.admin:
                # An admin's keyword is an instruction, not a hint: never below the lexicon's own
                # confidence, and at least ADMIN_TERM_CONFIDENCE.
                confidence = max(confidence, lexical, ADMIN_TERM_CONFIDENCE)
                reported = True
            if reported:
                scores.append(ThemeScore(code, round(confidence, 4)))
        return tuple(sorted(scores, key=lambda score: -score.confidence))


_default_analyser: Analyser | None = None
_default_lock = threading.Lock()


def analyse(text: str, kind: str | None = None) -> Analysis:
    """Analyse one text with the process-wide default Analyser, built on first use."""
    global _default_analyser
    with _default_lock:
        if _default_analyser is None:
            _default_analyser = Analyser()
    return _default_analyser.analyse(text, kind)
