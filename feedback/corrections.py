"""Managers correcting what the pipeline found. A manual theme is a decision: retagging keeps it,
and `flask retrain` learns from it (see tagging.py)."""

from flask_babel import lazy_gettext as _l

from feedback import audit
from feedback.models import Feedback, FeedbackTheme, Theme, ThemeSource, User


class CorrectionError(Exception):
    """A correction that cannot be made; the message is for people."""


def retheme_feedback(feedback: Feedback, themes: list[Theme], *, actor: User) -> bool:
    """Make `themes` the feedback's themes, all marked manual; False when nothing changed.

    A theme the feedback already had keeps its row (now manual); the others are replaced.
    """
    if not themes:
        raise CorrectionError(_l("Choose at least one theme."))
    chosen = {theme.code: theme for theme in themes}
    before = sorted(link.theme.code for link in feedback.themes)
    if (sorted(chosen) == before
            and all(link.source is ThemeSource.MANUAL for link in feedback.themes)):
        return False
    kept = {link.theme.code: link for link in feedback.themes if link.theme.code in chosen}
    for link in kept.values():
        link.source, link.confidence = ThemeSource.MANUAL, 1.0
    feedback.themes = [
        kept.get(code) or FeedbackTheme(theme=theme, source=ThemeSource.MANUAL, confidence=1.0)
        for code, theme in sorted(chosen.items())
    ]
    audit.record("feedback.retheme", actor=actor, establishment_id=feedback.establishment_id,
                 target=feedback, before=_codes(before), after=_codes(sorted(chosen)))
    return True


def _codes(codes: list[str]) -> str:
    """Theme codes for the audit trail (never the text), within its detail length."""
    joined = ",".join(codes)
    return joined if len(joined) <= 120 else f"{len(codes)} themes"
