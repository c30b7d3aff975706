"""How a summary reads its figures: several breakdowns in one statement give the figures each
gives alone, a page reads in a bounded number of statements, and reading cuts no week."""

import random
from datetime import date, timedelta

from sqlalchemy import event, func, select

from feedback import insights, tasks
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.insights.anonymity import Hidden
from feedback.models import CohortPublication, Establishment, Role

GO_LIVE = date(2026, 5, 11)
WEEKS = [GO_LIVE + timedelta(weeks=n) for n in range(4)]
ROLES = ("nurse", "physician", "clerk", "professional")
SECTORS = ("urgence", "oncologie")


def _world(make_establishment, make_campaign, add_feedback, add_response):
    rng = random.Random(17)
    e = make_establishment("RDS", go_live=GO_LIVE)
    campaign = make_campaign(e)
    for week in WEEKS:
        for _ in range(rng.randint(8, 20)):
            add_response(campaign, role=rng.choice(ROLES), sector=rng.choice(SECTORS),
                         phase=rng.choice((1, 2)), day=week + timedelta(days=rng.randrange(7)),
                         recommend=rng.choice((None, *range(11))),
                         answers={"access": rng.randint(1, 5), "training": rng.randint(1, 5)})
        for n in range(rng.randint(6, 16)):
            add_feedback(e, kind=rng.choice(("survey", "import")), role=rng.choice(ROLES),
                         sector=rng.choice(SECTORS), phase=rng.choice((1, 2)), day=week,
                         sentiment=rng.choice(("negative", "neutral", "positive")),
                         polarity=rng.choice((-0.5, 0.0, 0.5)),
                         themes=tuple(rng.sample(("access", "training", "safety"), 2)),
                         text=f"ANON-{week}-{n}")
        for n in range(rng.randint(1, 4)):
            add_feedback(e, kind="observation", role="super_user", sector=rng.choice(SECTORS),
                         day=week + timedelta(days=2), themes=("workflow",),
                         text=f"OBS-{week}-{n}")
    return e


def _filter(e, **narrowing):
    return insights.summary_filter(db.session.get(Establishment, e.id), WEEKS[0],
                                   WEEKS[-1] + timedelta(days=6), threshold=5, **narrowing)


def _comparable(breakdown):
    return (breakdown.selection, [t.id for t in breakdown.themes], [
        (g.key, g.protection, g.total, g.responses, g.by_kind,
         {t: (f.count, f.responses, f.sentiment) for t, f in (g.themes or {}).items()})
        for g in breakdown.groups])


def test_breakdowns_read_together_are_those_read_alone(app, make_establishment, make_campaign,
                                                      add_feedback, add_response, cut):
    e = _world(make_establishment, make_campaign, add_feedback, add_response)
    cut(5)
    with app.app_context():
        for narrowing in ({}, {"phase": 2}, {"sector_id": 0}):
            f = _filter(e, **narrowing)
            together = insights.theme_breakdowns(f, list(insights.BREAKDOWNS))
            scores = insights.survey_scores_by(f, [None, "phase", "role_group", "campaign"])
            for by in insights.BREAKDOWNS:
                assert _comparable(together[by]) == _comparable(insights.theme_breakdown(f, by))
            for by in (None, "phase", "role_group", "campaign"):
                assert scores[by] == insights.survey_scores(f, by)
        whole = insights.theme_breakdowns(_filter(e), [None])[None].overall
        # Something was counted, and the observations count whatever the cohorts.
        assert whole.responses > 20 and whole.total > whole.responses


def test_a_summary_page_reads_in_few_statements_and_cuts_nothing(
        app, client, auth, make_user, make_establishment, make_campaign, add_feedback,
        add_response):
    e = _world(make_establishment, make_campaign, add_feedback, add_response)
    auth.login(make_user(Role.MANAGER, e).email)
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get("/dashboard/summary")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.status_code == 200
    # Five breakdowns and four groupings of scores, each kind read together: not one per figure.
    assert sum("feedback_rollup" in s and "JOIN cohort" in s for s in statements) == 1
    assert sum("response_rollup" in s and "JOIN cohort" in s for s in statements) == 1
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
                   and "cohort" in s for s in statements)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CohortPublication).where(
            CohortPublication.establishment_id == e.id)) == 0
        # Until the task has cut them, finished weeks wait: no anonymous answer shows.
        pending = insights.theme_breakdown(_filter(e))
        assert pending.overall.responses == 0


def test_the_hourly_task_cuts_the_finished_weeks_and_figures_count_them(
        app, make_establishment, make_campaign, add_feedback, add_response):
    e = _world(make_establishment, make_campaign, add_feedback, add_response)
    with app.app_context():
        before = insights.theme_breakdown(_filter(e))
        assert before.overall.responses == 0
        assert before.selection.hidden in (None, Hidden.PENDING)
        tasks.cut_cohorts()
        assert db.session.scalar(select(func.count()).select_from(CohortPublication).where(
            CohortPublication.establishment_id == e.id)) > 0
        f = _filter(e)
        assert f.cut_until >= WEEKS[-1] and f.cut_until <= insights.anonymity.last_closed_week(
            utcnow())
        assert insights.theme_breakdown(f).overall.responses > 20
        assert insights.survey_scores(f)[0].responses > 20
