"""Rebuild the shipped models from the shipped examples.

Run `python -m feedback.analysis.build_models` after changing data/ or the features.
"""

from .training import (
    SENTIMENT_MODEL_FILE,
    THEME_MODEL_FILE,
    train_model,
    train_sentiment_model,
    training_rows,
)


def build_models() -> None:
    """Retrain the theme and sentiment models on data/training.jsonl and write them to data/."""
    rows = training_rows()
    train_model((row["text"], row["themes"]) for row in rows).save(THEME_MODEL_FILE)
    train_sentiment_model((row["text"], row["sentiment"]) for row in rows).save(
        SENTIMENT_MODEL_FILE
    )


if __name__ == "__main__":
    build_models()
