"""Feedback per theme (count, share, sentiment), overall or per week, phase, sector or role group;
and the themes that emerge from one week to the next."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import select

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
from feedback.insights.grouping import grouped_sums, unindexed
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


# The groupings of a breakdown and the type of each one's key.
_KEYS = {"week": sa.Date(), "phase": sa.Integer(), "sector": sa.Integer(),
         "role_group": sa.String(20)}


def _role_group(rollup) -> sa.ColumnElement:
    return sa.case((rollup.role == WriterRole.PHYSICIAN.value, "physician"), else_="other")


def _measures(rollup) -> list[sa.ColumnElement]:
    """What each rollup row adds to its groups: its feedback by kind (the whole count and the
    anonymous comments counted are sums of these) and their sentiment."""
    return [
        *(sa.case((rollup.kind == kind.value, rollup.n), else_=0).label(f"n_{kind.value}")
          for kind in FeedbackKind),
        rollup.negative.label("negative"), rollup.neutral.label("neutral"),
        rollup.positive.label("positive"), rollup.polarity_sum.label("polarity_sum"),
    ]


def _counted_rows(f: SummaryFilter) -> sa.CompoundSelect:
    """The rollup rows a selection counts, each with its group in every breakdown.

    An observation is filed under its own week, phase, sector and role group (who was affected);
    an anonymous comment under what its cohort shares (None where the cohort does not share the
    dimension: in no group of that breakdown), and only when the selection counts its cohort.
    """
    rollup = FeedbackRollup
    observations = (
        select(rollup.theme_id, rollup.week.label("week"), rollup.phase.label("phase"),
               rollup.sector_id.label("sector"), _role_group(rollup).label("role_group"),
               *_measures(rollup))
        .where(rollup.establishment_id.in_(f.establishment_ids), _observed(rollup),
               *filter_clauses(f, rollup))
    )
    anonymous = (
        select(rollup.theme_id, rollup.week, Cohort.phase, Cohort.sector_id, Cohort.role_group,
               *_measures(rollup))
        .join(Cohort, Cohort.id == unindexed(rollup.cohort_id))
        .where(rollup.establishment_id.in_(f.establishment_ids),
               rollup.kind.in_([kind.value for kind in ANONYMOUS_KINDS]), rollup.cohort_id != 0,
               *cohort_clauses(f, anonymity.COMMENTS))
    )
    return sa.union_all(observations, anonymous)


def theme_breakdowns(f: SummaryFilter, bys: list[str | None]) -> dict[str | None, ThemeBreakdown]:
    """Several breakdowns of the same selection (see theme_breakdown), read in two statements:
    the establishment's rollup rows are joined to their cohorts once, whatever their number."""
    bys = list(dict.fromkeys(bys))
    kinds = list(FeedbackKind)
    sums = (*(f"n_{kind.value}" for kind in kinds), "negative", "neutral", "positive",
            "polarity_sum")
    dialect = db.session.connection().dialect.name
    stmt = grouped_sums(_counted_rows(f), _KEYS, bys, ["theme_id"], sums,
                        dialect)
    wholes: dict = {by: {} for by in bys}
    themed: dict = {by: {} for by in bys}
    positions = {name: 1 + index for index, name in enumerate(_KEYS)}
    first = 1 + len(_KEYS)
    for row in db.session.execute(stmt):  # aggregated rows: breakdown × (theme or whole) × group
        by = row[0] or None
        group_key = row[positions[by]] if by else None
        if by and group_key is None:
            continue  # cohorts that do not share the breakdown's dimension: in no group
        theme_id = row[first]
        values = [value or 0 for value in row[first + 1:]]
        by_kind = dict(zip(kinds, values[:len(kinds)], strict=True))
        negative, neutral, positive, polarity = values[len(kinds):]
        # Observations never count in a cohort and anonymous comments only through one.
        total = sum(by_kind.values())
        responses = sum(by_kind[kind] for kind in ANONYMOUS_KINDS)
        figures = (total, responses, by_kind, Sentiment(negative, neutral, positive,
                                                        polarity / total if total else 0.0))
        if theme_id == WHOLE_FEEDBACK:
            wholes[by][group_key] = figures
        else:
            themed[by][(theme_id, group_key)] = figures
    raws = _raw_feedback(f, bys, dialect)
    theme_ids = {theme_id for by in bys for (theme_id, _), figures in themed[by].items()
                 if figures[0]}
    themes = {theme.id: theme for theme in db.session.scalars(
        select(Theme).where(Theme.id.in_(theme_ids)))} if theme_ids else {}
    return {by: _breakdown(f, by, wholes[by], themed[by], *raws[by], themes) for by in bys}


def theme_breakdown(f: SummaryFilter, by: str | None = None) -> ThemeBreakdown:
    """Feedback per theme (count, share, sentiment), overall or per week, phase, sector or role.

    One GROUP BY over the establishment's rollup rows and their cohorts. A group counts the
    observations it holds and the anonymous comments of the cohorts it contains whole.
    `by="role_group"` compares physicians with other staff: staff's own words (survey and
    imported comments, through their cohorts) and the observations about each group.
    """
    return theme_breakdowns(f, [by])[by]


def _breakdown(f: SummaryFilter, by: str | None, wholes: dict, themed: dict, raw: dict,
               pending: dict, known: dict[int, Theme]) -> ThemeBreakdown:
    """One breakdown from its aggregated rows, behind the anonymity guard."""
    kinds = list(FeedbackKind)
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
    themes = [known[t] for t, n in theme_totals.items() if n and t in known]
    ordered = sorted(themes, key=lambda t: (-theme_totals[t.id], t.code))

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


def _raw_feedback(f: SummaryFilter, bys: list[str | None],
                  dialect: str) -> dict[str | None, tuple[dict, dict]]:
    """Anonymous comments per group as they are (all, and not yet cut): never shown, only
    compared with what the cohorts show, to say that some are withheld."""
    rollup = FeedbackRollup
    rows = (
        select(rollup.week.label("week"), rollup.phase.label("phase"),
               rollup.sector_id.label("sector"), _role_group(rollup).label("role_group"),
               rollup.n.label("n"),
               sa.case((pending_rows(f, rollup), rollup.n), else_=0).label("pending"))
        .where(*filter_clauses(f, rollup),
               rollup.kind.in_([kind.value for kind in ANONYMOUS_KINDS]),
               rollup.theme_id == WHOLE_FEEDBACK)
    )
    positions = {name: 1 + index for index, name in enumerate(_KEYS)}
    result: dict = {by: ({}, {}) for by in bys}
    for row in db.session.execute(grouped_sums(rows, _KEYS, bys, [], ["n", "pending"], dialect)):
        by = row[0] or None
        group_key = row[positions[by]] if by else None
        raw, pending = result[by]
        raw[group_key], pending[group_key] = row[-2] or 0, row[-1] or 0
    return result


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
