"""The stabilisation board: where the open issues stand against the service levels, and whether
the exit criteria for leaving stabilisation are met. Every figure is one SQL query, on the
conditions of the issue KPIs (kpis.py)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from feedback import audit
from feedback.clock import QUEBEC, local_day_start
from feedback.extensions import db
from feedback.issues import OPEN_STATUSES
from feedback.issues import kpis as kpi
from feedback.models import (
    Establishment,
    Feedback,
    Issue,
    IssueStatus,
    IssueStatusChange,
    Priority,
    SlaSetting,
    User,
    UTCDateTime,
)

# Hours to pick up, hours to resolve. P1 endangers patients or a critical service: someone on it
# within the hour, fixed within the day. P2 blocks work: picked up within a half-shift, fixed
# within three days. P3 is an irritant: seen within a day, fixed within two weeks.
DEFAULT_SLA: dict[Priority, tuple[int, int]] = {
    Priority.P1: (1, 24),
    Priority.P2: (4, 72),
    Priority.P3: (24, 336),
}
MAX_SLA_HOURS = 24 * 90

# (code, from hours, to hours): the board's age columns.
AGE_BUCKETS = (("lt4h", 0, 4), ("4to24h", 4, 24), ("1to3d", 24, 72), ("gt3d", 72, None))

# Exit criteria: the seed's command centres left stabilisation on these.
EXIT_P1_DAYS = 7  # days in a row without a P1 open for more than 24 hours
EXIT_P1_HOURS = 24
EXIT_PRIORITY_RESOLVED = 0.95
EXIT_WITHIN_24H = 0.60
ATTENTION_LIMIT = 20
TOP_LIMIT = 10


# --- Service levels ----------------------------------------------------------------------------

def sla_of(establishment: Establishment) -> dict[Priority, tuple[int, int]]:
    """An establishment's service levels, the defaults where it has not set its own."""
    levels = dict(DEFAULT_SLA)
    for row in db.session.scalars(
            select(SlaSetting).where(SlaSetting.establishment_id == establishment.id)):
        levels[row.priority] = (row.ack_hours, row.resolve_hours)
    return levels


def set_sla(establishment: Establishment, levels: dict[Priority, tuple[int, int]], *,
            actor: User | None) -> bool:
    """Store an establishment's service levels and audit what changed; the caller commits."""
    for ack, resolve in levels.values():
        if not (0 < ack <= resolve <= MAX_SLA_HOURS):
            raise ValueError("each level needs 0 < pick-up hours <= resolution hours")
    before = sla_of(establishment)
    rows = {row.priority: row for row in db.session.scalars(
        select(SlaSetting).where(SlaSetting.establishment_id == establishment.id))}
    changes: dict[str, str] = {}
    for priority, (ack, resolve) in levels.items():
        if before[priority] == (ack, resolve):
            continue
        changes[priority.value] = (f"{before[priority][0]} h/{before[priority][1]} h → "
                                   f"{ack} h/{resolve} h")
        row = rows.get(priority) or SlaSetting(establishment=establishment, priority=priority)
        row.ack_hours, row.resolve_hours = ack, resolve
        row.updated_by_id = actor.id if actor else None
        db.session.add(row)
    if changes:
        db.session.flush()
        audit.record("sla.updated", actor=actor, establishment_id=establishment.id,
                     target=establishment, **changes)
    return bool(changes)


def _default_hours(index: int) -> sa.Case:
    return case(*((Issue.priority == p, hours[index]) for p, hours in DEFAULT_SLA.items()),
                else_=DEFAULT_SLA[Priority.P3][index])


def with_sla(stmt: sa.Select) -> sa.Select:
    """A statement over issues joined to their establishment's service level."""
    return stmt.outerjoin(SlaSetting, (SlaSetting.establishment_id == Issue.establishment_id)
                          & (SlaSetting.priority == Issue.priority))


def ack_hours() -> sa.ColumnElement[int]:
    return func.coalesce(SlaSetting.ack_hours, _default_hours(0))


def resolve_hours() -> sa.ColumnElement[int]:
    return func.coalesce(SlaSetting.resolve_hours, _default_hours(1))


def _at(moment: datetime) -> sa.BindParameter:
    return sa.literal(moment, UTCDateTime())


def age_hours(now: datetime) -> kpi.hours_between:
    return kpi.hours_between(_at(now), Issue.created_at)


def ack_breached(now: datetime) -> sa.ColumnElement[bool]:
    """Open, never picked up, past its pick-up time."""
    return (Issue.status == IssueStatus.NEW) & (age_hours(now) > ack_hours())


