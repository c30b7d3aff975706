"""Rebuild the shipped models from the shipped corpus.

Run `python -m feedback.analysis.build_models` after changing data/corpus.jsonl or the features.
"""

from feedback.analysis.resources import SENTIMENT_MODEL_FILE, THEME_MODEL_FILE
from feedback.analysis.training import (
    corpus_rows,
    fit_sentiment_model,
    fit_theme_model,
    read_texts,
    with_kinds,
)


def build_models() -> None:
    """Retrain the theme model on every shipped example, exactly as train_model() on
    training_examples() does, and the sentiment model on those whose sentiment is labelled (with
    the kind of text where known) over the same vocabulary; write both to data/."""
    rows = corpus_rows()
    features = read_texts(row["text"] for row in rows)
    themes = fit_theme_model(features, [frozenset(row["themes"]) for row in rows])
    themes.save(THEME_MODEL_FILE)
    labelled = [position for position, row in enumerate(rows) if row.get("sentiment")]
    sentiment = fit_sentiment_model(
        with_kinds([features[i] for i in labelled], [rows[i].get("kind") for i in labelled]),
        [rows[i]["sentiment"] for i in labelled],
        vocabulary=themes.vocabulary,
    )
    sentiment.save(SENTIMENT_MODEL_FILE)


if __name__ == "__main__":
    build_models()
