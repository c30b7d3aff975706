"""Recording what people tell Écho. Every text goes through the analysis pipeline first."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from feedback.analysis import Analysis
from feedback.clock import QUEBEC, utcnow
from feedback.extensions import db
from feedback.models import (
    Campaign,
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    ObservationDetail,
    Priority,
    Role,
    Sector,
    SentimentLabel,
    Site,
    Theme,
    ThemeSource,
    User,
    WriterRole,
)
from feedback.tagging import active_themes, current_analyser


def analysed_columns(result: Analysis) -> dict:
    """What the pipeline decided about a text, as Feedback column values.

    record_feedback and the bulk import (imports.py) both fill a Feedback row from here, so a row
    holds the same whichever way its text came in.
    """
    return {
        "text": result.redacted,
        "language": result.language,
        "polarity": result.sentiment.polarity,
        "sentiment": SentimentLabel(result.sentiment.label),
    }


def analysed_themes(result: Analysis, themes: dict[str, Theme]) -> list[tuple[Theme, float]]:
    """The active themes the pipeline found in a text, with their confidence."""
    return [(themes[score.code], score.confidence) for score in result.themes
            if score.code in themes]


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
        author=author,
        campaign=campaign,
        **analysed_columns(result),
    )
    if created_at is not None:
        feedback.created_at = created_at
    feedback.themes = [
        FeedbackTheme(theme=theme, source=ThemeSource.AUTO, confidence=confidence)
        for theme, confidence in analysed_themes(result, themes)
    ]
    db.session.add(feedback)
    return feedback


class ObservationExists(Exception):
    """The client UUID of an observation is already stored: a retried or repeated sync."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback.observation.client_uuid if feedback.observation else "")
        self.feedback = feedback


def observation_by_uuid(client_uuid: str) -> Feedback | None:
    return db.session.scalar(
        select(Feedback).join(ObservationDetail).where(ObservationDetail.client_uuid == client_uuid)
    )


def observer_role(user: User) -> WriterRole:
    """The writer role an observation is filed under: who logged it, as a job."""
    return WriterRole.SUPER_USER if user.role is Role.SUPER_USER else WriterRole.MANAGER


def record_observation(
    *,
    establishment: Establishment,
    author: User,
    text: str,
    client_uuid: str,
    affected_role: WriterRole,
    priority: Priority | None = None,
    site: Site | None = None,
    sector: Sector | None = None,
    chosen_themes: list[str] | None = None,
    added_themes: list[str] | None = None,
    created_at: datetime | None = None,
    themes: dict[str, Theme] | None = None,
) -> Feedback:
    """Record a field observation once per client UUID; the caller commits.

    `chosen_themes`: the theme codes the observer kept after seeing the pipeline's suggestions
    (None: keep what the pipeline finds). `added_themes`: codes to add to what it finds.
    Raises ObservationExists when the UUID is already stored, even by a concurrent request.
    """
    if (existing := observation_by_uuid(client_uuid)) is not None:
        raise ObservationExists(existing)
    themes = active_themes() if themes is None else themes
    created_at = created_at or utcnow()
    try:
        with db.session.begin_nested():
            feedback = record_feedback(
                establishment=establishment,
                text=text,
                kind=FeedbackKind.OBSERVATION,
                role=observer_role(author),
                phase=establishment.phase_on(created_at.astimezone(QUEBEC).date()),
                site=site,
                sector=sector,
                created_at=created_at,
                author=author,
                themes=themes,
            )
            if chosen_themes is not None:
                _keep_chosen_themes(feedback, chosen_themes, themes)
            elif added_themes:
                found = [link.theme.code for link in feedback.themes]
                _keep_chosen_themes(feedback, found + added_themes, themes)
            feedback.observation = ObservationDetail(
                client_uuid=client_uuid, priority=priority, affected_role=affected_role
            )
            db.session.flush()
    except IntegrityError:
        # Another request stored the same UUID between our check and our insert.
        existing = observation_by_uuid(client_uuid)
        if existing is None:
            raise
        raise ObservationExists(existing) from None
    return feedback


def _keep_chosen_themes(feedback: Feedback, chosen: list[str], themes: dict[str, Theme]) -> None:
    """What the observer kept stays as the pipeline scored it; what they added is manual."""
    found = {link.theme.code: link for link in feedback.themes}
    feedback.themes = [
        found.get(code) or FeedbackTheme(theme=themes[code], source=ThemeSource.MANUAL)
        for code in dict.fromkeys(chosen)
        if code in themes
    ]


@dataclass(frozen=True)
class ThemeSuggestion:
    theme: Theme
    confidence: float


def suggest_themes(text: str, themes: dict[str, Theme] | None = None) -> list[ThemeSuggestion]:
    """The themes record_feedback would give this text, without storing anything."""
    themes = active_themes() if themes is None else themes
    result = current_analyser(themes).analyse(text)
    return [
        ThemeSuggestion(themes[score.code], score.confidence)
        for score in result.themes
        if score.code in themes
    ]
