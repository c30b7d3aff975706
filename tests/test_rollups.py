"""The summary tables follow every write, and the Québec week is computed alike everywhere."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from rollup_helpers import snapshot
from sqlalchemy import delete, select

from feedback.clock import QUEBEC
from feedback.extensions import db
from feedback.insights import rollups
from feedback.models import (
    Feedback,
    FeedbackRollup,
    FeedbackTheme,
    ResponseRollup,
    SentimentLabel,
    SurveyAnswer,
    SurveyResponse,
    Theme,
    ThemeSource,
)


def assert_in_step() -> None:
    """The rollups equal what a rebuild from the source tables gives."""
    kept = snapshot()
    rollups.rebuild(db.session.connection())
    assert snapshot() == kept
    db.session.rollback()


@pytest.mark.parametrize("moment", [
    datetime(2026, 3, 8, 6, 59, tzinfo=UTC),  # 1:59 EST, Sunday: still winter time
    datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # 3:00 EDT
    datetime(2026, 5, 11, 3, 59, tzinfo=UTC),  # Sunday 10 May, 23:59 in Québec
    datetime(2026, 5, 11, 4, 0, tzinfo=UTC),  # Monday 11 May, 0:00 in Québec
    datetime(2026, 11, 1, 5, 59, tzinfo=UTC),  # 1:59 EDT, Sunday
    datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # 1:00 EST again
    datetime(2026, 11, 2, 4, 30, tzinfo=UTC),  # Sunday 1 Nov, 23:30 EST
    datetime(2026, 11, 2, 5, 0, tzinfo=UTC),  # Monday 2 Nov, 0:00 EST
    datetime(2027, 1, 4, 4, 59, tzinfo=UTC),  # Sunday 3 Jan 2027, 23:59 EST
    datetime(2031, 3, 9, 6, 59, tzinfo=UTC),  # another year's change
    datetime(2031, 3, 9, 7, 0, tzinfo=UTC),
])
def test_the_sql_week_matches_the_time_zone_database(app, moment):
    with app.app_context():
        stored = moment.replace(tzinfo=None)
        week = db.session.scalar(select(rollups.quebec_week(sa.literal(stored, sa.DateTime))))
        assert week == rollups.week_of(moment)
        assert rollups.week_of(moment) == rollups.monday(moment.astimezone(QUEBEC).date())


def test_every_hour_of_two_years_falls_in_its_quebec_week(app):
    """17,520 instants through the SQL expression, compared with zoneinfo hour by hour."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [start + timedelta(hours=h) for h in range(2 * 365 * 24)]
    moments = sa.Table("test_moments", sa.MetaData(), sa.Column("at", sa.DateTime),
                       prefixes=["TEMPORARY"])
    with app.app_context():
        connection = db.session.connection()
        moments.create(connection)
        connection.execute(moments.insert(), [{"at": m.replace(tzinfo=None)} for m in instants])
        weeks = connection.execute(select(rollups.quebec_week(moments.c.at))).scalars().all()
        mismatches = [(m, w) for m, w in zip(instants, weeks, strict=True)
                      if w != rollups.week_of(m)]
        db.session.rollback()
    assert mismatches == []


