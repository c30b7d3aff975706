"""Read-side aggregates, computed in SQL, returned as small dataclasses."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from .extensions import db
from .models import (
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Issue,
    IssueStatus,
    SentimentLabel,
    Theme,
)

OPEN_STATUSES = (IssueStatus.NEW, IssueStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ThemeCount:
    theme: Theme
    count: int
    negative: int


@dataclass(frozen=True)
class Overview:
    """The first screen of an establishment: how much came in lately, about what."""

    feedback_total: int
    feedback_since: int
    by_kind: dict[FeedbackKind, int]
    themes: list[ThemeCount]
    open_issues: int


def _in(stmt: Select, column, establishment_ids: list[int] | None) -> Select:
    return stmt if establishment_ids is None else stmt.where(column.in_(establishment_ids))


def overview(establishment_ids: list[int] | None, since: datetime) -> Overview:
    """Counts for the home page; `establishment_ids` None means the whole network."""
    total = db.session.scalar(
        _in(select(func.count(Feedback.id)), Feedback.establishment_id, establishment_ids)
    )
    recent = _in(
        select(Feedback.kind, func.count(Feedback.id)).where(Feedback.created_at >= since),
        Feedback.establishment_id,
        establishment_ids,
    ).group_by(Feedback.kind)
    by_kind = {FeedbackKind(kind): count for kind, count in db.session.execute(recent)}
    negative = func.count(Feedback.id).filter(Feedback.sentiment == SentimentLabel.NEGATIVE)
    theme_rows = db.session.execute(
        _in(
            select(Theme, func.count(Feedback.id), negative)
            .join(FeedbackTheme, FeedbackTheme.theme_id == Theme.id)
            .join(Feedback, Feedback.id == FeedbackTheme.feedback_id)
            .where(Feedback.created_at >= since),
            Feedback.establishment_id,
            establishment_ids,
        )
        .group_by(Theme.id)
        .order_by(func.count(Feedback.id).desc())
    )
    open_issues = db.session.scalar(
        _in(
            select(func.count(Issue.id)).where(Issue.status.in_(OPEN_STATUSES)),
            Issue.establishment_id,
            establishment_ids,
        )
    )
    return Overview(
        feedback_total=total or 0,
        feedback_since=sum(by_kind.values()),
        by_kind=by_kind,
        themes=[ThemeCount(theme, count, neg) for theme, count, neg in theme_rows],
        open_issues=open_issues or 0,
    )


@dataclass(frozen=True)
class EstablishmentVolume:
    establishment: Establishment
    feedback: int
    open_issues: int


def network_volumes() -> list[EstablishmentVolume]:
    """Every establishment with its feedback count and open issues, for network-wide users."""
    feedback_counts = (
        select(Feedback.establishment_id, func.count(Feedback.id).label("n"))
        .group_by(Feedback.establishment_id)
        .subquery()
    )
    issue_counts = (
        select(Issue.establishment_id, func.count(Issue.id).label("n"))
        .where(Issue.status.in_(OPEN_STATUSES))
        .group_by(Issue.establishment_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Establishment,
            func.coalesce(feedback_counts.c.n, 0),
            func.coalesce(issue_counts.c.n, 0),
        )
        .outerjoin(feedback_counts, feedback_counts.c.establishment_id == Establishment.id)
        .outerjoin(issue_counts, issue_counts.c.establishment_id == Establishment.id)
        .order_by(Establishment.name)
    )
    return [EstablishmentVolume(e, f, i) for e, f, i in rows]