def resolve_breached(now: datetime) -> sa.ColumnElement[bool]:
    """Open past its resolution time."""
    return Issue.status.in_(OPEN_STATUSES) & (age_hours(now) > resolve_hours())


# --- The board ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PriorityRow:
    priority: Priority
    ages: dict[str, int]  # AGE_BUCKETS code → open issues
    open: int
    unowned: int
    ack_breached: int  # open now, past pick-up time
    resolve_breached: int  # open now, past resolution time
    resolved_late: int  # resolved since go-live, after the resolution time
    ack_hours: int | None  # None: several establishments with different levels
    resolve_hours: int | None


@dataclass(frozen=True)
class AttentionRow:
    issue: Issue
    age_hours: float
    ack_breached: bool
    resolve_breached: bool


@dataclass(frozen=True)
class TrendDay:
    day: date
    closed: int
    median_hours: float | None


@dataclass(frozen=True)
class ExitCriterion:
    code: str  # "p1", "priority_resolved", "within_24h"
    met: bool
    value: float | int | None  # days in a row, or a share
    first_met: date | None


@dataclass(frozen=True)
class Board:
    now: datetime
    go_live: date
    rows: list[PriorityRow]
    attention: list[AttentionRow]  # breaching their service level, worst first
    unowned: list[AttentionRow]
    top_evidence: list[tuple[Issue, int]]
    trend: list[TrendDay]
    exit: list[ExitCriterion]
    kpis: kpi.IssueKpis

    @property
    def unowned_total(self) -> int:
        return sum(row.unowned for row in self.rows)

    @property
    def breached_total(self) -> int:
        return sum(max(row.ack_breached, row.resolve_breached) for row in self.rows)


def board(establishments: list[Establishment], now: datetime, *,
          network: bool = False) -> Board:
    """The board of these establishments (`network`: all of them, unfiltered)."""
    ids = None if network else [e.id for e in establishments]
    go_live = min((e.go_live for e in establishments), default=now.date())
    start = local_day_start(go_live)
    kpis = kpi.issue_kpis(ids, start, now)  # since go-live: the exit criteria's shares
    return Board(
        now=now, go_live=go_live, rows=_priority_rows(ids, establishments, now, start),
        attention=_attention(ids, now, resolve_breached(now) | ack_breached(now)),
        unowned=_attention(ids, now, Issue.status.in_(OPEN_STATUSES) & Issue.owner_id.is_(None)),
        top_evidence=_top_evidence(ids), trend=_trend(ids, go_live, now),
        exit=_exit_criteria(ids, go_live, now, kpis), kpis=kpis,
    )


def _priority_rows(ids, establishments, now: datetime, start: datetime) -> list[PriorityRow]:
    age = age_hours(now)
    open_ = Issue.status.in_(OPEN_STATUSES)
    buckets = [
        func.count(Issue.id).filter(open_ & (age >= low) & (age < high if high else sa.true()))
        for _code, low, high in AGE_BUCKETS
    ]
    stmt = with_sla(select(
        Issue.priority, *buckets,
        func.count(Issue.id).filter(open_),
        func.count(Issue.id).filter(open_ & Issue.owner_id.is_(None)),
        func.count(Issue.id).filter(ack_breached(now)),
        func.count(Issue.id).filter(resolve_breached(now)),
        func.count(Issue.id).filter(
            kpi.counted_in(_at(start), _at(now)) & kpi.resolved_before(_at(now))
            & (kpi.hours_to_resolution() > resolve_hours())),
    )).group_by(Issue.priority)
    found = {row[0]: row[1:] for row in db.session.execute(
        kpi.within(stmt, Issue.establishment_id, ids))}
    levels = [sla_of(e) for e in establishments]
    rows = []
    for priority in Priority:
        counts = found.get(priority, (0,) * (len(AGE_BUCKETS) + 5))
        shared = {level[priority] for level in levels}
        ack, resolve = shared.pop() if len(shared) == 1 else (None, None)
        n = len(AGE_BUCKETS)
        rows.append(PriorityRow(
            priority=priority, ages={code: counts[i] for i, (code, *_r) in enumerate(AGE_BUCKETS)},
            open=counts[n], unowned=counts[n + 1], ack_breached=counts[n + 2],
            resolve_breached=counts[n + 3], resolved_late=counts[n + 4],
            ack_hours=ack, resolve_hours=resolve,
        ))
    return rows


