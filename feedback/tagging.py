"""Themes as the database defines them, applied by the analysis pipeline; retagging and retraining.

The pipeline itself (feedback.analysis) knows nothing of the database: this module hands it the
active themes, the keywords admins added, and the model retrained from managers' corrections.
"""

from functools import lru_cache
from pathlib import Path

from flask import current_app

from . import analysis
from .models import Theme


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
