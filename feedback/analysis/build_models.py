"""Rebuild the shipped models from the shipped examples.

Run `python -m feedback.analysis.build_models` after changing data/ or the features.
"""

from feedback.analysis.training import (
    SENTIMENT_MODEL_FILE,
    THEME_MODEL_FILE,
    train_model,
    train_sentiment_model,
    training_examples,
    training_rows,
)


def build_models() -> None:
    """Retrain the theme model on every shipped example and the sentiment model on those whose
    sentiment is labelled (data/training.jsonl); write both to data/."""
    train_model(training_examples()).save(THEME_MODEL_FILE)
    train_sentiment_model((row["text"], row["sentiment"]) for row in training_rows()).save(
        SENTIMENT_MODEL_FILE
    )


if __name__ == "__main__":
    build_models()
