"""Read-side aggregates, computed in SQL, returned as small dataclasses."""

import enum
import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import Float, Select, and_, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.functions import FunctionElement

from .clock import local_day_start
from .extensions import db
from .models import (
    Campaign,
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
    SurveyResponse,
    Theme,
    WriterRole,
    issue_theme,
)
from .rollups import NO_SECTOR, WHOLE_FEEDBACK, WHOLE_RESPONSE, monday

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


@dataclass(frozen=True)
class CampaignActivity:
    total: int
    per_day: list[tuple[date, int]]  # days with at least one response, oldest first


def campaign_activity(campaign_ids: list[int]) -> dict[int, CampaignActivity]:
    """Responses per campaign and per day, for the managers' campaign list."""
    rows = db.session.execute(
        select(SurveyResponse.campaign_id, SurveyResponse.submitted_on, func.count())
        .where(SurveyResponse.campaign_id.in_(campaign_ids))
        .group_by(SurveyResponse.campaign_id, SurveyResponse.submitted_on)
        .order_by(SurveyResponse.campaign_id, SurveyResponse.submitted_on)
    )
    per_day: dict[int, list[tuple[date, int]]] = {}
    for campaign_id, day, count in rows:
        per_day.setdefault(campaign_id, []).append((day, count))
    return {
        campaign_id: CampaignActivity(sum(n for _, n in days), days)
        for campaign_id, days in per_day.items()
    }


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


# --- Managers' summaries (issue 6): one filter, the anonymity threshold, the aggregates -------
#
# Everything below reads the rollups (see rollups.py): feedback and survey responses counted per
# establishment, Québec week and dimension. Periods are whole Québec weeks, Monday to Sunday, so
# two periods never differ by less than a week of responses.

# Unsigned words of staff. Observations are signed by the super-user who logged them: they follow
# the normal access rules and never count towards (nor are hidden by) the anonymity threshold.
ANONYMOUS_KINDS = (FeedbackKind.SURVEY, FeedbackKind.IMPORT)
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

    @property
    def establishment_ids(self) -> list[int]:
        return [scope.establishment_id for scope in self.scopes]

    @property
    def scope(self) -> Scope:
        """The period of a single-establishment filter."""
        return self.scopes[0]

    def dimensions(self, *, responses: bool = False) -> tuple[str, ...]:
        """The dimensions this filter narrows: the period always, then whichever are set."""
        narrowed = [name for name, value in (("phase", self.phase), ("role", self.role),
                                             ("sector", self.sector_id), ("kind", self.kind))
                    if value is not None]
        if responses and self.kind is FeedbackKind.SURVEY:
            narrowed.remove("kind")  # every response is a survey: narrowing to them is no-op
        return ("period", *narrowed)


def anonymity_threshold(establishments: list[Establishment]) -> int:
    """The threshold of an establishment (its own or the deployment's); pooled: the strictest."""
    from .administration import effective_threshold

    default = current_app.config.get("ANONYMITY_THRESHOLD", 5)
    return max((effective_threshold(e, default) for e in establishments), default=default)


def week_span(first_day: date, last_day: date) -> tuple[date, date]:
    """The Mondays of the whole weeks covering two days (inclusive), in order."""
    first, last = sorted((first_day, last_day))
    return monday(first), monday(last)