def _attention(ids, now: datetime, condition) -> list[AttentionRow]:
    """Open issues meeting `condition`: by priority, those nobody owns first, oldest first."""
    stmt = with_sla(select(Issue, age_hours(now), ack_breached(now), resolve_breached(now))) \
        .where(Issue.status.in_(OPEN_STATUSES), condition) \
        .order_by(Issue.priority, Issue.owner_id.is_not(None), Issue.created_at, Issue.id) \
        .limit(ATTENTION_LIMIT)
    return [AttentionRow(issue, float(hours), bool(ack), bool(resolve))
            for issue, hours, ack, resolve in db.session.execute(
                kpi.within(stmt, Issue.establishment_id, ids))]


def _top_evidence(ids) -> list[tuple[Issue, int]]:
    """The open issues most feedback points at."""
    count = func.count(Feedback.id)
    stmt = (select(Issue, count).join(Feedback, Feedback.issue_id == Issue.id)
            .where(Issue.status.in_(OPEN_STATUSES)).group_by(Issue.id)
            .order_by(count.desc(), Issue.priority, Issue.id).limit(TOP_LIMIT))
    return [(issue, n) for issue, n in db.session.execute(
        kpi.within(stmt, Issue.establishment_id, ids))]


class plus_hours(FunctionElement):
    """A UTC timestamp moved by a whole number of hours, on SQLite and PostgreSQL."""

    type = UTCDateTime()
    inherit_cache = True
    name = "plus_hours"


@compiles(plus_hours, "sqlite")
def _plus_hours_sqlite(element, compiler, **kw):
    moment, hours = (compiler.process(arg, **kw) for arg in element.clauses)
    # The text SQLAlchemy stores, microseconds included, so comparisons stay exact.
    return f"(datetime({moment}, ({hours}) || ' hours') || '.000000')"


@compiles(plus_hours, "postgresql")
def _plus_hours_postgresql(element, compiler, **kw):
    moment, hours = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"({moment} + make_interval(hours => ({hours})))"


def _days(go_live: date, now: datetime) -> sa.CTE:
    """Every Québec day from go-live to today: its index n and its UTC bounds [start, end).

    Generated by the database (a recursive count); a day lasts 24 hours, give or take the hour
    of a change to or from daylight saving time, whose days are worked out here.
    """
    last = _last_index(go_live, now)
    origin = local_day_start(go_live)

    def shift(n: int) -> int:  # hours a day's start is off 24 h × n (−1, 0 or 1)
        return round((local_day_start(go_live + timedelta(days=n)) - origin).total_seconds()
                     / 3600) - 24 * n

    # The days where that shift changes, so the SQL needs a handful of values, not one per day.
    changes = [(n, shift(n)) for n in range(1, last + 2) if shift(n) != shift(n - 1)]
    counter = select(sa.literal(0, sa.Integer).label("n")).cte("day_numbers", recursive=True)
    counter = counter.union_all(select(counter.c.n + 1).where(counter.c.n < last))

    def start_of(n) -> plus_hours:
        whens, shifted = [], 0
        for at, value in changes:
            whens.append((n < at, shifted))
            shifted = value
        offset = case(*whens, else_=shifted) if whens else sa.literal(0)
        return plus_hours(sa.literal(origin, UTCDateTime()), n * 24 + offset)

    return select(counter.c.n.label("n"), start_of(counter.c.n).label("start"),
                  start_of(counter.c.n + 1).label("end")).cte("days").prefix_with("MATERIALIZED")


def _last_index(go_live: date, now: datetime) -> int:
    """Today's index among the days since go-live."""
    return max(0, (now.astimezone(QUEBEC).date() - go_live).days)


