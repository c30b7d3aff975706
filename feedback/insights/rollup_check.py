"""The summary tables checked against the rows they count, and repaired where they drifted.

The rollups are a cache kept in step with every write (insights.rollups); code that wrote
around the session, a crash between two statements or a bug would make them drift silently, and
every figure with them. A periodic task recomputes some of them in SQL (the same SELECT that
builds them), compares, rebuilds the weeks that differ and records each repair in the audit
trail: counts only, never a text.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import Connection, select

from feedback.clock import local_day_start
from feedback.insights.rollups import (
    FEEDBACK_KEYS,
    FEEDBACK_MEASURES,
    RESPONSE_KEYS,
    RESPONSE_MEASURES,
    feedback_contributions,
    quebec_week,
    rebuild_week,
    response_contributions,
    week_start,
)
from feedback.models import Feedback, FeedbackRollup, ResponseRollup, SurveyResponse

Unit = tuple[int, date]  # an establishment's Québec week: what is checked and rebuilt together
TOLERANCE = 1e-6  # sums of polarities, added and taken away one at a time


@dataclass(frozen=True)
class Drift:
    """One establishment's week whose rollup rows differ from their recomputation."""

    table: str
    establishment_id: int
    week: date
    rows: int  # rows missing, extra or with other counts


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def all_units(connection: Connection) -> list[Unit]:
    """Every establishment's week held by a rollup or by the rows they count."""
    found: set[Unit] = set()
    for stmt in (select(FeedbackRollup.establishment_id, FeedbackRollup.week).distinct(),
                 select(ResponseRollup.establishment_id, ResponseRollup.week).distinct(),
                 select(Feedback.establishment_id, quebec_week(Feedback.created_at)).distinct(),
                 select(SurveyResponse.establishment_id,
                        week_start(SurveyResponse.submitted_on)).distinct()):
        found |= {(ident, _as_date(week)) for ident, week in connection.execute(stmt)}
    return sorted(found, key=lambda unit: (unit[1], unit[0]))


def sample_units(connection: Connection, today: date, *, recent_weeks: int = 2,
                 older: int = 20, rng: random.Random | None = None) -> list[Unit]:
    """The weeks most written to (the last few), and a random handful of the others."""
    units = all_units(connection)
    since = today - timedelta(days=7 * recent_weeks)
    recent = [unit for unit in units if unit[1] >= since]
    rest = [unit for unit in units if unit[1] < since]
    return recent + (rng or random.Random()).sample(rest, min(older, len(rest)))


def _stored(connection: Connection, table: sa.Table, keys, measures, unit: Unit) -> dict:
    rows = connection.execute(select(*(table.c[k] for k in (*keys, *measures))).where(
        table.c.establishment_id == unit[0], table.c.week == unit[1]))
    return {tuple(_key(row[:len(keys)])): tuple(row[len(keys):]) for row in rows}


def _key(values) -> tuple:
    return tuple(_as_date(v) if i == 1 else v for i, v in enumerate(values))


def _recomputed(connection: Connection, contributions, where, keys) -> dict:
    rows = connection.execute(contributions(where))
    return {_key(row[:len(keys)]): tuple(row[len(keys):]) for row in rows}


def _differing(stored: dict, fresh: dict) -> int:
    def same(a, b) -> bool:
        return all(abs(x - y) <= TOLERANCE if isinstance(x, float) or isinstance(y, float)
                   else x == y for x, y in zip(a, b, strict=True))

    fresh = {key: values for key, values in fresh.items() if values[0]}  # n 0: no row
    stored = {key: values for key, values in stored.items() if values[0]}
    return sum(1 for key in stored.keys() | fresh.keys()
               if key not in stored or key not in fresh or not same(stored[key], fresh[key]))


def check(connection: Connection, units: list[Unit], *, repair: bool) -> list[Drift]:
    """Compare the rollup rows of these weeks with their recomputation; rebuild those that
    differ when `repair`. The caller commits."""
    drifts = []
    for unit in units:
        establishment_id, week = unit
        start, end = local_day_start(week), local_day_start(week + timedelta(days=7))
        differing = False
        for table, contributions, where, keys, measures in (
            (FeedbackRollup.__table__, feedback_contributions,
             sa.and_(Feedback.establishment_id == establishment_id,
                     Feedback.created_at >= start, Feedback.created_at < end),
             FEEDBACK_KEYS, FEEDBACK_MEASURES),
            (ResponseRollup.__table__, response_contributions,
             sa.and_(SurveyResponse.establishment_id == establishment_id,
                     SurveyResponse.submitted_on.between(week, week + timedelta(days=6))),
             RESPONSE_KEYS, RESPONSE_MEASURES),
        ):
            rows = _differing(_stored(connection, table, keys, measures, unit),
                              _recomputed(connection, contributions, where, keys))
            if rows:
                drifts.append(Drift(table.name, establishment_id, week, rows))
                differing = True
        if differing and repair:
            rebuild_week(connection, establishment_id, week)
    return drifts


def record_repairs(drifts: list[Drift]) -> None:
    """Each repaired week in the audit trail (counts only); the caller commits."""
    from feedback import audit

    for drift in drifts:
        audit.record("summaries.repaired", actor=None, establishment_id=drift.establishment_id,
                     table=drift.table, week=drift.week.isoformat(), rows=drift.rows)