def summary_filter(establishment: Establishment, first_day: date, last_day: date, *,
                   phase: int | None = None, role: WriterRole | None = None,
                   sector_id: int | None = None, kind: FeedbackKind | None = None,
                   threshold: int | None = None) -> SummaryFilter:
    """The filter of one establishment's summary, its period widened to whole weeks."""
    first_week, last_week = week_span(first_day, last_day)
    return SummaryFilter(
        scopes=(Scope(establishment.id, first_week, last_week),),
        threshold=threshold if threshold is not None else anonymity_threshold([establishment]),
        phase=phase, role=role, sector_id=sector_id, kind=kind,
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


def filter_clauses(f: SummaryFilter, source: type, *, relax: frozenset[str] = frozenset()
                   ) -> list[sa.ColumnElement[bool]]:
    """The one place a summary filter becomes SQL: for either rollup or for raw feedback.

    `relax` names dimensions to leave out, to count the wider groups the anonymity guard
    compares the selection with.
    """
    raw = source is Feedback
    clauses: list[sa.ColumnElement[bool]] = []
    if "period" in relax:
        clauses.append(source.establishment_id.in_(f.establishment_ids))
    else:
        clauses.append(or_(*(
            and_(source.establishment_id == scope.establishment_id,
                 *((source.created_at >= scope.start, source.created_at < scope.end) if raw
                   else (source.week.between(scope.first_week, scope.last_week),)))
            for scope in f.scopes
        )))
    if f.phase is not None and "phase" not in relax:
        clauses.append(source.phase == f.phase)
    if f.role is not None and "role" not in relax:
        clauses.append(source.role == (f.role if raw else f.role.value))
    if f.sector_id is not None and "sector" not in relax:
        clauses.append(source.sector_id == f.sector_id)
    if f.kind is not None and "kind" not in relax:
        if source is ResponseRollup:
            if f.kind is not FeedbackKind.SURVEY:
                clauses.append(sa.false())
        else:
            clauses.append(source.kind == (f.kind if raw else f.kind.value))
    return clauses


# --- The anonymity threshold ----------------------------------------------------------------

class Hidden(enum.StrEnum):
    """Why a figure is not shown."""

    SMALL = "small"  # it rests on fewer survey responses than the threshold
    DIFFERENCE = "difference"  # a wider selection minus this one would be such a small group
    COMPLEMENT = "complement"  # with the total, it would give away a hidden neighbour
    SELECTION = "selection"  # the whole selection is hidden


@dataclass(frozen=True)
class Protection:
    """Whether figures about a group may be shown. Holds no count: a hidden count is a figure."""

    threshold: int
    hidden: Hidden | None = None

    @property
    def suppressed(self) -> bool:
        return self.hidden is not None


def _relaxations(dimensions: tuple[str, ...]) -> list[frozenset[str]]:
    """Every subset of the dimensions, the empty one (the selection itself) first."""
    return [frozenset(combination) for size in range(len(dimensions) + 1)
            for combination in itertools.combinations(dimensions, size)]


def _judge(threshold: int, own: int, wider: list[int]) -> Hidden | None:
    """Hide a group of 1 to N−1 responses, or one a wider group exceeds by 1 to N−1.

    A group without any anonymous response (observations only) reveals nobody: a wider group
    exceeding it by 1 to N−1 is itself that small, hence hidden.
    """
    if own == 0:
        return None
    if own < threshold:
        return Hidden.SMALL
    if any(0 < other - own < threshold for other in wider):
        return Hidden.DIFFERENCE
    return None


def _complete(threshold: int, counts: dict, hidden: dict) -> dict:
    """Hide more groups of a partition until the hidden ones cannot be worked out from the total.

    With the total shown, the hidden groups together are known: they must be at least two and
    hold at least `threshold` responses between them (or none are hidden).
    """
    hidden = dict(hidden)
    while True:
        concealed = [key for key, reason in hidden.items() if reason and counts[key] > 0]
        if not concealed or (len(concealed) >= 2
                             and sum(counts[key] for key in concealed) >= threshold):
            return hidden
        visible = [key for key, reason in hidden.items() if not reason and counts[key] > 0]
        if not visible:
            return hidden
        smallest = min(visible, key=lambda key: (counts[key], str(key)))
        hidden[smallest] = Hidden.COMPLEMENT


def _protections(threshold: int, lattice: dict, relaxations: list[frozenset[str]],
                 selection: Hidden | None) -> dict:
    """Protection of each group of a partition of the selection, from its counted lattice.

    `lattice[key][relaxation]` holds the anonymous responses of the group `key` with those
    dimensions relaxed; summed over the keys, it gives the selection's own lattice.
    """
    whole = {relaxed: sum(counts[relaxed] for counts in lattice.values())
             for relaxed in relaxations}
    hidden = {}
    for key, counts in lattice.items():
        if selection:
            hidden[key] = Hidden.SELECTION
            continue
        wider = [counts[relaxed] for relaxed in relaxations[1:]] + list(whole.values())
        hidden[key] = _judge(threshold, counts[frozenset()], wider)
    if not selection:
        hidden = _complete(threshold, {key: counts[frozenset()] for key, counts
                                       in lattice.items()}, hidden)
    return {key: Protection(threshold, reason) for key, reason in hidden.items()}


def _lattice_sums(measure, f: SummaryFilter, source: type, relaxations, *extra):
    return [func.sum(measure).filter(and_(*filter_clauses(f, source, relax=relaxed), *extra))
            for relaxed in relaxations]


def _selection_judgement(f: SummaryFilter, whole: dict, relaxations) -> Hidden | None:
    return _judge(f.threshold, whole[frozenset()], [whole[r] for r in relaxations[1:]])


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


def _feedback_keys(by: str | None):
    rollup = FeedbackRollup
    return {
        None: sa.null(),
        "week": rollup.week,
        "phase": rollup.phase,
        "sector": rollup.sector_id,
        "role_group": sa.case((rollup.role == WriterRole.PHYSICIAN.value, "physician"),
                              else_="other"),
    }[by]


def theme_breakdown(f: SummaryFilter, by: str | None = None) -> ThemeBreakdown:
    """Feedback per theme (count, share, sentiment), overall or per week, phase, sector or role.

    One GROUP BY over the establishment's rollup rows. `by="role_group"` compares physicians
    with other staff, on staff's own words (survey and imported comments): an observation is
    filed under the super-user who logged it.
    """
    rollup = FeedbackRollup
    selected = and_(*filter_clauses(f, rollup))
    anonymous = rollup.kind.in_([kind.value for kind in ANONYMOUS_KINDS])
    relaxations = _relaxations(f.dimensions())
    key = _feedback_keys(by)
    stmt = (
        select(
            rollup.theme_id, key.label("key"),
            func.sum(rollup.n).filter(selected),
            func.sum(rollup.n).filter(selected, anonymous),
            *(func.sum(rollup.n).filter(selected, rollup.kind == kind.value)
              for kind in FeedbackKind),
            func.sum(rollup.negative).filter(selected),
            func.sum(rollup.neutral).filter(selected),
            func.sum(rollup.positive).filter(selected),
            func.sum(rollup.polarity_sum).filter(selected),
            *_lattice_sums(rollup.n, f, rollup, relaxations, anonymous,
                           rollup.theme_id == WHOLE_FEEDBACK),
        )
        .where(rollup.establishment_id.in_(f.establishment_ids))
        .group_by(rollup.theme_id, *([key] if by else []))
    )
    if by == "role_group":
        stmt = stmt.where(rollup.kind != FeedbackKind.OBSERVATION.value)
    rows = db.session.execute(stmt).all()

    kinds = list(FeedbackKind)
    wholes: dict = {}
    themed: dict = {}
    lattice: dict = {}
    for row in rows:  # aggregated rows: (theme or whole) × group key
        theme_id, group_key = row[0], row[1]
        values = [value or 0 for value in row[2:]]
        total, responses = values[0], values[1]
        by_kind = dict(zip(kinds, values[2:2 + len(kinds)], strict=True))
        negative, neutral, positive, polarity = values[2 + len(kinds):6 + len(kinds)]
        figures = (total, responses, by_kind, Sentiment(negative, neutral, positive,
                                                        polarity / total if total else 0.0))
        if theme_id == WHOLE_FEEDBACK:
            wholes[group_key] = figures
            lattice[group_key] = dict(zip(relaxations, values[6 + len(kinds):], strict=True))
        else:
            themed[(theme_id, group_key)] = figures

    keys = _group_keys(f, by, wholes)
    for group_key in keys:
        lattice.setdefault(group_key, dict.fromkeys(relaxations, 0))
    whole_lattice = {relaxed: sum(counts[relaxed] for counts in lattice.values())
                     for relaxed in relaxations}
    selection = _selection_judgement(f, whole_lattice, relaxations)
    # Only the groups inside the selection are shown; the others only counted towards the total.
    protections = _protections(f.threshold, {k: lattice[k] for k in keys}, relaxations, selection)

    # Only themes mentioned in groups that are shown are listed: a theme row whose only mentions
    # sit in hidden groups would say what those few people wrote about.
    theme_totals: dict[int, int] = {}
    for (theme_id, group_key), (total, *_rest) in themed.items():
        if group_key in protections and not protections[group_key].suppressed:
            theme_totals[theme_id] = theme_totals.get(theme_id, 0) + total
    themes = {theme.id: theme for theme in db.session.scalars(
        select(Theme).where(Theme.id.in_([t for t, n in theme_totals.items() if n])))}
    ordered = sorted(themes.values(), key=lambda t: (-theme_totals[t.id], t.code))

    groups = []
    for group_key in keys:
        protection = protections[group_key]
        total, responses, by_kind, _ = wholes.get(group_key, (0, 0, dict.fromkeys(kinds, 0),
                                                              None))
        if protection.suppressed:
            groups.append(Group(group_key, protection))
            continue
        figures = {}
        for theme in ordered:
            count, theme_responses, _, sentiment = themed.get(
                (theme.id, group_key), (0, 0, None, Sentiment(0, 0, 0, 0.0)))
            hidden = Hidden.SMALL if 0 < theme_responses < f.threshold else None
            figures[theme.id] = ThemeFigure(
                theme=theme, count=count, share=count / total if total else 0.0,
                responses=theme_responses, sentiment=None if hidden else sentiment,
                sentiment_protection=Protection(f.threshold, hidden),
            )
        groups.append(Group(group_key, protection, total, responses, by_kind, figures))
    return ThemeBreakdown(by, Protection(f.threshold, selection), groups, ordered)


def _group_keys(f: SummaryFilter, by: str | None, found: dict) -> list:
    """The groups a breakdown shows, empty ones included where their absence would mislead."""
    if by is None:
        return [None]
    if by == "week":
        return f.scope.weeks()
    if by == "phase":
        return list(PHASES) if f.phase is None else [f.phase]
    if by == "role_group":
        return list(ROLE_GROUPS)
    return sorted(key for key, (total, *_) in found.items() if total)


def sector_labels(sector_ids: list[int], locale: str) -> dict[int, str]:
    """"Sector — site" for each sector id of a breakdown (0: no sector given)."""
    from .models import Sector, Site

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


def _response_keys(by: str | None):
    rollup = ResponseRollup
    return {
        None: sa.null(),
        "campaign": rollup.campaign_id,
        "week": rollup.week,
        "phase": rollup.phase,
        "sector": rollup.sector_id,
        "role_group": sa.case((rollup.role == WriterRole.PHYSICIAN.value, "physician"),
                              else_="other"),
    }[by]


def survey_scores(f: SummaryFilter, by: str | None = None) -> list[SurveyScores]:
    """Responses, items and recommend score, overall or per role group, campaign, week, phase
    or sector (0: none given).

    One GROUP BY over the response rollup; the anonymity unit here is the survey response.
    """
    rollup = ResponseRollup
    selected = and_(*filter_clauses(f, rollup))
    whole = rollup.item == WHOLE_RESPONSE
    relaxations = _relaxations(f.dimensions(responses=True))
    key = _response_keys(by)
    measures = ("n", "scored", "total", "v1", "v2", "v3", "v4", "v5", "promoters", "passives",
                "detractors")
    rows = db.session.execute(
        select(
            rollup.item, key.label("key"),
            *(func.sum(getattr(rollup, name)).filter(selected) for name in measures),
            *_lattice_sums(rollup.n, f, rollup, relaxations, whole),
        )
        .where(rollup.establishment_id.in_(f.establishment_ids))
        .group_by(rollup.item, *([key] if by else []))
    ).all()
    wholes: dict = {}
    items: dict = {}
    lattice: dict = {}
    for row in rows:
        values = [value or 0 for value in row[2:]]
        figures = dict(zip(measures, values[:len(measures)], strict=True))
        if row[0] == WHOLE_RESPONSE:
            wholes[row[1]] = figures
            lattice[row[1]] = dict(zip(relaxations, values[len(measures):], strict=True))
        elif figures["n"]:
            items[(row[0], row[1])] = figures

    if by is None:
        keys = [None]
    elif by == "role_group":
        keys = list(ROLE_GROUPS)
    elif by == "week":
        keys = f.scope.weeks()
    elif by == "phase":
        keys = list(PHASES) if f.phase is None else [f.phase]
    else:
        keys = sorted(k for k, figures in wholes.items() if figures["n"])
    for group_key in keys:
        lattice.setdefault(group_key, dict.fromkeys(relaxations, 0))
    whole_lattice = {relaxed: sum(counts[relaxed] for counts in lattice.values())
                     for relaxed in relaxations}
    selection = _selection_judgement(f, whole_lattice, relaxations)
    protections = _protections(f.threshold, {k: lattice[k] for k in keys}, relaxations,
                               selection)
    item_codes = sorted({code for code, _ in items})

    result = []
    for group_key in keys:
        protection = protections[group_key]
        if protection.suppressed:
            result.append(SurveyScores(group_key, protection))
            continue
        figures = wholes.get(group_key) or dict.fromkeys(measures, 0)
        scored = figures["scored"]
        hidden = Hidden.SMALL if 0 < scored < f.threshold else None
        recommend = RecommendScore(Protection(f.threshold, hidden)) if hidden else RecommendScore(
            Protection(f.threshold), scored, figures["promoters"], figures["passives"],
            figures["detractors"])
        scores = []
        for code in item_codes:
            answers = items.get((code, group_key))
            if answers is None:
                continue
            if answers["n"] < f.threshold:
                scores.append(ItemScore(code, Protection(f.threshold, Hidden.SMALL)))
                continue
            scores.append(ItemScore(
                code, Protection(f.threshold), answers["n"], answers["total"] / answers["n"],
                tuple(answers[f"v{value}"] for value in range(1, 6)),
            ))
        result.append(SurveyScores(group_key, protection, figures["n"], recommend, scores))
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
        (CampaignResponses(campaigns[g.key], g.protection, g.responses) for g in groups),
        key=lambda row: (row.campaign.opens_on, row.campaign.id),
    )


