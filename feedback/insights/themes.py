"""Feedback per theme (count, share, sentiment), overall or per week, phase, sector or role group;
and the themes that emerge from one week to the next."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import and_, func, or_, select

from feedback.extensions import db
from feedback.insights import anonymity
from feedback.insights.anonymity import Hidden, Protection
from feedback.insights.filters import (
    ANONYMOUS_KINDS,
    PHASES,
    ROLE_GROUPS,
    SummaryFilter,
    cohort_clauses,
    filter_clauses,
    pending_rows,
    protection_of,
)
from feedback.insights.rollups import WHOLE_FEEDBACK
from feedback.models import (
    Cohort,
    FeedbackKind,
    FeedbackRollup,
    SentimentLabel,
    Theme,
    WriterRole,
)

# A theme "emerges" when, from one week to the next, its share of feedback rises this much...
EMERGING_MIN_RISE = 0.05


# ... and it is mentioned at least this often in the latest week.
EMERGING_MIN_COUNT = 5


@dataclass(frozen=True)
class Sentiment:
    negative: int
    neutral: int
    positive: int
    mean_polarity: float

    @property
    def total(self) -> int:
        return self.negative + self.neutral + self.positive

    def share(self, label: str) -> float:
        return getattr(self, label) / self.total if self.total else 0.0

    @property
    def dominant(self) -> SentimentLabel:
        counts = {SentimentLabel.NEGATIVE: self.negative, SentimentLabel.NEUTRAL: self.neutral,
                  SentimentLabel.POSITIVE: self.positive}
        return max(counts, key=counts.get)


@dataclass(frozen=True)
class ThemeFigure:
    theme: Theme
    count: int  # feedback of the group mentioning the theme
    share: float  # of the group's feedback
    responses: int  # of which anonymous (survey comments, imported comments)
    sentiment: Sentiment | None  # None when hidden: too few responses mention the theme
    sentiment_protection: Protection


@dataclass(frozen=True)
class Group:
    """A group of feedback: the whole selection, or one week, phase, sector or role group of it.

    When `protection` hides it, every figure is None and `themes` is empty.
    """

    key: object  # None, a week (date), a phase (int), a sector id (0: none), a role group
    protection: Protection
    total: int | None = None  # feedback in the group
    responses: int | None = None  # of which anonymous
    by_kind: dict[FeedbackKind, int] | None = None
    themes: dict[int, ThemeFigure] | None = None  # by theme id
    sentiment: Sentiment | None = None  # of the group's feedback as a whole

    @property
    def suppressed(self) -> bool:
        return self.protection.suppressed

    def theme(self, theme_id: int) -> ThemeFigure | None:
        return (self.themes or {}).get(theme_id)


@dataclass(frozen=True)
class ThemeBreakdown:
    by: str | None
    selection: Protection  # the whole selection's
    groups: list[Group]
    themes: list[Theme]  # every theme mentioned in the selection, most mentioned first

    @property
    def overall(self) -> Group:
        """The single group of a breakdown by nothing."""
        return self.groups[0]


def _observed(rollup) -> sa.ColumnElement[bool]:
    return rollup.kind == FeedbackKind.OBSERVATION.value


def _feedback_key(by: str | None, raw: bool):
    """A breakdown's group of a rollup row: from the row itself, or from its cohort."""
    rollup = FeedbackRollup
    if by is None:
        return sa.null()
    if by == "week":
        return rollup.week
    if by == "role_group":
        own_group = sa.case((rollup.role == WriterRole.PHYSICIAN.value, "physician"),
                            else_="other")
        if raw:
            return own_group
        # An observation is filed under who was affected; an anonymous comment under what its
        # cohort shares.
        return sa.case((_observed(rollup), own_group), else_=Cohort.role_group)
    own = {"phase": rollup.phase, "sector": rollup.sector_id}[by]
    if raw:
        return own
    return sa.case((_observed(rollup), own),
                   else_={"phase": Cohort.phase, "sector": Cohort.sector_id}[by])


