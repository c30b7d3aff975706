"""Écho's text pipeline: redact patient identifiers, then language, sentiment and themes.

Pure Python: no Flask, no database. The only place in the project that imports textblob or nltk,
and it does so on first use, not at import time. The default theme and sentiment models are JSON
files in data/, built from data/training.jsonl by `python -m feedback.analysis.build_models`.
"""

from .model import ThemeModel
from .pipeline import MAX_TEXT_LENGTH, Analyser, TextTooLongError, analyse
from .redaction import redact
from .results import Analysis, Sentiment, ThemeScore
from .themes import THEMES
from .training import train_model, training_examples

__all__ = [
    "MAX_TEXT_LENGTH",
    "THEMES",
    "Analyser",
    "Analysis",
    "Sentiment",
    "TextTooLongError",
    "ThemeModel",
    "ThemeScore",
    "analyse",
    "redact",
    "train_model",
    "training_examples",
]
