"""What changed this week, for a manager's first screen: the few things worth a click.

Emerging themes come from the home page's counts (observations and whole cohorts of anonymous
comments, as every figure); the rest is the command centre's and the managers' own work.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from feedback.extensions import db
from feedback.insights.overview import week_theme_counts
from feedback.issues import OPEN_STATUSES
from feedback.issues.kpis import PRIORITY_LEVELS, within
from feedback.models import Establishment, Issue, Learning, LearningStatus, Theme
from feedback.surveys.schedule import due_pulses

MOST = 5
# A theme "emerges" when its week holds at least this many more mentions than the week before,
# and at least half as many again.
EMERGING_RISE = 3
PRIORITY_TARGET = timedelta(hours=24)  # the command centre's target for P1/P2 issues


@dataclass(frozen=True)
class EmergingTheme:
    theme: Theme
    count: int
    before: int


@dataclass(frozen=True)
class Breached:
    count: int  # open P1/P2 issues past their 24-hour target
    oldest: Issue


@dataclass(frozen=True)
class WeekChanges:
    """At most MOST things, most pressing first: ("breached", Breached), ("theme",
    EmergingTheme), ("learning", Learning) drafts whose change is done, ("pulse", Pulse)."""

    week: date  # the Monday of the last finished week
    items: list[tuple[str, object]]


def emerging_themes(establishment_ids: list[int] | None, week: date,
                    default_threshold: int) -> list[EmergingTheme]:
    """Themes mentioned clearly more in `week` than in the week before, the strongest rise first."""
    now = {row.theme.id: row
           for row in week_theme_counts(establishment_ids, week, default_threshold)}
    before = {row.theme.id: row.count for row in week_theme_counts(
        establishment_ids, week - timedelta(days=7), default_threshold)}
    rising = [EmergingTheme(row.theme, row.count, before.get(ident, 0))
              for ident, row in now.items()
              if row.count - before.get(ident, 0) >= EMERGING_RISE
              and row.count >= 1.5 * before.get(ident, 0)]
    return sorted(rising, key=lambda t: (-(t.count - t.before), t.theme.code))


def week_changes(establishments: list[Establishment], establishment_ids: list[int] | None,
                 week: date, default_threshold: int, today: date, now: datetime) -> WeekChanges:
    """The week's changes for some establishments (ids None: the whole network)."""
    late = (select(Issue).where(Issue.status.in_(OPEN_STATUSES),
                                Issue.priority.in_(PRIORITY_LEVELS),
                                Issue.created_at < now - PRIORITY_TARGET))
    late = within(late, Issue.establishment_id, establishment_ids)
    breached = db.session.scalar(select(func.count()).select_from(late.subquery()))
    oldest = db.session.scalar(late.order_by(Issue.created_at, Issue.id).limit(1))
    learnings = list(db.session.scalars(within(
        select(Learning).where(Learning.status == LearningStatus.DRAFT,
                               Learning.action != "", Learning.action_on <= today),
        Learning.establishment_id, establishment_ids)
        .order_by(Learning.action_on, Learning.id).limit(MOST)))
    items: list[tuple[str, object]] = []
    if breached and oldest is not None:
        items.append(("breached", Breached(breached, oldest)))
    items += [("theme", theme) for theme in
              emerging_themes(establishment_ids, week, default_threshold)[:2]]
    items += [("pulse", pulse) for pulse in due_pulses(establishments, today)[:1]]
    items += [("learning", learning) for learning in learnings]
    return WeekChanges(week=week, items=items[:MOST])
