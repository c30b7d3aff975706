"""The demo's managers' side: weekly pulses, responses that improve, learnings, report notes."""

import html

import pytest
from sqlalchemy import func, select

from feedback import insights
from feedback.demo import DEMO_PASSWORD
from feedback.extensions import db
from feedback.insights import report
from feedback.models import (
    Campaign,
    Establishment,
    Feedback,
    FeedbackKind,
    Learning,
    LearningStatus,
    ReportNote,
    SurveyResponse,
)

# Under pytest-xdist the tests reading the demo share one worker, so it is seeded once.
pytestmark = pytest.mark.xdist_group("demo")


def test_the_demo_tells_the_first_months_of_both_establishments(demo):
    app = demo
    with app.app_context():
        for code in ("MCQ", "NIM"):
            e = db.session.scalar(select(Establishment).where(Establishment.code == code))
            campaigns = db.session.scalars(select(Campaign).where(
                Campaign.establishment_id == e.id).order_by(Campaign.opens_on)).all()
            assert len(campaigns) >= 14 and campaigns[0].opens_on == e.go_live
            comments = db.session.scalar(select(func.count(Feedback.id)).where(
                Feedback.establishment_id == e.id, Feedback.kind == FeedbackKind.SURVEY))
            linked = db.session.scalar(select(func.count(SurveyResponse.id)).where(
                SurveyResponse.establishment_id == e.id, SurveyResponse.comment_id.is_not(None)))
            responses = db.session.scalar(select(func.count(SurveyResponse.id)).where(
                SurveyResponse.establishment_id == e.id))
            assert linked == comments and responses > comments  # every comment has a response
            statuses = dict(db.session.execute(
                select(Learning.status, func.count()).where(Learning.establishment_id == e.id)
                .group_by(Learning.status)).all())
            assert statuses[LearningStatus.PUBLISHED] >= 4 and statuses[LearningStatus.DRAFT] == 1
            first, last = report.first_month(e)
            assert db.session.scalar(select(ReportNote).where(
                ReportNote.establishment_id == e.id, ReportNote.period_start == first))

            f = insights.summary_filter(e, e.go_live, e.go_live.replace(month=8, day=16))
            by_phase = insights.survey_scores(f, "phase")
            means = [{i.item: i.mean for i in s.items} for s in by_phase]
            assert means[0]["access"] < means[1]["access"] < means[2]["access"]
            nps = [s.recommend.score for s in by_phase]
            assert nps[0] < nps[1] < nps[2]
            physicians, others = insights.survey_scores(f, "role_group")
            training = [{i.item: i.mean for i in s.items}["training"] for s in (physicians,
                                                                                others)]
            assert training[0] < training[1]  # the update singles out physicians' needs
            assert not insights.theme_breakdown(f).selection.suppressed


def test_the_demo_pages_read_well(demo):
    client = demo.test_client()
    client.post("/login", data={"email": "gestion.mcq@echo.example", "password": DEMO_PASSWORD})
    page = html.unescape(client.get("/dashboard/report").text)
    assert "Se connecter la nuit sans perdre dix minutes" in page  # a published learning
    assert "Mise en service réussie" in page  # the manager's note
    assert "Vérification des ordonnances en oncologie" not in page  # the draft
    assert client.get("/dashboard/summary").status_code == 200
    assert "MCQ" in client.get("/dashboard/compare").text
