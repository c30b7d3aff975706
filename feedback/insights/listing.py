"""Comments a selection may list: its observations and its cohorts' comments, newest first, and
the representative ones for each theme."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from feedback.extensions import db
from feedback.insights import anonymity
from feedback.insights.anonymity import Protection
from feedback.insights.filters import (
    ANONYMOUS_KINDS,
    SummaryFilter,
    cohort_clauses,
    filter_clauses,
    pending_rows,
    protection_of,
)
from feedback.insights.rollups import WHOLE_FEEDBACK
from feedback.insights.themes import ThemeBreakdown
from feedback.models import (
    Cohort,
    Feedback,
    FeedbackKind,
    FeedbackRollup,
    FeedbackTheme,
    SentimentLabel,
    Theme,
)
from feedback.paging import Key


@dataclass(frozen=True)
class ThemeComments:
    theme: Theme
    sentiment: SentimentLabel | None  # the theme's most frequent sentiment, drawn from
    comments: list[Feedback]
    anonymous_hidden: bool  # survey and imported comments left out (too few responses)


def _shown(f: SummaryFilter) -> sa.ColumnElement[bool]:
    """Feedback rows a selection may list: its observations, and its cohorts' comments."""
    period, *narrowing = filter_clauses(f, Feedback)
    cohorts = select(Cohort.id).where(*cohort_clauses(f, anonymity.COMMENTS))
    return and_(period, or_(
        and_(Feedback.kind == FeedbackKind.OBSERVATION, *narrowing),
        and_(Feedback.kind.in_(ANONYMOUS_KINDS), Feedback.cohort_id.in_(cohorts)),
    ))


def representative_comments(f: SummaryFilter, overall: ThemeBreakdown,
                            per_theme: int = 3) -> list[ThemeComments]:
    """For each theme, the latest comments carrying its most frequent sentiment.

    `overall` is theme_breakdown(f): anonymous comments appear when the theme's sentiment may be
    shown (enough of them); observations always may.
    """
    group = overall.overall
    shown = _shown(f)  # built once: the same clause in every theme's branch
    blocks, picks = [], []
    for position, theme in enumerate(overall.themes):
        figure = group.theme(theme.id)
        hidden = (group.suppressed or figure is None or figure.sentiment is None)
        sentiment = figure.sentiment.dominant if figure and figure.sentiment else None
        stmt = (select(sa.literal(position, sa.Integer).label("position"),
                       Feedback.id.label("id"))
                .where(shown, _has_theme(theme.id))
                .order_by(*LISTING_ORDER).limit(per_theme))
        if sentiment is not None:
            stmt = stmt.where(Feedback.sentiment == sentiment)
        if hidden:
            stmt = stmt.where(Feedback.kind.not_in(ANONYMOUS_KINDS))
        blocks.append((theme, sentiment, hidden))
        picks.append(select(stmt.subquery()))
    # Every theme's few comments in one statement, with what the page shows of them.
    found: dict[int, list[Feedback]] = {}
    if picks:
        chosen = (picks[0] if len(picks) == 1 else sa.union_all(*picks)).subquery("chosen")
        rows = db.session.execute(
            select(chosen.c.position, Feedback).join(chosen, chosen.c.id == Feedback.id)
            .order_by(chosen.c.position, *LISTING_ORDER)
            .options(selectinload(Feedback.sector)))
        for position, item in rows:
            found.setdefault(position, []).append(item)
    return [ThemeComments(theme, sentiment, found.get(position, []), hidden)
            for position, (theme, sentiment, hidden) in enumerate(blocks)]


def _has_theme(theme_id: int) -> sa.ColumnElement[bool]:
    return select(FeedbackTheme.feedback_id).where(
        FeedbackTheme.feedback_id == Feedback.id, FeedbackTheme.theme_id == theme_id
    ).exists()


# Newest first. Anonymous comments are stored at the start of their week and ordered among
# themselves by their random reference: nothing in a list places one within its week.
LISTING_ORDER = (Feedback.created_at.desc(), Feedback.ref)
LISTING_KEYS = (Key(Feedback.created_at, descending=True, kind=datetime), Key(Feedback.ref))


def listing_key(item: Feedback) -> tuple[datetime, str]:
    """Where a listed feedback stands in LISTING_ORDER (what a page's cursor holds)."""
    return item.created_at, item.ref


@dataclass(frozen=True)
class ListingRules:
    """What a list or export of the selection's feedback shows of anonymous comments.

    Anonymous comments are listed only from the cohorts the selection counts (so a list, like a
    figure, is made of whole cohorts), each with the role, sector and phase its cohort shares,
    and never its day. `protection.withheld`: some anonymous comments of the selection are not
    listed.
    """

    protection: Protection

    @property
    def anonymous_visible(self) -> bool:
        return not self.protection.suppressed

    @staticmethod
    def shows_role(item: Feedback) -> bool:
        return item.kind not in ANONYMOUS_KINDS or (item.cohort is not None
                                                    and item.cohort.role is not None)

    @staticmethod
    def shows_sector(item: Feedback) -> bool:
        return item.kind not in ANONYMOUS_KINDS or (item.cohort is not None
                                                    and item.cohort.sector_id is not None)

    @staticmethod
    def shows_phase(item: Feedback) -> bool:
        return item.kind not in ANONYMOUS_KINDS or (item.cohort is not None
                                                    and item.cohort.phase is not None)


def listing_rules(f: SummaryFilter) -> ListingRules:
    """Whether the selection's anonymous comments are all listed (theme or sentiment filters
    only narrow what is listed: they never add a comment the selection does not list)."""
    rollup = FeedbackRollup
    whole = rollup.theme_id == WHOLE_FEEDBACK
    anonymous = rollup.kind.in_([kind.value for kind in ANONYMOUS_KINDS])
    raw, pending = db.session.execute(
        select(func.sum(rollup.n), func.sum(rollup.n).filter(pending_rows(f, rollup)))
        .where(*filter_clauses(f, rollup), anonymous, whole)).one()
    shown = db.session.scalar(
        select(func.sum(rollup.n)).join(Cohort, Cohort.id == rollup.cohort_id)
        .where(rollup.establishment_id.in_(f.establishment_ids), whole,
               *cohort_clauses(f, anonymity.COMMENTS)))
    return ListingRules(protection_of(f, shown or 0, raw or 0, pending or 0))


def listing(f: SummaryFilter, theme_id: int | None = None,
            sentiment: SentimentLabel | None = None) -> Select:
    """The selection's feedback, newest first: observations, and its cohorts' comments."""
    stmt = select(Feedback).where(_shown(f))
    if theme_id is not None:
        stmt = stmt.where(_has_theme(theme_id))
    if sentiment is not None:
        stmt = stmt.where(Feedback.sentiment == sentiment)
    return stmt.order_by(*LISTING_ORDER)
