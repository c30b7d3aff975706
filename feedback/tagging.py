"""Themes as the database defines them, applied by the analysis pipeline; retagging and retraining.

The pipeline itself (feedback.analysis) knows nothing of the database: this module hands it the
active themes, the keywords admins added, and the model retrained from managers' corrections.
"""

from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from feedback import analysis
from feedback.extensions import db
from feedback.models import Feedback, FeedbackTheme, SentimentLabel, Theme, ThemeSource


@lru_cache(maxsize=8)
def _build(
    terms: tuple[tuple[str, tuple[str, ...]], ...], model_file: str | None, model_mtime: float
) -> analysis.Analyser:
    model = analysis.ThemeModel.load(model_file) if model_file else None
    return analysis.Analyser(
        extra_terms={code: words for code, words in terms if words},
        model=model,
        active_themes=[code for code, _ in terms],
    )


def model_path() -> Path:
    return Path(current_app.config.get("THEME_MODEL_PATH")
                or Path(current_app.instance_path) / "theme_model.json")


def active_themes() -> dict[str, Theme]:
    """The themes feedback can be tagged with, by code."""
    return {theme.code: theme for theme in db.session.scalars(select(Theme).where(Theme.active))}


def current_analyser(themes: dict[str, Theme]) -> analysis.Analyser:
    """The analyser for these active themes; rebuilt only when themes or the model change."""
    terms = tuple(sorted(
        (code, tuple(line.strip() for line in theme.keywords.splitlines() if line.strip()))
        for code, theme in themes.items()
    ))
    path = model_path()
    if path.exists():
        return _build(terms, str(path), path.stat().st_mtime)
    return _build(terms, None, 0.0)


def configured_analyser() -> tuple[analysis.Analyser, bool]:
    """The analyser as this installation configures it, and whether the database configured it.

    Before `flask db upgrade` there are no themes to read: the shipped pipeline is what a user
    trying `analyze` or `evaluate` on a fresh clone wants, not a traceback about a missing table.
    """
    if not inspect(db.engine).has_table(Theme.__tablename__):
        return analysis.Analyser(), False
    return current_analyser(active_themes()), True


def _has_manual_themes():
    return (
        select(FeedbackTheme.feedback_id)
        .where(FeedbackTheme.feedback_id == Feedback.id,
               FeedbackTheme.source == ThemeSource.MANUAL)
        .exists()
    )


def retag_batch(after_id: int, size: int, themes: dict[str, Theme]) -> tuple[int, int]:
    """Re-analyse the next `size` feedback rows after `after_id`; returns (count, last id).

    The stored text is redacted again (a newer pipeline only removes more), and language,
    sentiment and automatic themes are recomputed. Themes a manager set by hand are kept as the
    feedback's themes: a manual correction is a decision the pipeline does not overrule.
    """
    analyser = current_analyser(themes)
    batch = list(db.session.scalars(
        select(Feedback).where(Feedback.id > after_id).order_by(Feedback.id).limit(size)
        .options(selectinload(Feedback.themes))
    ))
    for feedback in batch:
        result = analyser.analyse(feedback.text)
        feedback.text = result.redacted
        feedback.language = result.language
        feedback.polarity = result.sentiment.polarity
        feedback.sentiment = SentimentLabel(result.sentiment.label)
        if any(tag.source is ThemeSource.MANUAL for tag in feedback.themes):
            continue
        feedback.themes = [
            FeedbackTheme(theme=themes[score.code], source=ThemeSource.AUTO,
                          confidence=score.confidence)
            for score in result.themes
            if score.code in themes
        ]
    db.session.flush()
    return len(batch), (batch[-1].id if batch else after_id)


def manual_corrections() -> list[tuple[str, frozenset[str]]]:
    """Texts whose themes a manager set by hand, with those themes: training data."""
    rows = db.session.execute(
        select(Feedback.id, Feedback.text, Theme.code)
        .join(FeedbackTheme, FeedbackTheme.feedback_id == Feedback.id)
        .join(Theme, Theme.id == FeedbackTheme.theme_id)
        .where(FeedbackTheme.source == ThemeSource.MANUAL)
        .order_by(Feedback.id)
    )
    texts: dict[int, str] = {}
    codes: dict[int, set[str]] = {}
    for feedback_id, text, code in rows:
        texts[feedback_id] = text
        codes.setdefault(feedback_id, set()).add(code)
    return [(texts[i], frozenset(codes[i])) for i in texts]


def retrain() -> tuple[int, int]:
    """Refit the theme classifier on the shipped examples plus managers' corrections.

    The model is written to the instance folder, where current_analyser() picks it up.
    Returns (examples used, of which manual corrections).
    """
    corrections = manual_corrections()
    examples = analysis.training_examples() + corrections
    model = analysis.train_model(examples)
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    model.save(temporary)
    temporary.replace(path)  # atomic: a running worker never reads a half-written model
    return len(examples), len(corrections)
