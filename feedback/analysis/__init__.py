"""Écho's text pipeline: redact patient identifiers, then language, sentiment and themes.

Pure Python: no Flask, no database. The only place in the project that imports textblob or nltk,
and it does so on first use, not at import time. The default theme and sentiment models are
linear models stored as plain arrays (.npz, no pickle) in data/, built from data/corpus.jsonl by
`python -m feedback.analysis.build_models` (which needs scikit-learn; analysing needs numpy only).
"""

from feedback.analysis.model import SentimentModel, ThemeModel
from feedback.analysis.pipeline import MAX_TEXT_LENGTH, Analyser, TextTooLongError, analyse
from feedback.analysis.redaction import redact
from feedback.analysis.results import Analysis, Sentiment, ThemeScore
from feedback.analysis.themes import THEMES
from feedback.analysis.training import train_model, training_examples

__all__ = [
    "MAX_TEXT_LENGTH",
    "THEMES",
    "Analyser",
    "Analysis",
    "Sentiment",
    "SentimentModel",
    "TextTooLongError",
    "ThemeModel",
    "ThemeScore",
    "analyse",
    "redact",
    "train_model",
    "training_examples",
]