def test_the_rollups_follow_inserts_changes_and_deletes(app, make_establishment, make_campaign,
                                                        add_feedback, add_response):
    e = make_establishment()
    first = add_feedback(e, themes=("access", "workflow"), sentiment="negative", polarity=-0.4)
    second = add_feedback(e, kind="observation", role="super_user", themes=("support",))
    add_feedback(e, kind="import", role="clerk", sector=None, day=date(2026, 6, 1))
    campaign = make_campaign(e)
    response = add_response(campaign, recommend=8, answers={"access": 3, "safety": 4})
    add_response(campaign, role="physician", answers={"access": 1})
    with app.app_context():
        assert_in_step()
        rows = db.session.execute(select(FeedbackRollup.theme_id, FeedbackRollup.n).where(
            FeedbackRollup.establishment_id == e.id)).all()
        assert sum(n for theme_id, n in rows if theme_id == 0) == 3
        themes = {t.code: t for t in db.session.scalars(select(Theme))}

        # A manual retheme, a sentiment change, a move to another week.
        item = db.session.get(Feedback, first)
        item.themes = [FeedbackTheme(theme=themes["safety"], source=ThemeSource.MANUAL)]
        item.sentiment, item.polarity = SentimentLabel.POSITIVE, 0.3
        db.session.commit()
        assert_in_step()
        moved = db.session.get(Feedback, second)
        moved.created_at += timedelta(days=14)
        db.session.commit()
        assert_in_step()

        # Answers changed and added, a response deleted, a feedback deleted.
        answer = db.session.get(SurveyAnswer, (response, "access"))
        answer.value = 5
        db.session.get(SurveyResponse, response).answers.append(
            SurveyAnswer(item="training", theme_code="training", value=2))
        db.session.commit()
        assert_in_step()
        db.session.delete(db.session.get(SurveyResponse, response))
        db.session.delete(db.session.get(Feedback, second))
        db.session.commit()
        assert_in_step()
        assert db.session.scalar(select(sa.func.min(FeedbackRollup.n))) > 0  # no empty rows


def test_a_bulk_delete_through_the_session_rebuilds_before_the_commit(app, make_establishment,
                                                                      add_feedback):
    e = make_establishment()
    add_feedback(e, themes=("access",))
    add_feedback(e, themes=("training",), day=date(2026, 6, 2))
    with app.app_context():
        db.session.execute(delete(FeedbackTheme).where(FeedbackTheme.feedback_id.in_(
            select(Feedback.id).where(Feedback.created_at >= datetime(2026, 6, 1, tzinfo=UTC)))))
        db.session.execute(delete(Feedback).where(
            Feedback.created_at >= datetime(2026, 6, 1, tzinfo=UTC)))
        db.session.commit()
        counted = db.session.scalar(select(sa.func.sum(FeedbackRollup.n)).where(
            FeedbackRollup.theme_id == 0))
        assert counted == 1
        assert_in_step()


def test_the_rebuild_command_repairs_rows_written_behind_the_orm(app, runner, make_establishment,
                                                                  add_feedback):
    e = make_establishment()
    add_feedback(e, themes=("access",))
    with app.app_context():
        db.session.execute(FeedbackRollup.__table__.delete())  # Core: no hook sees it
        db.session.commit()
    result = runner.invoke(args=["rebuild-summaries"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(sa.func.sum(FeedbackRollup.n)).where(
            FeedbackRollup.theme_id == 0)) == 1


def test_the_retention_purge_leaves_the_summaries_in_step(app, make_establishment,
                                                          make_campaign, add_feedback,
                                                          add_response):
    from feedback import privacy

    e = make_establishment()
    add_feedback(e, day=date(2024, 1, 10), themes=("access",))  # long past retention
    add_feedback(e, day=date(2026, 5, 12), themes=("training",))
    campaign = make_campaign(e)
    add_response(campaign, day=date(2024, 1, 10), answers={"access": 2})
    add_response(campaign, day=date(2026, 5, 12), answers={"access": 4})
    with app.app_context():
        privacy.purge(datetime(2026, 11, 25, tzinfo=UTC), periods=app.config["RETENTION_DAYS"])
        db.session.commit()
        assert db.session.scalar(select(sa.func.sum(FeedbackRollup.n)).where(
            FeedbackRollup.theme_id == 0)) == 1
        assert db.session.scalar(select(sa.func.sum(ResponseRollup.n)).where(
            ResponseRollup.item == "")) == 1
        assert_in_step()


def test_a_failed_flush_leaves_nothing_behind(app, make_establishment, add_feedback):
    e = make_establishment()
    kept = add_feedback(e, themes=("access",))
    with app.app_context():
        item = db.session.get(Feedback, kept)
        item.sentiment = SentimentLabel.NEGATIVE
        item.sector_id = 999_999  # no such sector: the flush fails on the foreign key
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.get(Feedback, kept).polarity = 0.5  # a clean change next
        db.session.commit()
        assert_in_step()
