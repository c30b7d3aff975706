"""Summary tables kept in step with every write, so a summary reads thousands of rows, not millions.

`feedback_rollup` and `response_rollup` (see models) count feedback and survey responses per
establishment, Québec week and dimension. They are a cache: everything in them is computed in SQL
from `feedback`, `feedback_theme`, `survey_response` and `survey_answer`, by the same two SELECTs
whether one row changed or the whole table is rebuilt.

Keeping them in step needs nobody's attention:
- each ORM flush that adds, changes or deletes feedback, theme links, responses or answers applies
  the difference, in the same transaction (read before the flush, read after, upsert the net);
- a bulk statement on those tables run through the session (the retention purge) has the whole
  rollup rebuilt before the transaction commits;
- code writing through a bare connection (the benchmark's bulk load) calls `rebuild()` itself, and
  `flask rebuild-summaries` recomputes everything on demand.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Connection, event, func, literal_column, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from feedback.clock import QUEBEC, local_day_start
from feedback.models import (
    Feedback,
    FeedbackRollup,
    FeedbackTheme,
    ResponseRollup,
    SentimentLabel,
    SurveyAnswer,
    SurveyResponse,
)

# --- Québec weeks in SQL, on both engines ---------------------------------------------------


class quebec_week(FunctionElement):
    """The Monday of the Québec week of a naive-UTC timestamp column, as a date."""

    type = sa.Date()
    inherit_cache = True
    name = "quebec_week"


class week_start(FunctionElement):
    """The Monday of the week of a date column (dates are already Québec days)."""

    type = sa.Date()
    inherit_cache = True
    name = "week_start"


def _sqlite_to_local(compiler, argument, kw) -> list[str]:
    """SQLite knows no time zones: America/Toronto's rule since 2007, written as date modifiers.

    Daylight time runs from the second Sunday of March, 2:00 (7:00 UTC), to the first Sunday of
    November, 2:00 (6:00 UTC). tests/test_rollups.py checks this against the tz database.
    """
    # Processed once per use: a bound parameter must be registered for each placeholder.
    ts = [compiler.process(argument, **kw) for _ in range(4)]
    offset = (
        f"CASE WHEN {ts[1]} >= datetime(strftime('%Y', {ts[2]}) || '-03-01', 'weekday 0', "
        f"'+7 days', '+7 hours') AND {ts[3]} < datetime(strftime('%Y', {ts[3]}) || '-11-01', "
        f"'weekday 0', '+6 hours') THEN '-4 hours' ELSE '-5 hours' END"
    )
    return [ts[0], offset]


@compiles(quebec_week, "sqlite")
def _quebec_week_sqlite(element, compiler, **kw):
    (argument,) = element.clauses
    moment, offset = _sqlite_to_local(compiler, argument, kw)
    # '-6 days' then 'weekday 1' lands on the Monday of the week (the day itself on a Monday).
    return f"date({moment}, {offset}, '-6 days', 'weekday 1')"


@compiles(quebec_week, "postgresql")
def _quebec_week_postgresql(element, compiler, **kw):
    (argument,) = element.clauses
    moment = compiler.process(argument, **kw)
    return (f"CAST(date_trunc('week', ({moment}) AT TIME ZONE 'UTC' AT TIME ZONE "
            f"'America/Toronto') AS DATE)")


@compiles(week_start, "sqlite")
def _week_start_sqlite(element, compiler, **kw):
    (argument,) = element.clauses
    return f"date({compiler.process(argument, **kw)}, '-6 days', 'weekday 1')"


@compiles(week_start, "postgresql")
def _week_start_postgresql(element, compiler, **kw):
    (argument,) = element.clauses
    return f"CAST(date_trunc('week', {compiler.process(argument, **kw)}) AS DATE)"


def monday(day: date) -> date:
    """The Monday of a day's week: what the rollups store as `week`."""
    return day - timedelta(days=day.weekday())


def week_of(moment: datetime) -> date:
    """The Monday of the Québec week an aware moment falls in."""
    return monday(moment.astimezone(QUEBEC).date())


# --- What a set of rows contributes ---------------------------------------------------------

FEEDBACK_KEYS = ("establishment_id", "week", "phase", "role", "sector_id", "kind", "cohort_id",
                 "theme_id")
FEEDBACK_MEASURES = ("n", "negative", "neutral", "positive", "polarity_sum")
RESPONSE_KEYS = ("establishment_id", "week", "phase", "role", "sector_id", "campaign_id",
                 "cohort_id", "item")
RESPONSE_MEASURES = ("n", "scored", "total", "v1", "v2", "v3", "v4", "v5", "promoters",
                     "passives", "detractors")
NO_SECTOR = 0
WHOLE_FEEDBACK = 0  # the theme_id of the rows that count each feedback once
WHOLE_RESPONSE = ""  # the item of the rows that count the responses themselves


