"""Read-side aggregates, computed in SQL, returned as small dataclasses."""

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Float, Select, and_, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.functions import FunctionElement

from feedback import anonymity
from feedback.clock import local_day_start, utcnow
from feedback.extensions import db
from feedback.models import (
    Campaign,
    Cohort,
    CohortItem,
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackRollup,
    FeedbackTheme,
    Issue,
    IssueStatus,
    IssueStatusChange,
    Priority,
    ResponseRollup,
    SentimentLabel,
    Theme,
    WriterRole,
    issue_theme,
)
from feedback.rollups import NO_SECTOR, WHOLE_FEEDBACK, WHOLE_RESPONSE, monday

OPEN_STATUSES = (IssueStatus.NEW, IssueStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ThemeCount:
    theme: Theme
    count: int
    negative: int


@dataclass(frozen=True)
class Overview:
    """The first screen of an establishment: what came in during one whole week, about what."""

    week: date  # its Monday
    feedback_total: int  # every week
    feedback_week: int
    by_kind: dict[FeedbackKind, int]
    themes: list[ThemeCount]
    open_issues: int


def _in(stmt: Select, column, establishment_ids: list[int] | None) -> Select:
    return stmt if establishment_ids is None else stmt.where(column.in_(establishment_ids))


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


def overview(establishment_ids: list[int] | None, week: date,
             default_threshold: int) -> Overview:
    """Counts for the home page over one whole week (None: the whole network).

    Anonymous comments count only through their cohorts, like every figure: a week not yet cut
    shows its observations alone.
    """
    rollup = FeedbackRollup
    countable = _countable(default_threshold)
    whole = rollup.theme_id == WHOLE_FEEDBACK
    total = db.session.scalar(_in(_countable_rows(func.sum(rollup.n)).where(countable, whole),
                                  rollup.establishment_id, establishment_ids))
    by_kind = {FeedbackKind(kind): count for kind, count in db.session.execute(_in(
        _countable_rows(rollup.kind, func.sum(rollup.n)).where(countable, whole,
                                                               rollup.week == week),
        rollup.establishment_id, establishment_ids).group_by(rollup.kind))}
    theme_rows = db.session.execute(
        _in(_countable_rows(Theme, func.sum(rollup.n), func.sum(rollup.negative))
            .join(Theme, Theme.id == rollup.theme_id)
            .where(countable, rollup.week == week),
            rollup.establishment_id, establishment_ids)
        .group_by(Theme.id)
        .order_by(func.sum(rollup.n).desc(), Theme.code)
    )
    open_issues = db.session.scalar(
        _in(
            select(func.count(Issue.id)).where(Issue.status.in_(OPEN_STATUSES)),
            Issue.establishment_id,
            establishment_ids,
        )
    )
    return Overview(
        week=week,
        feedback_total=total or 0,
        feedback_week=sum(by_kind.values()),
        by_kind=by_kind,
        themes=[ThemeCount(theme, count, neg) for theme, count, neg in theme_rows],
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


# --- Issue KPIs (the command centre, the manager summary and the one-month update) ----------

PRIORITY_LEVELS = (Priority.P1, Priority.P2)


class hours_between(FunctionElement):
    """Hours from the second timestamp to the first, as a float, on SQLite and PostgreSQL."""

    type = Float()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between, "sqlite")
def _hours_between_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_between_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600.0)"


