"""Perception next to operations: one row per week holding what staff said (from whole cohorts
only), what super-users observed, what the command centre handled and what the EHR reported,
and the page that draws them on one time axis."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from feedback import insights
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.insights import perception
from feedback.models import (
    AdoptionWeek,
    Establishment,
    Issue,
    IssueStatus,
    Priority,
    SurveyAnswer,
    SurveyResponse,
    WriterRole,
)

WEEKS = [date(2026, 9, 7) + timedelta(weeks=n) for n in range(3)]


def world(app, e, campaign, add_feedback):
    # Week 1: six survey comments (4 positive, 1 negative): a cohort; week 2: three, under k.
    for sentiment in ("positive",) * 4 + ("negative", "neutral"):
        add_feedback(e, day=WEEKS[0], sentiment=sentiment, themes=("access",))
    for _ in range(3):
        add_feedback(e, day=WEEKS[1], sentiment="negative", themes=("training",))
    for day, theme in ((WEEKS[0], "access"), (WEEKS[0], "access"), (WEEKS[1], "training")):
        add_feedback(e, kind="observation", role="super_user", day=day, themes=(theme,))
    with app.app_context():
        for n in range(6):
            db.session.add(SurveyResponse(
                campaign_id=campaign.id, establishment_id=e.id, role=WriterRole.NURSE, phase=1,
                submitted_on=WEEKS[0], recommend=10 if n < 5 else 0,
                submission_token=f"per-{n}",
                answers=[SurveyAnswer(item="access", theme_code="access", value=4)]))
        monday = datetime(2026, 9, 7, 14, tzinfo=UTC)
        db.session.add_all([
            Issue(establishment_id=e.id, title="Badges", priority=Priority.P1,
                  status=IssueStatus.RESOLVED, created_at=monday,
                  resolved_at=monday + timedelta(hours=5)),
            Issue(establishment_id=e.id, title="Imprimantes", priority=Priority.P3,
                  created_at=monday + timedelta(days=1)),
            Issue(establishment_id=e.id, title="Doublon", priority=Priority.P3,
                  status=IssueStatus.DUPLICATE, created_at=monday),
            AdoptionWeek(establishment_id=e.id, week=WEEKS[0], users_connected=400,
                         users_total=500, physician_order_share=0.6, tickets_received=30,
                         source="test.csv"),
        ])
        db.session.commit()


def weeks_of(app, e) -> perception.Perception:
    with app.app_context():
        owner = db.session.get(Establishment, e.id)
        f = insights.summary_filter(owner, WEEKS[0], WEEKS[-1] + timedelta(days=6),
                                    threshold=5, now=utcnow())
        return perception.perception_weeks(insights.SummaryFigures(f, owner))


def test_each_week_holds_each_source_and_hides_what_rests_on_too_few(
        app, make_establishment, make_campaign, add_feedback, cut):
    e = make_establishment()
    world(app, e, make_campaign(e), add_feedback)
    cut(5)
    seen = weeks_of(app, e)
    first, second, third = seen.weeks
    assert [w.week for w in seen.weeks] == WEEKS
    assert first.comment_count == 6 and first.net_sentiment == 3 / 6
    assert first.recommend == pytest.approx((5 - 1) / 6 * 100) and first.agreement == 4.0
    assert first.observation_count == 2 and sum(first.observations.values()) == 2
    assert first.issues.received == 2 and first.issues.resolved == 1  # the duplicate aside
    assert first.issues.median_hours_to_resolution == pytest.approx(5.0)
    assert first.adoption.connected_share == 0.8
    # Three comments alone: neither their number nor their sentiment is shown.
    assert second.comments.suppressed
    assert second.comment_count is None and second.net_sentiment is None
    assert second.observation_count == 1 and second.recommend is None
    assert second.issues.received == 0
    assert third.adoption is None and seen.has_adoption
    assert [t.code for t in seen.themes] == ["access", "training"]


def test_the_page_draws_the_weeks_on_one_axis(app, client, auth, make_establishment, make_user,
                                              make_campaign, add_feedback, cut):
    e = make_establishment()
    world(app, e, make_campaign(e), add_feedback)
    cut(5)
    auth.login(make_user(establishment=e).email)
    page = client.get("/dashboard/perception", query_string={
        "start": WEEKS[0].isoformat(), "end": (WEEKS[-1] + timedelta(days=6)).isoformat()})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count("<svg class=\"chart\"") == 4  # perception, observations, issues, EHR
    assert "Perception et opérations" in text and "+50" in text  # net sentiment of week 1
    assert re.search(r'Utilisateurs connectés</th><td class="num">80\W%</td>', text)
    assert "trop peu de réponses au sondage" in text.lower()  # week 2, hidden
    # The four charts put the same week at the same place.
    with app.app_context():
        from feedback.insights.presentation import perception_charts

        drawn = perception_charts(weeks_of(app, e), "fr")
    xs = [sorted({round(t.x) for t in chart.texts if t.css == "label"})
          for chart in (drawn["perceived"], drawn["observed"], drawn["issues"], drawn["adoption"])]
    assert xs[0] == xs[1] == xs[2] == xs[3] and len(xs[0]) == 3


def test_the_pages_in_english(app, client, auth, make_establishment, make_user, make_campaign,
                              add_feedback, cut):
    e = make_establishment()
    world(app, e, make_campaign(e), add_feedback)
    cut(5)
    auth.login(make_user(establishment=e, locale="en").email)
    client.post("/language", data={"language": "en", "next": "/"})
    args = {"start": WEEKS[0].isoformat(), "end": (WEEKS[-1] + timedelta(days=6)).isoformat()}
    seen = client.get("/dashboard/perception", query_string=args).get_data(as_text=True)
    assert "Perception and operations" in seen and "What the EHR reports" in seen
    drivers = client.get("/dashboard/drivers", query_string=args).get_data(as_text=True)
    assert "Drivers of the recommend score" in drivers and "Too few complete responses" in (
        drivers)
    update = client.get("/dashboard/report", query_string=args).get_data(as_text=True)
    assert "6. Perception and operations" in update and "Key figures" in update
