"""The home page's counts: one whole week of an establishment, or of the network."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import Select, and_, func, or_, select

from feedback.extensions import db
from feedback.insights.rollups import WHOLE_FEEDBACK
from feedback.issues import OPEN_STATUSES
from feedback.issues.kpis import within
from feedback.models import (
    Cohort,
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackRollup,
    Issue,
    Theme,
)


@dataclass(frozen=True)
class ThemeCount:
    theme: Theme
    count: int
    negative: int


@dataclass(frozen=True)
class Overview:
    """The first screen of an establishment: what came in during one whole week, about what."""

    week: date  # its Monday
    # Every week: counted only when the week had none (what the page then shows), since it reads
    # every week's rollup rows, which grow with the weeks an establishment has been live.
    feedback_total: int | None
    feedback_week: int
    by_kind: dict[FeedbackKind, int]
    themes: list[ThemeCount]
    open_issues: int


def _countable(default_threshold: int) -> sa.ColumnElement[bool]:
    """Rollup rows a count may include: observations, and anonymous comments of cohorts that
    hold their establishment's threshold (the same rule as every summary figure)."""
    rollup = FeedbackRollup
    return or_(rollup.kind == FeedbackKind.OBSERVATION.value,
               and_(rollup.cohort_id != 0, Cohort.n >= func.coalesce(
                   Establishment.anonymity_threshold, default_threshold)))


def _countable_rows(*columns) -> Select:
    rollup = FeedbackRollup
    return (select(*columns).select_from(rollup)
            .join(Establishment, Establishment.id == rollup.establishment_id)
            .outerjoin(Cohort, Cohort.id == rollup.cohort_id))


def week_theme_counts(establishment_ids: list[int] | None, week: date,
                      default_threshold: int) -> list[ThemeCount]:
    """Feedback per theme over one whole week, the most mentioned first (cohorts only, as in
    the overview)."""
    rollup = FeedbackRollup
    return [ThemeCount(theme, count, negative) for theme, count, negative in db.session.execute(
        within(_countable_rows(Theme, func.sum(rollup.n), func.sum(rollup.negative))
               .join(Theme, Theme.id == rollup.theme_id)
               .where(_countable(default_threshold), rollup.week == week),
               rollup.establishment_id, establishment_ids)
        .group_by(Theme.id)
        .order_by(func.sum(rollup.n).desc(), Theme.code))]


def overview(establishment_ids: list[int] | None, week: date,
             default_threshold: int) -> Overview:
    """Counts for the home page over one whole week (None: the whole network).

    Anonymous comments count only through their cohorts, like every figure: a week not yet cut
    shows its observations alone.
    """
    rollup = FeedbackRollup
    countable = _countable(default_threshold)
    whole = rollup.theme_id == WHOLE_FEEDBACK
    by_kind = {FeedbackKind(kind): count for kind, count in db.session.execute(within(
        _countable_rows(rollup.kind, func.sum(rollup.n)).where(countable, whole,
                                                               rollup.week == week),
        rollup.establishment_id, establishment_ids).group_by(rollup.kind))}
    themes = week_theme_counts(establishment_ids, week, default_threshold)
    total = None
    if not themes:
        total = db.session.scalar(within(
            _countable_rows(func.sum(rollup.n)).where(countable, whole),
            rollup.establishment_id, establishment_ids)) or 0
    open_issues = db.session.scalar(
        within(
            select(func.count(Issue.id)).where(Issue.status.in_(OPEN_STATUSES)),
            Issue.establishment_id,
            establishment_ids,
        )
    )
    return Overview(
        week=week,
        feedback_total=total,
        feedback_week=sum(by_kind.values()),
        by_kind=by_kind,
        themes=themes,
        open_issues=open_issues or 0,
    )


@dataclass(frozen=True)
class EstablishmentVolume:
    establishment: Establishment
    feedback: int
    open_issues: int


def network_volumes(default_threshold: int) -> list[EstablishmentVolume]:
    """Every establishment with its feedback count and open issues, for network-wide users."""
    rollup = FeedbackRollup
    feedback_counts = (
        _countable_rows(rollup.establishment_id, func.sum(rollup.n).label("n"))
        .where(_countable(default_threshold), rollup.theme_id == WHOLE_FEEDBACK)
        .group_by(rollup.establishment_id)
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


def sector_feedback_counts(establishment_id: int) -> dict[int, int]:
    """Feedback per sector id of an establishment (the history a sector keeps when deactivated)."""
    rows = db.session.execute(
        select(Feedback.sector_id, func.count(Feedback.id))
        .where(Feedback.establishment_id == establishment_id, Feedback.sector_id.is_not(None))
        .group_by(Feedback.sector_id)
    )
    return {sector_id: count for sector_id, count in rows}