def local_period(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The UTC bounds [start, end) of whole Québec days, first and last included."""
    return local_day_start(first_day), local_day_start(last_day + timedelta(days=1))


@dataclass(frozen=True)
class ThemeBacklog:
    theme: Theme
    open: int
    priority: int  # of which P1 or P2


@dataclass(frozen=True)
class IssueKpis:
    """How the command centre handled the issues of a period [start, end).

    The issues counted are those created in the period, except duplicates (the same problem
    reported twice is one issue). "Resolved" means resolved before `end`. Figures about the
    backlog and waiting issues are as they stood at `end` (now, for a period not yet over).
    Shares are None when there is nothing to divide by.
    """

    start: datetime
    end: datetime
    received: int
    resolved: int
    duplicates: int
    priority_received: int  # P1 + P2
    priority_resolved: int
    priority_resolved_within_24h: int
    priority_waiting: int  # open P1/P2 issues nobody had picked up yet at `end`
    median_hours_to_resolution: float | None
    backlog: int  # open issues at `end`, whenever they were created
    backlog_by_theme: list[ThemeBacklog]
    backlog_without_theme: int

    @property
    def resolved_share(self) -> float | None:
        return _share(self.resolved, self.received)

    @property
    def priority_resolved_share(self) -> float | None:
        return _share(self.priority_resolved, self.priority_received)

    @property
    def priority_within_24h_share(self) -> float | None:
        """Of the priority issues received, the share resolved less than 24 hours after."""
        return _share(self.priority_resolved_within_24h, self.priority_received)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def issue_kpis(establishment_ids: list[int] | None, start: datetime, end: datetime) -> IssueKpis:
    """The issue KPIs of one or more establishments (None: the whole network) for [start, end)."""
    received = (Issue.created_at >= start) & (Issue.created_at < end)
    counted = received & (Issue.status != IssueStatus.DUPLICATE)
    resolved = Issue.resolved_at.is_not(None) & (Issue.resolved_at < end)
    priority = Issue.priority.in_(PRIORITY_LEVELS)
    hours = hours_between(Issue.resolved_at, Issue.created_at)
    counts = db.session.execute(
        _in(
            select(
                func.count(Issue.id).filter(counted),
                func.count(Issue.id).filter(counted & resolved),
                func.count(Issue.id).filter(received & (Issue.status == IssueStatus.DUPLICATE)),
                func.count(Issue.id).filter(counted & priority),
                func.count(Issue.id).filter(counted & priority & resolved),
                func.count(Issue.id).filter(counted & priority & resolved & (hours < 24)),
                func.count(Issue.id).filter(
                    (Issue.created_at < end)
                    & priority
                    & (Issue.picked_up_at.is_(None) | (Issue.picked_up_at >= end))
                ),
            ),
            Issue.establishment_id,
            establishment_ids,
        )
    ).one()

    # The median in a window query both engines understand: the middle row, or the mean of two.
    ranked = _in(
        select(
            hours.label("hours"),
            func.row_number().over(order_by=hours).label("position"),
            func.count().over().label("total"),
        ).where(counted & resolved),
        Issue.establishment_id,
        establishment_ids,
    ).subquery()
    median = db.session.scalar(
        select(func.avg(ranked.c.hours)).where(
            ranked.c.position.in_([(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2])
        )
    )

    backlog, by_theme, without_theme = _backlog_at(establishment_ids, end)
    return IssueKpis(
        start=start,
        end=end,
        received=counts[0],
        resolved=counts[1],
        duplicates=counts[2],
        priority_received=counts[3],
        priority_resolved=counts[4],
        priority_resolved_within_24h=counts[5],
        priority_waiting=counts[6],
        median_hours_to_resolution=float(median) if median is not None else None,
        backlog=backlog,
        backlog_by_theme=by_theme,
        backlog_without_theme=without_theme,
    )


def _backlog_at(
    establishment_ids: list[int] | None, moment: datetime
) -> tuple[int, list[ThemeBacklog], int]:
    """Issues open at `moment`, read from their status history, in all and per theme."""
    latest = (
        select(
            IssueStatusChange.issue_id,
            IssueStatusChange.to_status,
            func.row_number()
            .over(
                partition_by=IssueStatusChange.issue_id,
                order_by=(IssueStatusChange.changed_at.desc(), IssueStatusChange.id.desc()),
            )
            .label("recency"),
        )
        .where(IssueStatusChange.changed_at < moment)
        .subquery()
    )
    # An issue without history before `moment` was still as created: new.
    status_then = func.coalesce(latest.c.to_status, IssueStatus.NEW.value)
    open_then = _in(
        select(Issue.id.label("issue_id"), Issue.priority.label("priority"))
        .outerjoin(latest, (latest.c.issue_id == Issue.id) & (latest.c.recency == 1))
        .where(Issue.created_at < moment,
               status_then.in_([status.value for status in OPEN_STATUSES])),
        Issue.establishment_id,
        establishment_ids,
    ).subquery()
    total, without_theme = db.session.execute(
        select(
            func.count(open_then.c.issue_id),
            func.count(open_then.c.issue_id).filter(
                ~select(issue_theme.c.issue_id)
                .where(issue_theme.c.issue_id == open_then.c.issue_id)
                .exists()
            ),
        )
    ).one()
    rows = db.session.execute(
        select(
            Theme,
            func.count(open_then.c.issue_id),
            func.count(open_then.c.issue_id).filter(
                open_then.c.priority.in_([p.value for p in PRIORITY_LEVELS])
            ),
        )
        .join(issue_theme, issue_theme.c.theme_id == Theme.id)
        .join(open_then, open_then.c.issue_id == issue_theme.c.issue_id)
        .group_by(Theme.id)
        .order_by(func.count(open_then.c.issue_id).desc(), Theme.code)
    )
    return total, [ThemeBacklog(theme, n, p) for theme, n, p in rows], without_theme


def sector_feedback_counts(establishment_id: int) -> dict[int, int]:
    """Feedback per sector id of an establishment (the history a sector keeps when deactivated)."""
    rows = db.session.execute(
        select(Feedback.sector_id, func.count(Feedback.id))
        .where(Feedback.establishment_id == establishment_id, Feedback.sector_id.is_not(None))
        .group_by(Feedback.sector_id)
    )
    return {sector_id: count for sector_id, count in rows}


# --- Managers' summaries: one filter, the anonymity cohorts, the aggregates ----------------
#
# Everything below reads the rollups (see rollups.py): feedback and survey responses counted per
# establishment, Québec week, dimension and anonymity cohort. Anonymous answers count only
# through whole cohorts (see anonymity.py); observations, which are signed, count as they are.

# Unsigned words of staff. Observations are signed by the super-user who logged them: they follow
# the normal access rules and never count towards (nor are hidden by) the anonymity threshold.
ANONYMOUS_KINDS = anonymity.ANONYMOUS_KINDS
DEFAULT_THRESHOLD = 5  # the deployment's, when none is given (config: ANONYMITY_THRESHOLD)
ROLE_GROUPS = ("physician", "other")
PHASES = (1, 2, 3)
# A theme "emerges" when, from one week to the next, its share of feedback rises this much...
EMERGING_MIN_RISE = 0.05
# ... and it is mentioned at least this often in the latest week.
EMERGING_MIN_COUNT = 5


@dataclass(frozen=True)
class Scope:
    """One establishment over whole Québec weeks: the Monday of the first to that of the last."""

    establishment_id: int
    first_week: date
    last_week: date

    @property
    def start(self) -> datetime:
        return local_day_start(self.first_week)

    @property
    def end(self) -> datetime:
        """The moment the period ends (exclusive): the Monday after the last week, 0:00."""
        return local_day_start(self.last_week + timedelta(days=7))

    @property
    def last_day(self) -> date:
        return self.last_week + timedelta(days=6)

    def weeks(self) -> list[date]:
        count = (self.last_week - self.first_week).days // 7 + 1
        return [self.first_week + timedelta(weeks=n) for n in range(max(count, 0))]


@dataclass(frozen=True)
class SummaryFilter:
    """What a summary looks at. Every query below applies it through filter_clauses()."""

    scopes: tuple[Scope, ...]
    threshold: int
    phase: int | None = None
    role: WriterRole | None = None
    sector_id: int | None = None
    kind: FeedbackKind | None = None
    # The last week whose live survey answers are cut into cohorts (later ones: not yet).
    cut_until: date = date.max

    @property
    def establishment_ids(self) -> list[int]:
        return [scope.establishment_id for scope in self.scopes]

    @property
    def scope(self) -> Scope:
        """The period of a single-establishment filter."""
        return self.scopes[0]


def anonymity_threshold(establishments: list[Establishment], default: int) -> int:
    """The threshold of an establishment (its own or the deployment's); pooled: the strictest."""
    from feedback.administration import effective_threshold

    return max((effective_threshold(e, default) for e in establishments), default=default)


def week_span(first_day: date, last_day: date) -> tuple[date, date]:
    """The Mondays of the whole weeks covering two days (inclusive), in order."""
    first, last = sorted((first_day, last_day))
    return monday(first), monday(last)


def summary_filter(establishment: Establishment, first_day: date, last_day: date, *,
                   threshold: int | None = None, now: datetime | None = None,
                   phase: int | None = None, role: WriterRole | None = None,
                   sector_id: int | None = None,
                   kind: FeedbackKind | None = None) -> SummaryFilter:
    """The filter of one establishment's summary, its period widened to whole weeks.

    `threshold`: the deployment's (the establishment's own wins); `now`: what is cut so far.
    """
    first_week, last_week = week_span(first_day, last_day)
    return SummaryFilter(
        scopes=(Scope(establishment.id, first_week, last_week),),
        threshold=anonymity_threshold([establishment], threshold or DEFAULT_THRESHOLD),
        phase=phase, role=role, sector_id=sector_id, kind=kind,
        cut_until=anonymity.last_closed_week(now or utcnow()),
    )


def data_weeks(establishment_ids: list[int]) -> tuple[date, date] | None:
    """The first and last week holding feedback or responses, or None when there is nothing."""
    bounds = []
    for rollup in (FeedbackRollup, ResponseRollup):
        bounds.append(db.session.execute(
            select(func.min(rollup.week), func.max(rollup.week))
            .where(rollup.establishment_id.in_(establishment_ids))
        ).one())
    firsts = [first for first, _ in bounds if first is not None]
    lasts = [last for _, last in bounds if last is not None]
    return (min(firsts), max(lasts)) if firsts else None


def filter_clauses(f: SummaryFilter, source: type) -> list[sa.ColumnElement[bool]]:
    """A summary filter on the rows' own dimensions: for either rollup or for raw feedback.

    Anonymous answers are selected through their cohorts instead (cohort_clauses); this is how
    observations are selected, and how the answers a selection withholds are counted.
    """
    raw = source is Feedback
    clauses: list[sa.ColumnElement[bool]] = [or_(*(
        and_(source.establishment_id == scope.establishment_id,
             *((source.created_at >= scope.start, source.created_at < scope.end) if raw
               else (source.week.between(scope.first_week, scope.last_week),)))
        for scope in f.scopes
    ))]
    if f.phase is not None:
        clauses.append(source.phase == f.phase)
    if f.role is not None:
        clauses.append(source.role == (f.role if raw else f.role.value))
    if f.sector_id is not None:
        clauses.append(func.coalesce(source.sector_id, NO_SECTOR) == f.sector_id)
    if f.kind is not None:
        if source is ResponseRollup:
            if f.kind is not FeedbackKind.SURVEY:
                clauses.append(sa.false())
        else:
            clauses.append(source.kind == (f.kind if raw else f.kind.value))
    return clauses


def cohort_clauses(f: SummaryFilter, unit: str) -> list[sa.ColumnElement[bool]]:
    """The cohorts a selection counts: in its period, large enough, and not split by a filter.

    A filter on a dimension the cohort does not share (None there) leaves it out whole.
    """
    clauses: list[sa.ColumnElement[bool]] = [
        Cohort.unit == unit,
        Cohort.n >= f.threshold,
        or_(*(and_(Cohort.establishment_id == scope.establishment_id,
                   Cohort.week.between(scope.first_week, scope.last_week))
              for scope in f.scopes)),
    ]
    if f.phase is not None:
        clauses.append(Cohort.phase == f.phase)
    if f.role is not None:
        clauses.append(Cohort.role == f.role.value)
    if f.sector_id is not None:
        clauses.append(Cohort.sector_id == f.sector_id)
    if f.kind is not None:
        clauses.append(Cohort.kind == f.kind.value if unit == anonymity.COMMENTS
                       else sa.literal(f.kind is FeedbackKind.SURVEY))
    return clauses


# --- What is shown, and why not --------------------------------------------------------------

class Hidden(enum.StrEnum):
    """Why a figure is not shown."""

    SMALL = "small"  # its answers are too few to form a cohort of the threshold's size
    PENDING = "pending"  # its answers are from a week not over yet: they count once it is


@dataclass(frozen=True)
class Protection:
    """Whether figures about a group may be shown. Holds no count: a hidden count is a figure.

    `withheld`: some anonymous answers of the group count in no figure of it (too few to form a
    cohort that the group does not split, or from a week not over yet).
    """

    threshold: int
    hidden: Hidden | None = None
    withheld: bool = False

    @property
    def suppressed(self) -> bool:
        return self.hidden is not None


def _protection(f: SummaryFilter, shown: int, raw: int, pending: int,
                observed: int = 0) -> Protection:
    """A group showing `shown` anonymous answers of the `raw` it holds (`pending` not yet cut)."""
    withheld = raw > shown
    if shown or observed or not raw:
        return Protection(f.threshold, None, withheld)
    return Protection(f.threshold, Hidden.PENDING if pending == raw else Hidden.SMALL, withheld)


def _pending(f: SummaryFilter, rollup) -> sa.ColumnElement[bool]:
    """Rows of anonymous answers whose week is not cut yet (imports into such a week join it)."""
    return and_(rollup.cohort_id == 0, rollup.week > f.cut_until)


# --- Themes: shares, sentiment, and the same broken down by week, phase, sector, role --------

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
        if raw:
            return sa.case((rollup.role == WriterRole.PHYSICIAN.value, "physician"),
                           else_="other")
        return Cohort.role_group
    own = {"phase": rollup.phase, "sector": rollup.sector_id}[by]
    if raw:
        return own
    return sa.case((_observed(rollup), own),
                   else_={"phase": Cohort.phase, "sector": Cohort.sector_id}[by])


def theme_breakdown(f: SummaryFilter, by: str | None = None) -> ThemeBreakdown:
    """Feedback per theme (count, share, sentiment), overall or per week, phase, sector or role.

    One GROUP BY over the establishment's rollup rows and their cohorts. A group counts the
    observations it holds and the anonymous comments of the cohorts it contains whole.
    `by="role_group"` compares physicians with other staff on staff's own words (survey and
    imported comments): an observation is filed under the super-user who logged it.
    """
    rollup = FeedbackRollup
    observed = and_(_observed(rollup), *filter_clauses(f, rollup))
    counted = and_(rollup.cohort_id != 0, *cohort_clauses(f, anonymity.COMMENTS))
    selected = or_(observed, counted)
    key = _feedback_key(by, raw=False)
    stmt = (
        select(
            rollup.theme_id, key.label("key"),
            func.sum(rollup.n).filter(selected),
            func.sum(rollup.n).filter(counted),
            *(func.sum(rollup.n).filter(selected, rollup.kind == kind.value)
              for kind in FeedbackKind),
            func.sum(rollup.negative).filter(selected),
            func.sum(rollup.neutral).filter(selected),
            func.sum(rollup.positive).filter(selected),
            func.sum(rollup.polarity_sum).filter(selected),
        )
        .outerjoin(Cohort, Cohort.id == rollup.cohort_id)
        .where(rollup.establishment_id.in_(f.establishment_ids), selected)
        .group_by(rollup.theme_id, *([key] if by else []))
    )
    if by == "role_group":
        stmt = stmt.where(~_observed(rollup))
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
        protections[group_key] = _protection(f, shown, raw.get(group_key, 0),
                                             pending.get(group_key, 0), observed=total - shown)
    selection = _protection(f, sum(w[1] for w in wholes.values()), sum(raw.values()),
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
        total, responses, by_kind, _ = wholes.get(group_key, (0, 0, dict.fromkeys(kinds, 0),
                                                              None))
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
        groups.append(Group(group_key, protection, total, responses, by_kind, figures))
    return ThemeBreakdown(by, selection, groups, ordered)


def _raw_feedback(f: SummaryFilter, by: str | None) -> tuple[dict, dict]:
    """Anonymous comments per group as they are (all, and not yet cut): never shown, only
    compared with what the cohorts show, to say that some are withheld."""
    rollup = FeedbackRollup
    key = _feedback_key(by, raw=True)
    anonymous = rollup.kind.in_([kind.value for kind in ANONYMOUS_KINDS])
    rows = db.session.execute(
        select(key.label("key"), func.sum(rollup.n), func.sum(rollup.n).filter(_pending(f, rollup)))
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


def sector_labels(sector_ids: list[int], locale: str) -> dict[int, str]:
    """"Sector — site" for each sector id of a breakdown (0: no sector given)."""
    from feedback.models import Sector, Site

    rows = db.session.execute(
        select(Sector.id, Sector.name_fr, Sector.name_en, Site.name)
        .join(Site, Site.id == Sector.site_id).where(Sector.id.in_(sector_ids))
    )
    labels = {ident: f"{name_en if locale == 'en' else name_fr} — {site}"
              for ident, name_fr, name_en, site in rows}
    return labels


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


# --- Survey items and the recommend score ---------------------------------------------------

@dataclass(frozen=True)
class ItemScore:
    """One 1–5 agreement item: its mean and the number of answers at each value."""

    item: str
    protection: Protection
    answers: int | None = None
    mean: float | None = None
    distribution: tuple[int, int, int, int, int] | None = None  # answers at 1, 2, 3, 4, 5

    @property
    def shares(self) -> tuple[float, ...] | None:
        if self.distribution is None or not self.answers:
            return None
        return tuple(count / self.answers for count in self.distribution)


@dataclass(frozen=True)
class RecommendScore:
    """The NPS-style score: % promoters (9–10) minus % detractors (0–6), from −100 to 100."""

    protection: Protection
    answers: int | None = None
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None

    @property
    def score(self) -> float | None:
        if not self.answers or self.promoters is None or self.detractors is None:
            return None
        return 100 * (self.promoters - self.detractors) / self.answers


@dataclass(frozen=True)
class SurveyScores:
    """Survey responses of a group: how many, the recommend score, each item."""

    key: object  # None (the whole selection), or a role group, a week, a campaign id...
    protection: Protection
    responses: int | None = None
    recommend: RecommendScore | None = None
    items: list[ItemScore] | None = None

    @property
    def suppressed(self) -> bool:
        return self.protection.suppressed


def _response_key(by: str | None, raw: bool):
    rollup = ResponseRollup
    if by is None:
        return sa.null()
    if by == "week":
        return rollup.week
    if raw:
        return {
            "campaign": rollup.campaign_id, "phase": rollup.phase, "sector": rollup.sector_id,
            "role_group": sa.case((rollup.role == WriterRole.PHYSICIAN.value, "physician"),
                                  else_="other"),
        }[by]
    return {"campaign": Cohort.campaign_id, "phase": Cohort.phase, "sector": Cohort.sector_id,
            "role_group": Cohort.role_group}[by]


def survey_scores(f: SummaryFilter, by: str | None = None) -> list[SurveyScores]:
    """Responses, items and recommend score, overall or per role group, campaign, week, phase
    or sector (0: none given).

    One GROUP BY over the response rollup and its cohorts. Each measure sums only the cohorts
    where at least the threshold's number of responses gave it: the recommend score (which is
    optional) and each item have their own count, so no figure rests on fewer answers.
    """
    rollup = ResponseRollup
    counted = and_(*cohort_clauses(f, anonymity.RESPONSES))
    whole = rollup.item == WHOLE_RESPONSE
    scored = and_(whole, Cohort.scored >= f.threshold)
    answered = and_(~whole, CohortItem.n >= f.threshold)
    key = _response_key(by, raw=False)
    rows = db.session.execute(
        select(
            rollup.item, key.label("key"),
            func.sum(rollup.n).filter(whole),
            func.sum(rollup.scored).filter(scored),
            *(func.sum(getattr(rollup, name)).filter(scored)
              for name in ("promoters", "passives", "detractors")),
            func.sum(rollup.n).filter(answered),
            func.sum(rollup.total).filter(answered),
            *(func.sum(getattr(rollup, f"v{value}")).filter(answered) for value in range(1, 6)),
        )
        .join(Cohort, Cohort.id == rollup.cohort_id)
        .outerjoin(CohortItem, and_(CohortItem.cohort_id == Cohort.id,
                                    CohortItem.item == rollup.item))
        .where(rollup.establishment_id.in_(f.establishment_ids), counted)
        .group_by(rollup.item, *([key] if by else []))
    ).all()
    wholes: dict = {}
    items: dict = {}
    for item, group_key, n, answers, promoters, passives, detractors, item_n, total, *values \
            in rows:
        if by and group_key is None:
            continue
        if item == WHOLE_RESPONSE:
            wholes[group_key] = (n or 0, answers or 0, promoters or 0, passives or 0,
                                 detractors or 0)
        elif item_n:
            items[(item, group_key)] = (item_n, total or 0, tuple(v or 0 for v in values))

    raw, pending = {}, {}
    key_raw = _response_key(by, raw=True)
    for group_key, n, waiting in db.session.execute(
            select(key_raw.label("key"), func.sum(rollup.n),
                   func.sum(rollup.n).filter(_pending(f, rollup)))
            .where(*filter_clauses(f, rollup), whole)
            .group_by(*([key_raw] if by else []))):
        raw[group_key], pending[group_key] = n or 0, waiting or 0

    if by is None:
        keys = [None]
    elif by == "role_group":
        keys = list(ROLE_GROUPS)
    elif by == "week":
        keys = f.scope.weeks()
    elif by == "phase":
        keys = list(PHASES) if f.phase is None else [f.phase]
    else:
        keys = sorted({k for k, figures in wholes.items() if figures[0]}
                      | {k for k, n in raw.items() if n})
    item_codes = sorted({code for code, _ in items})

    result = []
    for group_key in keys:
        n, answers, promoters, passives, detractors = wholes.get(group_key, (0, 0, 0, 0, 0))
        protection = _protection(f, n, raw.get(group_key, 0), pending.get(group_key, 0))
        if protection.suppressed:
            result.append(SurveyScores(group_key, protection))
            continue
        recommend = (RecommendScore(Protection(f.threshold), answers, promoters, passives,
                                    detractors) if answers
                     else RecommendScore(Protection(f.threshold, Hidden.SMALL)))
        scores = []
        for code in item_codes:
            found = items.get((code, group_key))
            if found is None:
                continue
            item_n, total, distribution = found
            scores.append(ItemScore(code, Protection(f.threshold), item_n, total / item_n,
                                    distribution))
        result.append(SurveyScores(group_key, protection, n, recommend, scores))
    return result


@dataclass(frozen=True)
class CampaignResponses:
    campaign: Campaign
    protection: Protection
    responses: int | None = None


def campaign_responses(f: SummaryFilter) -> list[CampaignResponses]:
    """Responses per campaign within the selection, oldest campaign first."""
    groups = survey_scores(f, by="campaign")
    campaigns = {c.id: c for c in db.session.scalars(
        select(Campaign).where(Campaign.id.in_([g.key for g in groups])))}
    return sorted(
        (CampaignResponses(campaigns[g.key], g.protection, g.responses) for g in groups
         if g.key in campaigns),
        key=lambda row: (row.campaign.opens_on, row.campaign.id),
    )


# --- Comments: representative ones, and what a listing of the selection may show ------------

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
    result = []
    for theme in overall.themes:
        figure = group.theme(theme.id)
        hidden = (group.suppressed or figure is None or figure.sentiment is None)
        sentiment = figure.sentiment.dominant if figure and figure.sentiment else None
        stmt = (
            select(Feedback)
            .where(_shown(f), _has_theme(theme.id))
            .order_by(*LISTING_ORDER)
            .limit(per_theme)
            .options(selectinload(Feedback.themes).selectinload(FeedbackTheme.theme),
                     selectinload(Feedback.sector), selectinload(Feedback.cohort))
        )
        if sentiment is not None:
            stmt = stmt.where(Feedback.sentiment == sentiment)
        if hidden:
            stmt = stmt.where(Feedback.kind.not_in(ANONYMOUS_KINDS))
        result.append(ThemeComments(theme, sentiment, list(db.session.scalars(stmt)), hidden))
    return result


def _has_theme(theme_id: int) -> sa.ColumnElement[bool]:
    return select(FeedbackTheme.feedback_id).where(
        FeedbackTheme.feedback_id == Feedback.id, FeedbackTheme.theme_id == theme_id
    ).exists()


# Newest first. Anonymous comments are stored at the start of their week and ordered among
# themselves by their random reference: nothing in a list places one within its week.
LISTING_ORDER = (Feedback.created_at.desc(), Feedback.ref)


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
        select(func.sum(rollup.n), func.sum(rollup.n).filter(_pending(f, rollup)))
        .where(*filter_clauses(f, rollup), anonymous, whole)).one()
    shown = db.session.scalar(
        select(func.sum(rollup.n)).join(Cohort, Cohort.id == rollup.cohort_id)
        .where(rollup.establishment_id.in_(f.establishment_ids), whole,
               *cohort_clauses(f, anonymity.COMMENTS)))
    return ListingRules(_protection(f, shown or 0, raw or 0, pending or 0))


def listing(f: SummaryFilter, theme_id: int | None = None,
            sentiment: SentimentLabel | None = None) -> Select:
    """The selection's feedback, newest first: observations, and its cohorts' comments."""
    stmt = select(Feedback).where(_shown(f))
    if theme_id is not None:
        stmt = stmt.where(_has_theme(theme_id))
    if sentiment is not None:
        stmt = stmt.where(Feedback.sentiment == sentiment)
    return stmt.order_by(*LISTING_ORDER)


# --- Establishments side by side ------------------------------------------------------------

# An establishment's managers see the rest of the network only pooled, and only when the pool
# holds at least this many other establishments: fewer would give one of them away.
NETWORK_POOL_MINIMUM = 3


@dataclass(frozen=True)
class EstablishmentFigures:
    """The comparison's column: one establishment, or several pooled (establishment None)."""

    establishment: Establishment | None
    pooled: int  # how many establishments the figures cover
    filter: SummaryFilter
    themes: ThemeBreakdown
    scores: SurveyScores
    kpis: IssueKpis


def establishment_figures(f: SummaryFilter,
                          establishment: Establishment | None = None) -> EstablishmentFigures:
    """Volumes, theme shares and sentiment, survey scores and issue KPIs of a filter's scopes."""
    return EstablishmentFigures(
        establishment=establishment,
        pooled=len(f.scopes),
        filter=f,
        themes=theme_breakdown(f),
        scores=survey_scores(f)[0],
        kpis=pooled_issue_kpis([issue_kpis([scope.establishment_id], scope.start, scope.end)
                                for scope in f.scopes]),
    )


def pooled_issue_kpis(parts: list[IssueKpis]) -> IssueKpis:
    """Several establishments' KPIs added up (a median does not add up: it is left out)."""
    if len(parts) == 1:
        return parts[0]
    backlog: dict[int, list] = {}
    for part in parts:
        for row in part.backlog_by_theme:
            entry = backlog.setdefault(row.theme.id, [row.theme, 0, 0])
            entry[1] += row.open
            entry[2] += row.priority

    def total(name: str) -> int:
        return sum(getattr(part, name) for part in parts)

    return IssueKpis(
        start=min(part.start for part in parts), end=max(part.end for part in parts),
        received=total("received"), resolved=total("resolved"), duplicates=total("duplicates"),
        priority_received=total("priority_received"),
        priority_resolved=total("priority_resolved"),
        priority_resolved_within_24h=total("priority_resolved_within_24h"),
        priority_waiting=total("priority_waiting"), median_hours_to_resolution=None,
        backlog=total("backlog"),
        backlog_by_theme=sorted((ThemeBacklog(theme, n, p) for theme, n, p in backlog.values()),
                                key=lambda row: (-row.open, row.theme.code)),
        backlog_without_theme=total("backlog_without_theme"),
    )
