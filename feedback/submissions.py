"""Recording what people tell Écho. Every text goes through the analysis pipeline first."""

from datetime import datetime

from sqlalchemy import select

from .extensions import db
from .models import (
    Campaign,
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Sector,
    SentimentLabel,
    Site,
    Theme,
    ThemeSource,
    User,
    WriterRole,
)
from .tagging import current_analyser


def active_themes() -> dict[str, Theme]:
    return {theme.code: theme for theme in db.session.scalars(select(Theme).where(Theme.active))}


def record_feedback(
    *,
    establishment: Establishment,
    text: str,
    kind: FeedbackKind,
    role: WriterRole,
    phase: int,
    site: Site | None = None,
    sector: Sector | None = None,
    created_at: datetime | None = None,
    author: User | None = None,
    campaign: Campaign | None = None,
    themes: dict[str, Theme] | None = None,
) -> Feedback:
    """Analyse a text (redaction first) and add it as Feedback with its themes; the caller commits.

    Only the redacted text is kept: the original never reaches the session, the database or a log.
    `themes` lets a caller recording many texts look the theme rows up once.
    """
    themes = active_themes() if themes is None else themes
    result = current_analyser(themes).analyse(text)
    if site is None and sector is not None:
        site = sector.site
    feedback = Feedback(
        establishment=establishment,
        site=site,
        sector=sector,
        role=role,
        phase=phase,
        kind=kind,
        text=result.redacted,
        language=result.language,
        polarity=result.sentiment.polarity,
        sentiment=SentimentLabel(result.sentiment.label),
        author=author,
        campaign=campaign,
    )
    if created_at is not None:
        feedback.created_at = created_at
    feedback.themes = [
        FeedbackTheme(theme=themes[score.code], source=ThemeSource.AUTO,
                      confidence=score.confidence)
        for score in result.themes
        if score.code in themes
    ]
    db.session.add(feedback)
    return feedback