# --- Comments: representative ones, and what a listing of the selection may show ------------

@dataclass(frozen=True)
class ThemeComments:
    theme: Theme
    sentiment: SentimentLabel | None  # the theme's most frequent sentiment, drawn from
    comments: list[Feedback]
    anonymous_hidden: bool  # survey and imported comments left out (too few responses)


def representative_comments(f: SummaryFilter, overall: ThemeBreakdown,
                            per_theme: int = 3) -> list[ThemeComments]:
    """For each theme, the latest comments carrying its most frequent sentiment.

    `overall` is theme_breakdown(f): its protections decide whether survey and imported
    comments may appear; observations always may.
    """
    group = overall.overall
    result = []
    for theme in overall.themes:
        figure = group.theme(theme.id)
        hidden = (group.suppressed or figure is None or figure.sentiment is None)
        sentiment = figure.sentiment.dominant if figure and figure.sentiment else None
        # Walked newest first along (establishment, created_at), each row's theme checked by
        # its primary key: a few rows read, however many the establishment has.
        stmt = (
            select(Feedback)
            .where(*filter_clauses(f, Feedback), _has_theme(theme.id))
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(per_theme)
            .options(selectinload(Feedback.themes).selectinload(FeedbackTheme.theme),
                     selectinload(Feedback.sector))
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


@dataclass(frozen=True)
class ListingRules:
    """What a list or export of the selection's feedback may show of anonymous comments.

    They appear only when the selection (narrowed by theme and sentiment, if asked) rests on
    enough responses; each then shows its writer's role, or role and sector, only when that many
    anonymous comments of the selection share them. Never the day: filters narrow by week.
    """

    protection: Protection
    roles: frozenset[str]
    role_sectors: frozenset[tuple[str, int]]

    @property
    def anonymous_visible(self) -> bool:
        return not self.protection.suppressed

    def shows_role(self, feedback_role: str) -> bool:
        return feedback_role in self.roles

    def shows_sector(self, feedback_role: str, sector_id: int | None) -> bool:
        return (feedback_role, sector_id or NO_SECTOR) in self.role_sectors


def listing_rules(f: SummaryFilter, theme_id: int | None = None,
                  sentiment: SentimentLabel | None = None) -> ListingRules:
    rollup = FeedbackRollup
    relaxations = _relaxations(f.dimensions())
    anonymous = rollup.kind.in_([kind.value for kind in ANONYMOUS_KINDS])
    whole_rows = rollup.theme_id == WHOLE_FEEDBACK
    lattice = dict(zip(relaxations, (value or 0 for value in db.session.execute(
        select(*_lattice_sums(rollup.n, f, rollup, relaxations, anonymous, whole_rows))
        .where(rollup.establishment_id.in_(f.establishment_ids))
    ).one()), strict=True))
    hidden = _selection_judgement(f, lattice, relaxations)
    measure = rollup.n if sentiment is None else getattr(rollup, sentiment.value)
    narrowed = [rollup.theme_id == (theme_id if theme_id is not None else WHOLE_FEEDBACK)]
    rows = db.session.execute(
        select(rollup.role, rollup.sector_id, func.sum(measure))
        .where(*filter_clauses(f, rollup), anonymous, *narrowed)
        .group_by(rollup.role, rollup.sector_id)
    ).all()
    own = sum(count or 0 for *_, count in rows)
    if not hidden and (theme_id is not None or sentiment is not None):
        hidden = Hidden.SMALL if 0 < own < f.threshold else None
    roles: dict[str, int] = {}
    for role, _, count in rows:
        roles[role] = roles.get(role, 0) + (count or 0)
    return ListingRules(
        protection=Protection(f.threshold, hidden),
        roles=frozenset(role for role, count in roles.items() if count >= f.threshold),
        role_sectors=frozenset((role, sector) for role, sector, count in rows
                               if (count or 0) >= f.threshold),
    )


def listing(f: SummaryFilter, rules: ListingRules, theme_id: int | None = None,
            sentiment: SentimentLabel | None = None) -> Select:
    """The selection's feedback, newest first; anonymous comments only if the rules allow."""
    stmt = select(Feedback).where(*filter_clauses(f, Feedback))
    if theme_id is not None:
        stmt = stmt.where(_has_theme(theme_id))
    if sentiment is not None:
        stmt = stmt.where(Feedback.sentiment == sentiment)
    if not rules.anonymous_visible:
        stmt = stmt.where(Feedback.kind.not_in(ANONYMOUS_KINDS))
    return stmt.order_by(Feedback.created_at.desc(), Feedback.id.desc())


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