def _trend(ids, go_live: date, now: datetime) -> list[TrendDay]:
    """Per day since go-live: issues resolved that day, and their median time to resolution."""
    days = _days(go_live, now)
    hours = kpi.hours_to_resolution()
    closed = kpi.within(
        select(days.c.n.label("n"), hours.label("hours"),
               func.row_number().over(partition_by=days.c.n, order_by=hours).label("position"),
               func.count().over(partition_by=days.c.n).label("total"))
        .join(days, (Issue.resolved_at >= days.c.start) & (Issue.resolved_at < days.c.end))
        .where(Issue.status != IssueStatus.DUPLICATE, Issue.resolved_at.is_not(None)),
        Issue.establishment_id, ids).subquery()
    middle = closed.c.position.in_([(closed.c.total + 1) // 2, (closed.c.total + 2) // 2])
    per_day = select(closed.c.n, func.max(closed.c.total).label("total"),
                     func.avg(closed.c.hours).filter(middle).label("median")) \
        .group_by(closed.c.n).subquery()
    rows = db.session.execute(
        select(days.c.n, func.coalesce(per_day.c.total, 0), per_day.c.median)
        .outerjoin(per_day, per_day.c.n == days.c.n).order_by(days.c.n))
    return [TrendDay(go_live + timedelta(days=n), total,
                     float(median) if median is not None else None)
            for n, total, median in rows]


def _closed_at() -> sa.ColumnElement:
    """When an issue stopped being open: resolved, or its last move to another closed status."""
    last_change = (select(func.max(IssueStatusChange.changed_at))
                   .where(IssueStatusChange.issue_id == Issue.id).correlate(Issue)
                   .scalar_subquery())
    return case((Issue.status.in_(OPEN_STATUSES), None),
                else_=func.coalesce(Issue.resolved_at, last_change))


def _exit_criteria(ids, go_live: date, now: datetime,
                   kpis: kpi.IssueKpis) -> list[ExitCriterion]:
    days = _days(go_live, now)
    start = _at(local_day_start(go_live))

    # A day is clean when no P1 was open past 24 hours at any moment of it. The P1s' spans are
    # read once, then set against each day.
    closed_at = _closed_at()
    p1 = kpi.within(
        select(Issue.created_at.label("created_at"), closed_at.label("closed_at"))
        .where(Issue.priority == Priority.P1, Issue.status != IssueStatus.DUPLICATE),
        Issue.establishment_id, ids).cte("p1")
    overdue = select(p1.c.created_at).where(
        kpi.hours_between(days.c.end, p1.c.created_at) > EXIT_P1_HOURS,
        p1.c.closed_at.is_(None)
        | ((kpi.hours_between(p1.c.closed_at, p1.c.created_at) > EXIT_P1_HOURS)
           & (p1.c.closed_at > days.c.start)))
    clean = select(days.c.n).where(~overdue.exists()).subquery()
    # Runs of clean days (gaps and islands): a run's days share n − their rank.
    islands = select(clean.c.n,
                     (clean.c.n - func.row_number().over(order_by=clean.c.n)).label("run")) \
        .subquery()
    ranked = select(islands.c.n,
                    func.row_number().over(partition_by=islands.c.run, order_by=islands.c.n)
                    .label("length")).subquery()
    last = _last_index(go_live, now)
    first_run, current_run = db.session.execute(select(
        func.min(ranked.c.n).filter(ranked.c.length == EXIT_P1_DAYS),
        func.max(ranked.c.length).filter(ranked.c.n == last),
    )).one()
    current_run = current_run or 0

    # The shares of the KPIs, as they stood at the end of each day since go-live: what each day
    # added (issues received, resolved, resolved within 24 h), summed up to it.
    counted = kpi.counted_in(start, days.c.end) & kpi.is_priority()
    that_day = ~kpi.resolved_before(days.c.start)
    added = kpi.within(
        select(days.c.n.label("n"),
               func.count(Issue.id).filter(counted & (Issue.created_at >= days.c.start))
               .label("received"),
               func.count(Issue.id).filter(counted & kpi.resolved_before(days.c.end) & that_day)
               .label("resolved"),
               func.count(Issue.id).filter(counted & kpi.resolved_within_24h(days.c.end)
                                           & that_day).label("within"))
        .select_from(days)
        .join(Issue, ((Issue.created_at >= days.c.start) & (Issue.created_at < days.c.end))
              | ((Issue.resolved_at >= days.c.start) & (Issue.resolved_at < days.c.end)))
        .group_by(days.c.n),
        Issue.establishment_id, ids).subquery()
    running = {name: func.sum(added.c[name]).over(order_by=added.c.n).label(name)
               for name in ("received", "resolved", "within")}
    cumulative = select(added.c.n, *running.values()).subquery()

    def first_day(part, share: float):
        # In whole percents, so both engines compare integers.
        return func.min(cumulative.c.n).filter(
            (cumulative.c.received > 0)
            & (part * 100 >= cumulative.c.received * round(share * 100)))

    first_resolved, first_within = db.session.execute(select(
        first_day(cumulative.c.resolved, EXIT_PRIORITY_RESOLVED),
        first_day(cumulative.c.within, EXIT_WITHIN_24H),
    )).one()

    def day_of(n: int | None) -> date | None:
        return go_live + timedelta(days=n) if n is not None else None

    resolved_share = kpis.priority_resolved_share
    within_share = kpis.priority_within_24h_share
    return [
        ExitCriterion("p1", current_run >= EXIT_P1_DAYS, current_run, day_of(first_run)),
        ExitCriterion("priority_resolved",
                      resolved_share is not None and resolved_share >= EXIT_PRIORITY_RESOLVED,
                      resolved_share, day_of(first_resolved)),
        ExitCriterion("within_24h",
                      within_share is not None and within_share >= EXIT_WITHIN_24H,
                      within_share, day_of(first_within)),
    ]
