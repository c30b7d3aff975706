"""How the command centre handled its issues: received, resolved, within 24 hours, backlog."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Float, Select, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from feedback.clock import local_day_start
from feedback.extensions import db
from feedback.issues import OPEN_STATUSES
from feedback.models import (
    Issue,
    IssueStatus,
    IssueStatusChange,
    Priority,
    Theme,
    issue_theme,
)

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


# The KPIs' conditions, as SQL expressions of the period's bounds: the stabilisation board
# evaluates them against each day's end (a column) where the KPIs use one moment.

def received_in(start, end) -> ColumnElement[bool]:
    """Issues created in [start, end), duplicates included."""
    return (Issue.created_at >= start) & (Issue.created_at < end)


def counted_in(start, end) -> ColumnElement[bool]:
    """The issues a period's shares divide by: received then, duplicates left out."""
    return received_in(start, end) & (Issue.status != IssueStatus.DUPLICATE)


def resolved_before(end) -> ColumnElement[bool]:
    return Issue.resolved_at.is_not(None) & (Issue.resolved_at < end)


def is_priority() -> ColumnElement[bool]:
    return Issue.priority.in_(PRIORITY_LEVELS)


def hours_to_resolution() -> hours_between:
    return hours_between(Issue.resolved_at, Issue.created_at)


def resolved_within_24h(end) -> ColumnElement[bool]:
    return resolved_before(end) & (hours_to_resolution() < 24)


def issue_kpis(establishment_ids: list[int] | None, start: datetime, end: datetime) -> IssueKpis:
    """The issue KPIs of one or more establishments (None: the whole network) for [start, end)."""
    received = received_in(start, end)
    counted = counted_in(start, end)
    resolved = resolved_before(end)
    priority = is_priority()
    hours = hours_to_resolution()
    counts = db.session.execute(
        within(
            select(
                func.count(Issue.id).filter(counted),
                func.count(Issue.id).filter(counted & resolved),
                func.count(Issue.id).filter(received & (Issue.status == IssueStatus.DUPLICATE)),
                func.count(Issue.id).filter(counted & priority),
                func.count(Issue.id).filter(counted & priority & resolved),
                func.count(Issue.id).filter(counted & priority & resolved_within_24h(end)),
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
    ranked = within(
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
    open_then = within(
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


def within(stmt: Select, column, establishment_ids: list[int] | None) -> Select:
    """A statement limited to some establishments (None: the whole network)."""
    return stmt if establishment_ids is None else stmt.where(column.in_(establishment_ids))