def feedback_contributions(where: ColumnElement[bool]) -> sa.CompoundSelect:
    """The rollup rows of the feedback matching `where`: once each, then once per theme."""
    keys = (
        Feedback.establishment_id,
        quebec_week(Feedback.created_at).label("week"),
        Feedback.phase,
        sa.type_coerce(Feedback.role, sa.String).label("role"),
        func.coalesce(Feedback.sector_id, NO_SECTOR).label("sector_id"),
        sa.type_coerce(Feedback.kind, sa.String).label("kind"),
        func.coalesce(Feedback.cohort_id, 0).label("cohort_id"),
    )
    measures = (
        func.count().label("n"),
        func.count().filter(Feedback.sentiment == SentimentLabel.NEGATIVE).label("negative"),
        func.count().filter(Feedback.sentiment == SentimentLabel.NEUTRAL).label("neutral"),
        func.count().filter(Feedback.sentiment == SentimentLabel.POSITIVE).label("positive"),
        func.coalesce(func.sum(Feedback.polarity), 0.0).label("polarity_sum"),
    )
    whole = (
        select(*keys, literal_column(str(WHOLE_FEEDBACK)).label("theme_id"), *measures)
        .where(where)
        .group_by(*keys)
    )
    themed = (
        select(*keys, FeedbackTheme.theme_id, *measures)
        .join(FeedbackTheme, FeedbackTheme.feedback_id == Feedback.id)
        .where(where)
        .group_by(*keys, FeedbackTheme.theme_id)
    )
    return union_all(whole, themed)


def response_contributions(where: ColumnElement[bool]) -> sa.CompoundSelect:
    """The rollup rows of the survey responses matching `where`: the responses, then each item."""
    keys = (
        SurveyResponse.establishment_id,
        week_start(SurveyResponse.submitted_on).label("week"),
        SurveyResponse.phase,
        sa.type_coerce(SurveyResponse.role, sa.String).label("role"),
        func.coalesce(SurveyResponse.sector_id, NO_SECTOR).label("sector_id"),
        SurveyResponse.campaign_id,
        func.coalesce(SurveyResponse.cohort_id, 0).label("cohort_id"),
    )
    zero = literal_column("0")
    recommend = SurveyResponse.recommend
    whole = (
        select(
            *keys,
            literal_column(f"'{WHOLE_RESPONSE}'").label("item"),
            func.count().label("n"),
            func.count(recommend).label("scored"),
            func.coalesce(func.sum(recommend), 0).label("total"),
            *(zero.label(f"v{value}") for value in range(1, 6)),
            func.count().filter(recommend >= 9).label("promoters"),
            func.count().filter(recommend.between(7, 8)).label("passives"),
            func.count().filter(recommend <= 6).label("detractors"),
        )
        .where(where)
        .group_by(*keys)
    )
    value = SurveyAnswer.value
    items = (
        select(
            *keys,
            SurveyAnswer.item,
            func.count().label("n"),
            func.count(value).label("scored"),
            func.coalesce(func.sum(value), 0).label("total"),
            *(func.count().filter(value == v).label(f"v{v}") for v in range(1, 6)),
            zero.label("promoters"),
            zero.label("passives"),
            zero.label("detractors"),
        )
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(where)
        .group_by(*keys, SurveyAnswer.item)
    )
    return union_all(whole, items)


# --- Rebuilding -----------------------------------------------------------------------------

def rebuild(connection: Connection, establishment_ids: Iterable[int] | None = None) -> None:
    """Recompute the rollups from the source tables (all establishments, or only these)."""
    ids = None if establishment_ids is None else list(establishment_ids)
    for table, contributions, source_column, keys, measures in _ROLLUPS:
        delete = table.delete()
        where = sa.true()
        if ids is not None:
            delete = delete.where(table.c.establishment_id.in_(ids))
            where = source_column.in_(ids)
        connection.execute(delete)
        connection.execute(table.insert().from_select([*keys, *measures], contributions(where)))


def rebuild_week(connection: Connection, establishment_id: int, week: date) -> None:
    """Recompute one establishment's rollup rows of one Québec week (after its cohorts are cut)."""
    start, end = local_day_start(week), local_day_start(week + timedelta(days=7))
    for table, contributions, where in (
        (FeedbackRollup.__table__, feedback_contributions,
         sa.and_(Feedback.establishment_id == establishment_id, Feedback.created_at >= start,
                 Feedback.created_at < end)),
        (ResponseRollup.__table__, response_contributions,
         sa.and_(SurveyResponse.establishment_id == establishment_id,
                 SurveyResponse.submitted_on.between(week, week + timedelta(days=6)))),
    ):
        keys = FEEDBACK_KEYS if table is FeedbackRollup.__table__ else RESPONSE_KEYS
        measures = (FEEDBACK_MEASURES if table is FeedbackRollup.__table__
                    else RESPONSE_MEASURES)
        connection.execute(table.delete().where(table.c.establishment_id == establishment_id,
                                                table.c.week == week))
        connection.execute(table.insert().from_select([*keys, *measures], contributions(where)))


