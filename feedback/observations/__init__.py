"""Super-users' field observations: recorded once per client UUID, with what the observer chose;
what became of them, and a request to the command centre in one tap."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from feedback import audit
from feedback.clock import QUEBEC, local_day_start, utcnow
from feedback.extensions import db
from feedback.issues import create_issue_from_feedback
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Issue,
    ObservationDetail,
    Priority,
    Sector,
    Site,
    Theme,
    ThemeSource,
    User,
    WriterRole,
)
from feedback.tagging import active_themes, record_feedback


class ObservationExists(Exception):
    """The client UUID of an observation is already stored: a retried or repeated sync."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback.observation.client_uuid if feedback.observation else "")
        self.feedback = feedback


def observation_by_uuid(client_uuid: str) -> Feedback | None:
    return db.session.scalar(
        select(Feedback).join(ObservationDetail).where(ObservationDetail.client_uuid == client_uuid)
    )


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
    `affected_role` (who was affected) is the observation's role: what filters, summaries and
    exports count it under; the observer is its author.
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
                role=affected_role,
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
                client_uuid=client_uuid, priority=priority
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




# An issue request's title: the observation's first words, as the issue form suggests them.
REQUEST_TITLE_LENGTH = 90


def observations_of_day(author: User, day: date) -> list[Feedback]:
    """What this person observed on a Québec day, newest first, with what became of each."""
    return list(db.session.scalars(
        select(Feedback)
        .where(Feedback.author_id == author.id, Feedback.kind == FeedbackKind.OBSERVATION,
               Feedback.created_at >= local_day_start(day),
               Feedback.created_at < local_day_start(day + timedelta(days=1)))
        .options(selectinload(Feedback.observation), selectinload(Feedback.issue),
                 selectinload(Feedback.sector), selectinload(Feedback.site),
                 selectinload(Feedback.themes).selectinload(FeedbackTheme.theme))
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
    ))


def request_issue(feedback: Feedback, *, actor: User) -> tuple[Issue, bool]:
    """Turn an observation into a request for the command centre: a new issue (status new, the
    observation's priority or P3) with the observation as its evidence; the caller commits.

    Asked twice (two taps, two tabs), the issue it already belongs to is returned: (issue, False).
    """
    # A write that changes nothing takes the row's lock on PostgreSQL and the database's write
    # lock on SQLite (where SELECT … FOR UPDATE means nothing): a second request waits here,
    # then reads the issue of the first. Through the connection, so the rollups see no write.
    db.session.connection().execute(
        sa.update(Feedback.__table__).where(Feedback.__table__.c.id == feedback.id)
        .values(issue_id=Feedback.__table__.c.issue_id))
    db.session.refresh(feedback)
    if feedback.issue is not None:
        return feedback.issue, False
    words = " ".join(feedback.text.split())
    title = (words if len(words) <= REQUEST_TITLE_LENGTH
             else words[:REQUEST_TITLE_LENGTH].rsplit(" ", 1)[0] + "…")
    priority = (feedback.observation.priority if feedback.observation is not None
                and feedback.observation.priority is not None else Priority.P3)
    issue = create_issue_from_feedback(
        feedback, title=title, priority=priority, actor=actor, sector=feedback.sector,
        themes=[link.theme for link in feedback.themes],
    )
    audit.record("issue.request", actor=actor, establishment_id=feedback.establishment_id,
                 target=issue, feedback=feedback.ref, priority=priority.value)
    return issue, True
