"""The shipped labelled examples, and fitting models on examples like them."""

import json
from collections.abc import Collection, Iterable

from feedback.analysis.document import Reader
from feedback.analysis.model import LogisticModel, ThemeModel
from feedback.analysis.resources import DATA_DIR
from feedback.analysis.sentiment import attitude_reader
from feedback.analysis.text import LANGUAGES
from feedback.analysis.themes import ThemeLexicon, features

TRAINING_FILE = DATA_DIR / "training.jsonl"
# Examples written to teach the boundaries between themes (what a text is about, against the
# words it uses: documenting in a text about morale, a hand-off with no "workflow" word in it).
# Their sentiment is not labelled: trained on them, the sentiment model did worse in
# cross-validation, their attitudes being chosen for the themes' sake.
THEME_EXAMPLES_FILE = DATA_DIR / "theme_examples.jsonl"
THEME_MODEL_FILE = DATA_DIR / "theme_model.json"
SENTIMENT_MODEL_FILE = DATA_DIR / "sentiment_model.json"


def _read_rows(path) -> list[dict]:
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def training_rows() -> list[dict]:
    """The shipped examples labelled in full: text, themes, sentiment, language."""
    return _read_rows(TRAINING_FILE)


def training_examples() -> list[tuple[str, frozenset[str]]]:
    """Every labelled example shipped with the package for themes: (text, theme codes)."""
    rows = training_rows() + _read_rows(THEME_EXAMPLES_FILE)
    return [(row["text"], frozenset(row["themes"])) for row in rows]


def train_model(examples: Iterable[tuple[str, Collection[str]]]) -> ThemeModel:
    """Fit a theme model on (text, theme codes) pairs: the shipped ones plus corrections, say."""
    lexicon = ThemeLexicon()
    reader = lexicon_reader(lexicon)
    rows, evidence, labels = [], [], []
    for text, codes in examples:
        document = reader.read(text)
        hits = lexicon.match(document)
        rows.append(features(document, hits))
        evidence.append(hits.weights)
        labels.append(frozenset(codes))
    return ThemeModel.fit(rows, labels, evidence=evidence)


def train_sentiment_model(examples: Iterable[tuple[str, str]]) -> LogisticModel:
    """Fit the sentiment model on (text, 'negative' | 'neutral' | 'positive') pairs."""
    reader = lexicon_reader(ThemeLexicon())
    attitude = attitude_reader()
    rows, labels = [], []
    for text, label in examples:
        rows.append(attitude.features(reader.read(text)))
        labels.append({label})
    return LogisticModel.fit(rows, labels)


def lexicon_reader(lexicon: ThemeLexicon) -> Reader:
    """A Reader correcting typos towards the words of the theme and sentiment lexicons."""
    attitude = attitude_reader()
    return Reader(
        {language: lexicon.stems(language) | attitude.stems(language) for language in LANGUAGES}
    )