_ROLLUPS = (
    (FeedbackRollup.__table__, feedback_contributions, Feedback.establishment_id,
     FEEDBACK_KEYS, FEEDBACK_MEASURES),
    (ResponseRollup.__table__, response_contributions, SurveyResponse.establishment_id,
     RESPONSE_KEYS, RESPONSE_MEASURES),
)


# --- Keeping them in step with the ORM ------------------------------------------------------

_FEEDBACK_FIELDS = ("establishment_id", "establishment", "created_at", "phase", "role",
                    "sector_id", "sector", "kind", "cohort_id", "sentiment", "polarity",
                    "themes")
_THEME_LINK_FIELDS = ("feedback_id", "feedback", "theme_id", "theme")
_RESPONSE_FIELDS = ("establishment_id", "submitted_on", "phase", "role", "sector_id",
                    "campaign_id", "campaign", "cohort_id", "recommend", "answers")
_ANSWER_FIELDS = ("response_id", "response", "item", "value")
_SOURCE_TABLES = {"feedback", "feedback_theme", "survey_response", "survey_answer"}
_CHUNK = 500
_STATE = "echo_rollups"


def _changed(obj, fields: tuple[str, ...]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _persistent_id(obj) -> int | None:
    """The id of an object already in the database before this flush (None for a new one)."""
    identity = sa.inspect(obj).identity if obj is not None else None
    return identity[0] if identity else None


def _parent_ids(link, fk: str, relation: str) -> set[int | None]:
    """Stored parents a link (theme link, answer) belongs to, before and after this flush."""
    history = sa.inspect(link).attrs[fk].history
    ids = set(history.unchanged or ()) | set(history.deleted or ()) | set(history.added or ())
    parent = getattr(link, relation)
    return ids | {_persistent_id(parent)}


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """Ids of stored feedback and responses whose rollup rows this flush may change."""
    feedback: set[int | None] = set()
    responses: set[int | None] = set()
    # Each of these properties walks the session: read them once.
    added, removed = set(session.new), set(session.deleted)
    for obj in set(session.dirty) | removed | added:
        deleted, new = obj in removed, obj in added
        if isinstance(obj, Feedback) and (
                deleted or (not new and _changed(obj, _FEEDBACK_FIELDS))):
            feedback.add(_persistent_id(obj))
        elif isinstance(obj, FeedbackTheme) and (
                deleted or new or _changed(obj, _THEME_LINK_FIELDS)):
            feedback |= _parent_ids(obj, "feedback_id", "feedback")
        elif isinstance(obj, SurveyResponse) and (
                deleted or (not new and _changed(obj, _RESPONSE_FIELDS))):
            responses.add(_persistent_id(obj))
        elif isinstance(obj, SurveyAnswer) and (
                deleted or new or _changed(obj, _ANSWER_FIELDS)):
            responses |= _parent_ids(obj, "response_id", "response")
    feedback.discard(None)
    responses.discard(None)
    return feedback, responses  # type: ignore[return-value]


def _read(connection: Connection, contributions, column, ids: set[int], keys, measures,
          sign: int, into: dict) -> None:
    """Add `sign` × the contributions of the rows with these ids to the running differences."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        _add(connection.execute(contributions(column.in_(ordered[start:start + _CHUNK]))),
             keys, measures, sign, into)


def _add(rows, keys, measures, sign: int, into: dict) -> None:
    for row in rows.mappings():
        key = tuple(row[name] for name in keys)
        totals = into.setdefault(key, [0] * len(measures))
        for position, name in enumerate(measures):
            totals[position] += sign * row[name]


def count_new_feedback(connection: Connection, where: ColumnElement[bool], into: dict) -> None:
    """Add the contributions of new feedback rows (matching `where`) to `into`, for add_feedback.

    For bulk writers that know which rows they added (an import): what those rows add to the
    summary tables is computed from them alone, however many rows their weeks already hold.
    """
    _add(connection.execute(feedback_contributions(where)), FEEDBACK_KEYS, FEEDBACK_MEASURES, 1,
         into)


def add_feedback(connection: Connection, counted: dict) -> None:
    """Add what count_new_feedback counted to the feedback rollup, in the caller's transaction.

    A counted row may share its keys with a stored one (same week and dimensions, cohort 0:
    answers not cut yet or withheld, observations): the two are summed, as the ORM's own
    differences are.
    """
    _apply(connection, FeedbackRollup.__table__, FEEDBACK_KEYS, FEEDBACK_MEASURES, counted)


def _before_flush(session: Session, _context, _instances) -> None:
    session.info.pop(_STATE, None)  # whatever a failed flush left behind
    if not (session.new or session.dirty or session.deleted):
        return
    feedback, responses = _touched(session)
    if not feedback and not responses and not _has_new_rows(session):
        return
    state = {"feedback": feedback, "responses": responses, "diffs": ({}, {})}
    connection = session.connection()
    if feedback:
        _read(connection, feedback_contributions, Feedback.id, feedback, FEEDBACK_KEYS,
              FEEDBACK_MEASURES, -1, state["diffs"][0])
    if responses:
        _read(connection, response_contributions, SurveyResponse.id, responses, RESPONSE_KEYS,
              RESPONSE_MEASURES, -1, state["diffs"][1])
    session.info[_STATE] = state


def _has_new_rows(session: Session) -> bool:
    return any(isinstance(obj, Feedback | SurveyResponse) for obj in session.new)


def _after_flush(session: Session, _context) -> None:
    state = session.info.pop(_STATE, None)
    if state is None:
        return
    gone_feedback = {_persistent_id(o) for o in session.deleted if isinstance(o, Feedback)}
    gone_responses = {_persistent_id(o) for o in session.deleted
                      if isinstance(o, SurveyResponse)}
    # New rows have their ids by now, but not yet their identity in the session.
    feedback = (state["feedback"] - gone_feedback) | {
        o.id for o in session.new if isinstance(o, Feedback)}
    responses = (state["responses"] - gone_responses) | {
        o.id for o in session.new if isinstance(o, SurveyResponse)}
    feedback.discard(None)
    responses.discard(None)
    connection = session.connection()
    feedback_diff, response_diff = state["diffs"]
    if feedback:
        _read(connection, feedback_contributions, Feedback.id, feedback, FEEDBACK_KEYS,
              FEEDBACK_MEASURES, 1, feedback_diff)
    if responses:
        _read(connection, response_contributions, SurveyResponse.id, responses, RESPONSE_KEYS,
              RESPONSE_MEASURES, 1, response_diff)
    _apply(connection, FeedbackRollup.__table__, FEEDBACK_KEYS, FEEDBACK_MEASURES, feedback_diff)
    _apply(connection, ResponseRollup.__table__, RESPONSE_KEYS, RESPONSE_MEASURES, response_diff)


def _upsert(connection: Connection, table: sa.Table, measures: tuple[str, ...]):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table)
    # Atomic on both engines: two transactions adding to the same row both count.
    return stmt.on_conflict_do_update(
        index_elements=[column.name for column in table.primary_key.columns],
        set_={name: table.c[name] + stmt.excluded[name] for name in measures},
    )


def _apply(connection: Connection, table: sa.Table, keys: tuple[str, ...],
           measures: tuple[str, ...], diff: dict) -> None:
    # Sorted: concurrent transactions lock the rows they share in the same order (no deadlock).
    changes = [
        {**dict(zip(keys, key, strict=True)), **dict(zip(measures, totals, strict=True))}
        for key, totals in sorted(diff.items())
        if any(totals)
    ]
    if not changes:
        return
    connection.execute(_upsert(connection, table, measures), changes)
    emptied = [{name: change[name] for name in keys} for change in changes if change["n"] < 0]
    if emptied:
        # Rows counting nothing any more are removed, so the tables only hold what exists.
        connection.execute(
            table.delete().where(
                *(table.c[name] == sa.bindparam(f"k_{name}") for name in keys),
                table.c.n <= 0,
            ),
            [{f"k_{name}": row[name] for name in keys} for row in emptied],
        )


def _after_bulk_statement(orm_execute_state) -> None:
    """A bulk INSERT/UPDATE/DELETE on a source table: rebuild everything before the commit."""
    if not (orm_execute_state.is_insert or orm_execute_state.is_update
            or orm_execute_state.is_delete):
        return
    table = getattr(orm_execute_state.statement, "table", None)
    if getattr(table, "name", None) in _SOURCE_TABLES:
        orm_execute_state.session.info["echo_rollups_rebuild"] = True


def ensure_current(session: Session) -> None:
    """Rebuild now if a bulk statement made the rollups stale in this transaction."""
    if session.info.pop("echo_rollups_rebuild", False):
        rebuild(session.connection())


def _before_commit(session: Session) -> None:
    ensure_current(session)


def _after_rollback(session: Session) -> None:
    """What was pending died with the transaction (a savepoint's rollback is not one)."""
    session.info.pop(_STATE, None)
    session.info.pop("echo_rollups_rebuild", None)


_LISTENERS = (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("do_orm_execute", _after_bulk_statement),
    ("before_commit", _before_commit),
    ("after_rollback", _after_rollback),
)


def register() -> None:
    """Listen to every ORM session (once, however many apps are created)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
