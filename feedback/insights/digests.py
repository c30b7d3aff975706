"""A theme's digest, readable in a minute: volume and trend, sentiment, the most representative
comments, the phrases that recur, the issues opened on it and the learnings already published.

Every figure comes from the summary's breakdown (whole cohorts); the comments are those a list of
the same selection may show (observations, and comments of counted cohorts), so the digest shows
nothing the feedback list would not.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from feedback.analysis.digest import central, key_phrases
from feedback.extensions import db
from feedback.insights.filters import ANONYMOUS_KINDS, SummaryFilter
from feedback.insights.listing import LISTING_ORDER, _has_theme, _shown
from feedback.insights.themes import ThemeFigure, theme_breakdown
from feedback.models import (
    Feedback,
    Issue,
    IssueStatus,
    Learning,
    LearningStatus,
    Theme,
    issue_theme,
    learning_theme,
)

CANDIDATES = 300  # the latest comments the representative ones are chosen among
REPRESENTATIVE = 4
PHRASES = 6
# A theme "mostly resolved": at least this share of its issues (duplicates aside) resolved.
MOSTLY_RESOLVED = 2 / 3


@dataclass(frozen=True)
class ThemeDigest:
    theme: Theme
    figure: ThemeFigure | None  # None: not mentioned, or the selection is hidden
    weekly: list[tuple[date, int | None]]  # None: that week's figures are hidden
    comments: list[Feedback]
    phrases: list[str]
    issues: list[Issue]
    learnings: list[Learning]

    @property
    def counted_issues(self) -> list[Issue]:
        return [i for i in self.issues if i.status is not IssueStatus.DUPLICATE]

    @property
    def resolved_issues(self) -> list[Issue]:
        return [i for i in self.counted_issues if i.status is IssueStatus.RESOLVED]

    @property
    def mostly_resolved(self) -> bool:
        counted = self.counted_issues
        return bool(counted) and len(self.resolved_issues) >= MOSTLY_RESOLVED * len(counted)

    @property
    def trend(self) -> int | None:
        """The last shown week's count minus the one before (None: fewer than two shown)."""
        shown = [count for _week, count in self.weekly if count is not None]
        return shown[-1] - shown[-2] if len(shown) >= 2 else None


def theme_digest(f: SummaryFilter, theme: Theme) -> ThemeDigest:
    """The digest of one theme over a single establishment's selection."""
    overall = theme_breakdown(f).overall
    figure = None if overall.suppressed else overall.theme(theme.id)
    weekly = [(group.key, None if group.suppressed
               else (group.theme(theme.id).count if group.theme(theme.id) else 0))
              for group in theme_breakdown(f, "week").groups]
    stmt = (select(Feedback).where(_shown(f), _has_theme(theme.id))
            .order_by(*LISTING_ORDER).limit(CANDIDATES))
    if figure is None or figure.sentiment is None:
        stmt = stmt.where(Feedback.kind.not_in(ANONYMOUS_KINDS))  # as the summary's quotes
    candidates = list(db.session.scalars(stmt))
    texts = [item.text for item in candidates]
    establishment_id = f.scope.establishment_id
    issues = list(db.session.scalars(
        select(Issue).join(issue_theme, issue_theme.c.issue_id == Issue.id)
        .where(Issue.establishment_id == establishment_id, issue_theme.c.theme_id == theme.id)
        .order_by(Issue.created_at.desc(), Issue.id.desc())))
    learnings = list(db.session.scalars(
        select(Learning).join(learning_theme, learning_theme.c.learning_id == Learning.id)
        .where(Learning.establishment_id == establishment_id,
               learning_theme.c.theme_id == theme.id,
               Learning.status == LearningStatus.PUBLISHED)
        .order_by(Learning.published_at.desc())))
    return ThemeDigest(theme, figure, weekly,
                       [candidates[i] for i in central(texts, REPRESENTATIVE)],
                       key_phrases(texts, PHRASES), issues, learnings)