def theme_breakdown(f: SummaryFilter, by: str | None = None) -> ThemeBreakdown:
    """Feedback per theme (count, share, sentiment), overall or per week, phase, sector or role.

    One GROUP BY over the establishment's rollup rows and their cohorts. A group counts the
    observations it holds and the anonymous comments of the cohorts it contains whole.
    `by="role_group"` compares physicians with other staff: staff's own words (survey and
    imported comments, through their cohorts) and the observations about each group.
    """
    rollup = FeedbackRollup
    observed = and_(_observed(rollup), *filter_clauses(f, rollup))
    counted = and_(rollup.cohort_id != 0, *cohort_clauses(f, anonymity.COMMENTS))
    key = _feedback_key(by, raw=False)
    # Every row the WHERE keeps is selected: only the anonymous share needs its own filter.
    stmt = (
        select(
            rollup.theme_id, key.label("key"),
            func.sum(rollup.n),
            func.sum(rollup.n).filter(counted),
            *(func.sum(rollup.n).filter(rollup.kind == kind.value) for kind in FeedbackKind),
            func.sum(rollup.negative),
            func.sum(rollup.neutral),
            func.sum(rollup.positive),
            func.sum(rollup.polarity_sum),
        )
        .outerjoin(Cohort, Cohort.id == rollup.cohort_id)
        .where(rollup.establishment_id.in_(f.establishment_ids), or_(observed, counted))
        .group_by(rollup.theme_id, *([key] if by else []))
    )
    kinds = list(FeedbackKind)
    wholes: dict = {}
    themed: dict = {}
    for row in db.session.execute(stmt):  # aggregated rows: (theme or whole) × group key
        theme_id, group_key = row[0], row[1]
        if by and group_key is None:
            continue  # cohorts that do not share the breakdown's dimension: in no group
        values = [value or 0 for value in row[2:]]
        total, responses = values[0], values[1]
        by_kind = dict(zip(kinds, values[2:2 + len(kinds)], strict=True))
        negative, neutral, positive, polarity = values[2 + len(kinds):]
        figures = (total, responses, by_kind, Sentiment(negative, neutral, positive,
                                                        polarity / total if total else 0.0))
        if theme_id == WHOLE_FEEDBACK:
            wholes[group_key] = figures
        else:
            themed[(theme_id, group_key)] = figures
    raw, pending = _raw_feedback(f, by)

    keys = _group_keys(f, by, wholes, raw)
    protections = {}
    for group_key in keys:
        total, shown, *_rest = wholes.get(group_key, (0, 0))
        protections[group_key] = protection_of(f, shown, raw.get(group_key, 0),
                                             pending.get(group_key, 0), observed=total - shown)
    selection = protection_of(f, sum(w[1] for w in wholes.values()), sum(raw.values()),
                            sum(pending.values()),
                            observed=sum(w[0] - w[1] for w in wholes.values()))

    theme_totals: dict[int, int] = {}
    for (theme_id, group_key), (total, *_rest) in themed.items():
        if group_key in protections:
            theme_totals[theme_id] = theme_totals.get(theme_id, 0) + total
    themes = {theme.id: theme for theme in db.session.scalars(
        select(Theme).where(Theme.id.in_([t for t, n in theme_totals.items() if n])))}
    ordered = sorted(themes.values(), key=lambda t: (-theme_totals[t.id], t.code))

    groups = []
    for group_key in keys:
        protection = protections[group_key]
        if protection.suppressed:
            groups.append(Group(group_key, protection))
            continue
        total, responses, by_kind, whole_sentiment = wholes.get(
            group_key, (0, 0, dict.fromkeys(kinds, 0), None))
        figures = {}
        for theme in ordered:
            count, theme_responses, _, sentiment = themed.get(
                (theme.id, group_key), (0, 0, None, Sentiment(0, 0, 0, 0.0)))
            # Every comment counted here is listed with its sentiment; the theme's sentiment is
            # still left out when it would summarise fewer anonymous comments than the threshold.
            hidden = Hidden.SMALL if 0 < theme_responses < f.threshold else None
            figures[theme.id] = ThemeFigure(
                theme=theme, count=count, share=count / total if total else 0.0,
                responses=theme_responses, sentiment=None if hidden else sentiment,
                sentiment_protection=Protection(f.threshold, hidden),
            )
        groups.append(Group(group_key, protection, total, responses, by_kind, figures,
                            whole_sentiment))
    return ThemeBreakdown(by, selection, groups, ordered)


def _raw_feedback(f: SummaryFilter, by: str | None) -> tuple[dict, dict]:
    """Anonymous comments per group as they are (all, and not yet cut): never shown, only
    compared with what the cohorts show, to say that some are withheld."""
    rollup = FeedbackRollup
    key = _feedback_key(by, raw=True)
    anonymous = rollup.kind.in_([kind.value for kind in ANONYMOUS_KINDS])
    rows = db.session.execute(
        select(key.label("key"), func.sum(rollup.n),
               func.sum(rollup.n).filter(pending_rows(f, rollup)))
        .where(*filter_clauses(f, rollup), anonymous, rollup.theme_id == WHOLE_FEEDBACK)
        .group_by(*([key] if by else []))
    )
    raw, pending = {}, {}
    for group_key, n, waiting in rows:
        raw[group_key], pending[group_key] = n or 0, waiting or 0
    return raw, pending


def _group_keys(f: SummaryFilter, by: str | None, found: dict, raw: dict) -> list:
    """The groups a breakdown shows, empty ones included where their absence would mislead."""
    if by is None:
        return [None]
    if by == "week":
        return f.scope.weeks()
    if by == "phase":
        return list(PHASES) if f.phase is None else [f.phase]
    if by == "role_group":
        return list(ROLE_GROUPS)
    return sorted({key for key, (total, *_) in found.items() if total}
                  | {key for key, n in raw.items() if n})


@dataclass(frozen=True)
class ThemeTrend:
    """How a theme moved between the last two weeks of a period that can be shown."""

    theme: Theme
    previous_week: date
    week: date
    previous_count: int
    count: int
    previous_share: float
    share: float

    @property
    def change(self) -> float:
        return self.share - self.previous_share

    @property
    def emerging(self) -> bool:
        return (self.count >= EMERGING_MIN_COUNT and self.change >= EMERGING_MIN_RISE
                and self.count > self.previous_count)


def week_over_week(weekly: ThemeBreakdown) -> list[ThemeTrend]:
    """Each theme's change from the week before to the last week shown (with any feedback).

    Works on the aggregated week breakdown; emerging themes first, then by change.
    """
    shown = [group for group in weekly.groups if not group.suppressed and group.total]
    if len(shown) < 2:
        return []
    before, last = shown[-2], shown[-1]
    trends = []
    for theme in weekly.themes:
        previous, current = before.theme(theme.id), last.theme(theme.id)
        trends.append(ThemeTrend(
            theme=theme, previous_week=before.key, week=last.key,
            previous_count=previous.count, count=current.count,
            previous_share=previous.share, share=current.share,
        ))
    return sorted(trends, key=lambda t: (not t.emerging, -t.change, t.theme.code))
