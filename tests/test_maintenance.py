"""The nightly purge goes a week of an establishment at a time, each in its own transaction, and
keeps the summary tables exact without rebuilding them; the summary check finds drifted weeks,
rebuilds them and audits it."""

import random
from datetime import date, datetime

import pytest
from sqlalchemy import delete, func, select, update

from feedback import privacy, tasks
from feedback.clock import QUEBEC
from feedback.extensions import db, refresh_planner_statistics, task_queue
from feedback.insights import rollup_check, rollups
from feedback.models import AuditEntry, Feedback, FeedbackRollup, ResponseRollup

NOW = datetime(2028, 6, 1, 12, tzinfo=QUEBEC)
PERIODS = {"survey": 730, "observation": 730, "import": 730, "followup": 90, "audit": 2555}


@pytest.fixture
def two_years(app, make_establishment, make_campaign, add_feedback, add_response, cut):
    """Two establishments with survey comments, responses and observations in three old weeks
    (past their period) and one recent week (kept), their weeks cut into cohorts."""
    places = [make_establishment(), make_establishment()]
    old_days = [date(2026, 5, 12), date(2026, 5, 19), date(2026, 5, 26)]
    for place in places:
        campaign = make_campaign(place, opens_in=-800, lasts=900)
        for day in [*old_days, date(2028, 5, 16)]:
            for n in range(6):
                add_feedback(place, kind="survey", day=day, themes=("access",),
                             sentiment="negative" if n % 2 else "positive", polarity=0.1 * n)
                add_response(campaign, day=day)
            add_feedback(place, kind="observation", day=day, hour=9, themes=("training",))
    cut()
    return places


def test_the_purge_goes_a_week_of_an_establishment_per_transaction_and_keeps_rollups_exact(
        app, two_years, monkeypatch):
    def no_full_rebuild(*_args, **_kwargs):
        raise AssertionError("the purge must not rebuild every rollup")

    monkeypatch.setattr(rollups, "rebuild", no_full_rebuild)
    steps = []
    with app.app_context():
        before = db.session.scalar(select(func.count(Feedback.id)))
        report = privacy.purge(NOW, periods=PERIODS, step=lambda: steps.append(1))
        db.session.commit()
        # 3 old weeks × 2 establishments, then the small tables, at least.
        assert len(steps) >= 7
        assert report.count("survey") == 36 and report.count("observation") == 6
        assert report.count("survey_response") == 36
        assert db.session.scalar(select(func.count(Feedback.id))) == before - 42
        connection = db.session.connection()
        assert rollup_check.check(connection, rollup_check.all_units(connection),
                                  repair=False) == []
        weeks = set(db.session.scalars(select(FeedbackRollup.week).distinct()))
        weeks |= set(db.session.scalars(select(ResponseRollup.week).distinct()))
        assert all(week >= date(2028, 1, 1) for week in weeks)


def test_the_nightly_purge_commits_between_weeks(app, two_years, monkeypatch):
    commits = []
    real = db.session.commit

    def counted():
        commits.append(1)
        real()

    with app.app_context():
        monkeypatch.setattr(db.session, "commit", counted)
        monkeypatch.setattr(tasks, "utcnow", lambda: NOW)
        tasks.purge()
    assert len(commits) >= 7


def drift(app) -> tuple[int, date]:
    """Corrupt one week of rollups as a write around the session would."""
    with app.app_context():
        connection = db.session.connection()
        establishment_id, week = connection.execute(
            select(FeedbackRollup.establishment_id, FeedbackRollup.week)
            .order_by(FeedbackRollup.week.desc()).limit(1)).one()
        connection.execute(update(FeedbackRollup).where(
            FeedbackRollup.establishment_id == establishment_id, FeedbackRollup.week == week,
            FeedbackRollup.theme_id == 0).values(n=FeedbackRollup.n + 5))
        connection.execute(delete(ResponseRollup).where(
            ResponseRollup.establishment_id == establishment_id, ResponseRollup.week == week))
        db.session.commit()
    return establishment_id, week


def test_the_nightly_check_repairs_a_drifted_week_and_audits_it(app, two_years):
    establishment_id, week = drift(app)
    with app.app_context():
        tasks.check_summaries()
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "summaries.repaired")).all()
        assert {(e.establishment_id, e.details["table"], e.details["week"]) for e in entries} == {
            (establishment_id, "feedback_rollup", week.isoformat()),
            (establishment_id, "response_rollup", week.isoformat())}
        connection = db.session.connection()
        assert rollup_check.check(connection, rollup_check.all_units(connection),
                                  repair=False) == []


def test_the_sample_holds_the_recent_weeks_and_some_older_ones(app, two_years):
    with app.app_context():
        connection = db.session.connection()
        every = rollup_check.all_units(connection)
        sample = rollup_check.sample_units(connection, date(2028, 5, 20), older=2,
                                           rng=random.Random(1))
    recent = [unit for unit in every if unit[1] >= date(2028, 5, 6)]
    assert len(recent) == 2 and set(recent) <= set(sample)
    assert len(sample) == len(recent) + 2 and set(sample) <= set(every)


def test_the_check_command_reports_without_repairing_then_repairs(app, runner, two_years):
    drift(app)
    result = runner.invoke(args=["check-summaries", "--all", "--no-repair"])
    assert result.exit_code == 1
    assert "2 difference(s)" in result.output and "rebuilt" not in result.output
    result = runner.invoke(args=["check-summaries", "--all"])
    assert result.exit_code == 0 and "rebuilt" in result.output
    result = runner.invoke(args=["check-summaries", "--all", "--no-repair"])
    assert result.exit_code == 0 and "0 difference(s)" in result.output


def test_the_check_runs_every_night(app):
    with app.app_context():
        due = {task.name for task in task_queue.huey.read_periodic(datetime(2026, 12, 9, 8, 30))}
    assert "check_summaries" in due  # 3:30 in Québec


def test_floating_sums_within_tolerance_are_not_drift():
    stored = {("k",): (3, 1, 1, 1, 0.30000000000000004)}
    assert rollup_check._differing(stored, {("k",): (3, 1, 1, 1, 0.3)}) == 0
    assert rollup_check._differing(stored, {("k",): (3, 1, 1, 1, 0.4)}) == 1
    assert rollup_check._differing(stored, {}) == 1
    assert rollup_check._differing({}, {("k",): (0, 0, 0, 0, 0.0)}) == 0


def test_the_query_planner_gets_fresh_statistics_every_night(app, two_years):
    with app.app_context():
        due = {task.name for task in task_queue.huey.read_periodic(datetime(2026, 12, 9, 9, 0))}
        assert "refresh_statistics" in due  # 4:00 in Québec
        connection = db.session.connection()
        if connection.dialect.name != "sqlite":  # PostgreSQL's autovacuum analyses its tables
            assert refresh_planner_statistics(connection) is False
            return
        connection.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
        db.session.commit()
        tasks.refresh_statistics()
        connection = db.session.connection()
        analysed = {table for (table,) in connection.exec_driver_sql(
            "SELECT DISTINCT tbl FROM sqlite_stat1")}
        assert {"feedback", "feedback_theme", "survey_response", "feedback_rollup"} <= analysed
        # The sampling limit stays with that run: other work on the connection is unbounded.
        assert connection.exec_driver_sql("PRAGMA analysis_limit").scalar() == 0
