"""The summary aggregates against a small fixture whose answers are worked out by hand below.

The anonymity threshold is set to 1 here (nothing hidden) so every figure can be checked; the
threshold itself is tested in test_anonymity.py.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from feedback import insights
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.insights import anonymity
from feedback.models import Establishment, FeedbackKind, SentimentLabel, Theme, WriterRole

GO_LIVE = date(2026, 5, 9)  # a Saturday: its week starts Monday 4 May
WEEK_0, WEEK_A, WEEK_B = date(2026, 5, 4), date(2026, 5, 11), date(2026, 5, 18)


@pytest.fixture
def fixture(app, make_establishment, make_campaign, add_feedback, add_response):
    """Seven feedback and four survey responses; see the docstring of each test for the sums.

    #  kind         role        sector     phase  day     sentiment  polarity themes
    1  survey       nurse       urgence    1      12 May  negative   -0.5     access, workflow
    2  survey       nurse       oncologie  1      13 May  positive    0.6     support
    3  survey       physician   urgence    1      14 May  negative   -0.7     access
    4  observation  super_user  urgence    1      15 May  neutral     0.0     workflow
    5  import       clerk       (none)     2      19 May  negative   -0.2     access
    6  survey       physician   oncologie  2      20 May  positive    0.4     access, support
    7  survey       nurse       urgence    2      21 May  neutral     0.1     (none)
    """
    e = make_establishment("SUM", go_live=GO_LIVE)
    other = make_establishment("OTH", go_live=GO_LIVE)
    rows = [
        ("survey", "nurse", "urgence", 1, date(2026, 5, 12), "negative", -0.5,
         ("access", "workflow")),
        ("survey", "nurse", "oncologie", 1, date(2026, 5, 13), "positive", 0.6, ("support",)),
        ("survey", "physician", "urgence", 1, date(2026, 5, 14), "negative", -0.7, ("access",)),
        ("observation", "super_user", "urgence", 1, date(2026, 5, 15), "neutral", 0.0,
         ("workflow",)),
        ("import", "clerk", None, 2, date(2026, 5, 19), "negative", -0.2, ("access",)),
        ("survey", "physician", "oncologie", 2, date(2026, 5, 20), "positive", 0.4,
         ("access", "support")),
        ("survey", "nurse", "urgence", 2, date(2026, 5, 21), "neutral", 0.1, ()),
    ]
    ids = [add_feedback(e, kind=kind, role=role, sector=sector, phase=phase, day=day,
                        sentiment=sentiment, polarity=polarity, themes=themes,
                        text=f"Commentaire {n}")
           for n, (kind, role, sector, phase, day, sentiment, polarity, themes)
           in enumerate(rows, start=1)]
    # Another establishment's feedback must never count.
    add_feedback(other, role="physician", day=date(2026, 5, 12), themes=("access",))
    c1, c2 = make_campaign(e), make_campaign(e)
    add_response(c1, role="nurse", sector="urgence", phase=1, day=date(2026, 5, 12),
                 recommend=9, answers={"access": 2, "training": 4})
    add_response(c1, role="physician", sector="urgence", phase=1, day=date(2026, 5, 14),
                 recommend=6, answers={"access": 1, "training": 5})
    add_response(c2, role="nurse", sector="oncologie", phase=2, day=date(2026, 5, 20),
                 recommend=10, answers={"access": 4, "training": 3})
    add_response(c2, role="clerk", sector="oncologie", phase=2, day=date(2026, 5, 21),
                 recommend=None, answers={"access": 5, "training": 3})
    other_campaign = make_campaign(other)
    add_response(other_campaign, day=date(2026, 5, 12), recommend=0, answers={"access": 1})
    return e, ids, (c1, c2)


def make_filter(app, establishment, first=GO_LIVE, last=date(2026, 5, 24), **narrowing):
    """The filter of a summary with the threshold at 1: every answer is a cohort of its own."""
    anonymity.publish_due(db.session, 1, utcnow())
    est = db.session.get(Establishment, establishment.id)
    return insights.summary_filter(est, first, last, threshold=1, **narrowing)


def sector_id(establishment, code):
    from feedback.models import Sector, Site

    return db.session.scalar(select(Sector.id).join(Site).where(
        Site.establishment_id == establishment.id, Sector.code == code))


def codes(breakdown):
    return [theme.code for theme in breakdown.themes]


def test_weeks_are_quebec_weeks_from_monday():
    assert insights.week_span(date(2026, 5, 9), date(2026, 5, 24)) == (WEEK_0, WEEK_B)
    assert insights.week_span(date(2026, 5, 24), date(2026, 5, 9)) == (WEEK_0, WEEK_B)
    scope = insights.Scope(1, WEEK_0, WEEK_B)
    assert scope.weeks() == [WEEK_0, WEEK_A, WEEK_B]
    assert scope.last_day == date(2026, 5, 24)


def test_theme_shares_and_sentiment(app, fixture):
    """7 feedback: access 4 (#1 #3 #5 #6), support 2 (#2 #6), workflow 2 (#1 #4).

    access: negative #1 #3 #5, positive #6; mean polarity (−0.5 −0.7 −0.2 +0.4) / 4 = −0.25.
    workflow: negative #1, neutral #4: mean −0.25. support: positive #2 #6: mean 0.5.
    """
    e, _ids, _ = fixture
    with app.app_context():
        result = insights.theme_breakdown(make_filter(app, e))
        group = result.overall
        assert not result.selection.suppressed and not group.suppressed
        assert group.total == 7 and group.responses == 6
        assert group.by_kind == {FeedbackKind.SURVEY: 5, FeedbackKind.OBSERVATION: 1,
                                 FeedbackKind.IMPORT: 1}
        assert codes(result) == ["access", "support", "workflow"]  # ties by code
        access = group.theme(result.themes[0].id)
        assert (access.count, access.share, access.responses) == (4, pytest.approx(4 / 7), 4)
        assert (access.sentiment.negative, access.sentiment.neutral,
                access.sentiment.positive) == (3, 0, 1)
        assert access.sentiment.mean_polarity == pytest.approx(-0.25)
        assert access.sentiment.dominant is SentimentLabel.NEGATIVE
        support, workflow = (group.theme(t.id) for t in result.themes[1:])
        assert support.share == pytest.approx(2 / 7)
        assert support.sentiment.mean_polarity == pytest.approx(0.5)
        assert (workflow.sentiment.negative, workflow.sentiment.neutral) == (1, 1)
        assert workflow.responses == 1  # #4 is an observation


def test_volumes_per_week_and_week_over_week(app, fixture):
    """Week of 4 May: nothing. Week of 11 May: #1–#4 (3 surveys, 1 observation). Week of
    18 May: #5–#7 (1 import, 2 surveys). access: 2 of 4 (50 %), then 2 of 3 (66.7 %)."""
    e, _ids, _ = fixture
    with app.app_context():
        weekly = insights.theme_breakdown(make_filter(app, e), "week")
        assert [g.key for g in weekly.groups] == [WEEK_0, WEEK_A, WEEK_B]
        assert [g.total for g in weekly.groups] == [0, 4, 3]
        assert weekly.groups[1].by_kind[FeedbackKind.OBSERVATION] == 1
        assert weekly.groups[2].by_kind[FeedbackKind.IMPORT] == 1
        trends = {t.theme.code: t for t in insights.week_over_week(weekly)}
        access = trends["access"]
        assert (access.previous_week, access.week) == (WEEK_A, WEEK_B)
        assert (access.previous_count, access.count) == (2, 2)
        assert access.change == pytest.approx(2 / 3 - 1 / 2)
        assert not access.emerging  # 2 mentions: fewer than EMERGING_MIN_COUNT
        assert trends["workflow"].change == pytest.approx(0 - 2 / 4)


def test_an_emerging_theme_is_flagged(app, make_establishment, add_feedback):
    """Week A: 10 feedback, 1 on safety (10 %). Week B: 10 feedback, 6 on safety (60 %)."""
    e = make_establishment(go_live=GO_LIVE)
    for n in range(10):
        add_feedback(e, day=date(2026, 5, 12), themes=("safety",) if n < 1 else ("access",))
        add_feedback(e, day=date(2026, 5, 19), themes=("safety",) if n < 6 else ("access",))
    with app.app_context():
        trends = insights.week_over_week(insights.theme_breakdown(make_filter(app, e), "week"))
        assert trends[0].theme.code == "safety" and trends[0].emerging
        assert trends[0].change == pytest.approx(0.5)
        assert not trends[1].emerging  # access fell


def test_theme_by_phase_sector_and_role_group(app, fixture):
    """Phase 1: #1–#4, phase 2: #5–#7. Urgence #1 #3 #4 #7, oncologie #2 #6, no sector #5.
    Physicians #3 #6 (access in both); other staff #1 #2 #4 #5 #7 (#4: an observation about a
    super-user)."""
    e, _ids, _ = fixture
    with app.app_context():
        f = make_filter(app, e)
        by_phase = insights.theme_breakdown(f, "phase")
        assert [(g.key, g.total) for g in by_phase.groups] == [(1, 4), (2, 3), (3, 0)]
        access = db.session.scalar(select(Theme).where(Theme.code == "access"))
        assert by_phase.groups[0].theme(access.id).share == pytest.approx(2 / 4)
        assert by_phase.groups[1].theme(access.id).share == pytest.approx(2 / 3)

        by_sector = {g.key: g for g in insights.theme_breakdown(f, "sector").groups}
        assert {k: g.total for k, g in by_sector.items()} == {
            sector_id(e, "urgence"): 4, sector_id(e, "oncologie"): 2, 0: 1}
        assert by_sector[sector_id(e, "oncologie")].theme(access.id).count == 1

        by_role = insights.theme_breakdown(f, "role_group")
        physician, other = by_role.groups
        assert (physician.key, physician.total, other.key, other.total) == (
            "physician", 2, "other", 5)
        assert physician.theme(access.id).share == pytest.approx(1.0)
        assert other.theme(access.id).share == pytest.approx(2 / 5)


def test_observations_about_physicians_count_among_physicians(app, fixture, add_feedback):
    """An observation is filed under who was affected: one about a physician joins #3 #6."""
    e, _ids, _ = fixture
    add_feedback(e, kind="observation", role="physician", sector="urgence", phase=2,
                 day=date(2026, 5, 22), sentiment="negative", polarity=-0.4,
                 themes=("training",))
    with app.app_context():
        f = make_filter(app, e)
        physician, other = insights.theme_breakdown(f, "role_group").groups
        assert (physician.total, other.total) == (3, 5)
        assert physician.by_kind[FeedbackKind.OBSERVATION] == 1
        # Observations are signed, not anonymous: they neither count towards nor lift the
        # anonymity of the survey comments beside them.
        assert physician.responses == 2
        training = db.session.scalar(select(Theme).where(Theme.code == "training"))
        assert physician.theme(training.id).count == 1
        only_physicians = insights.theme_breakdown(
            make_filter(app, e, role=WriterRole.PHYSICIAN))
        assert only_physicians.overall.total == 3


def test_survey_items_recommend_score_and_campaigns(app, fixture):
    """access: 2, 1, 4, 5 → mean 3, one answer at 1, 2, 4 and 5. training: 4, 5, 3, 3 → 3.75.
    Recommend 9, 6, 10 (one skipped): 2 promoters, 1 detractor of 3 → +33.3."""
    e, _ids, (c1, c2) = fixture
    with app.app_context():
        f = make_filter(app, e)
        (scores,) = insights.survey_scores(f)
        assert scores.responses == 4
        items = {item.item: item for item in scores.items}
        assert (items["access"].answers, items["access"].mean) == (4, 3.0)
        assert items["access"].distribution == (1, 1, 0, 1, 1)
        assert items["access"].shares == (0.25, 0.25, 0.0, 0.25, 0.25)
        assert items["training"].mean == pytest.approx(3.75)
        assert items["training"].distribution == (0, 0, 2, 1, 1)
        recommend = scores.recommend
        assert (recommend.answers, recommend.promoters, recommend.passives,
                recommend.detractors) == (3, 2, 0, 1)
        assert recommend.score == pytest.approx(100 / 3)

        physicians, others = insights.survey_scores(f, "role_group")
        assert physicians.responses == 1 and others.responses == 3
        assert {i.item: i.mean for i in physicians.items}["access"] == 1
        assert {i.item: i.mean for i in others.items}["access"] == pytest.approx(11 / 3)

        by_sector = {s.key: s.responses for s in insights.survey_scores(f, "sector")}
        assert by_sector == {sector_id(e, "urgence"): 2, sector_id(e, "oncologie"): 2}

        campaigns = insights.campaign_responses(f)
        assert [(row.campaign.id, row.responses) for row in campaigns] == [(c1.id, 2),
                                                                          (c2.id, 2)]


@pytest.mark.parametrize(
    ("narrowing", "total", "access", "responses"),
    [
        # phase 2: #5 #6 #7, access #5 #6; responses on 20 and 21 May.
        ({"phase": 2}, 3, 2, 2),
        # physicians: #3 #6; one response.
        ({"role": WriterRole.PHYSICIAN}, 2, 2, 1),
        # urgence: #1 #3 #4 #7, access #1 #3; responses of 12 and 14 May.
        ({"sector": "urgence"}, 4, 2, 2),
        # observations: #4 only, and no survey response can be one.
        ({"kind": FeedbackKind.OBSERVATION}, 1, 0, 0),
        # survey comments: #1 #2 #3 #6 #7; every response is a survey.
        ({"kind": FeedbackKind.SURVEY}, 5, 3, 4),
        # imports: #5.
        ({"kind": FeedbackKind.IMPORT}, 1, 1, 0),
        # nurses of urgence in phase 1: #1.
        ({"phase": 1, "role": WriterRole.NURSE, "sector": "urgence"}, 1, 1, 1),
    ],
)
def test_every_filter(app, fixture, narrowing, total, access, responses):
    e, _ids, _ = fixture
    with app.app_context():
        if "sector" in narrowing:
            narrowing["sector_id"] = sector_id(e, narrowing.pop("sector"))
        f = make_filter(app, e, **narrowing)
        result = insights.theme_breakdown(f)
        group = result.overall
        assert group.total == total
        found = {t.code: group.theme(t.id).count for t in result.themes}
        assert found.get("access", 0) == access
        assert insights.survey_scores(f)[0].responses == responses
        # The raw listing applies the same filter: same feedback as the rollup counted.
        listed = db.session.scalar(select(func.count()).select_from(
            insights.listing(f).subquery()))
        assert listed == total


def test_the_period_filter_counts_whole_weeks(app, fixture):
    """19 May alone widens to the week of 18 May: #5 #6 #7 and the responses of 20, 21 May."""
    e, _ids, _ = fixture
    with app.app_context():
        f = make_filter(app, e, first=date(2026, 5, 19), last=date(2026, 5, 19))
        assert (f.scope.first_week, f.scope.last_week) == (WEEK_B, WEEK_B)
        assert insights.theme_breakdown(f).overall.total == 3
        assert insights.survey_scores(f)[0].responses == 2
        assert insights.data_weeks([e.id]) == (WEEK_A, WEEK_B)


def test_listing_by_theme_and_sentiment(app, fixture):
    e, ids, _ = fixture
    with app.app_context():
        f = make_filter(app, e)
        access = db.session.scalar(select(Theme.id).where(Theme.code == "access"))
        listed = [item.id for item in db.session.scalars(
            insights.listing(f, access, SentimentLabel.NEGATIVE))]
        # #5 (week of 18 May) first; #1 and #3 (week of 11 May) in an order that says nothing
        # of their days.
        assert listed[0] == ids[4] and sorted(listed[1:]) == [ids[0], ids[2]]


def test_representative_comments_follow_the_dominant_sentiment(app, fixture):
    """access is mostly negative: #5, #3, #1 (newest first); support only positive: #6, #2."""
    e, ids, _ = fixture
    with app.app_context():
        f = make_filter(app, e)
        blocks = {b.theme.code: b for b in insights.representative_comments(
            f, insights.theme_breakdown(f))}
        assert blocks["access"].sentiment is SentimentLabel.NEGATIVE
        found = [item.id for item in blocks["access"].comments]
        assert found[0] == ids[4] and sorted(found[1:]) == [ids[0], ids[2]]  # weeks, not days
        assert [item.id for item in blocks["support"].comments] == [ids[5], ids[1]]
        assert not blocks["support"].anonymous_hidden


def test_an_empty_establishment(app, make_establishment):
    e = make_establishment(go_live=GO_LIVE)
    with app.app_context():
        f = make_filter(app, e)
        overall = insights.theme_breakdown(f)
        assert overall.overall.total == 0 and overall.themes == []
        assert not overall.selection.suppressed
        weekly = insights.theme_breakdown(f, "week")
        assert [g.total for g in weekly.groups] == [0, 0, 0]
        assert insights.week_over_week(weekly) == []
        assert insights.theme_breakdown(f, "sector").groups == []
        (scores,) = insights.survey_scores(f)
        assert scores.responses == 0 and scores.items == [] and scores.recommend.score is None
        assert insights.campaign_responses(f) == []
        assert insights.representative_comments(f, overall) == []
        assert insights.data_weeks([e.id]) is None


def test_one_theme_only(app, make_establishment, add_feedback):
    e = make_establishment(go_live=GO_LIVE)
    add_feedback(e, themes=("safety",), sentiment="negative", polarity=-0.4)
    add_feedback(e, themes=("safety",), sentiment="negative", polarity=-0.6, role="physician")
    with app.app_context():
        f = make_filter(app, e)
        result = insights.theme_breakdown(f)
        assert codes(result) == ["safety"]
        figure = result.overall.theme(result.themes[0].id)
        assert (figure.count, figure.share) == (2, 1.0)
        assert figure.sentiment.mean_polarity == pytest.approx(-0.5)
        assert [t.theme.code for t in insights.representative_comments(f, result)] == ["safety"]


def test_pooled_figures_add_establishments_up(app, fixture, make_establishment, add_feedback):
    """The fixture's 7 feedback plus 2 of a second establishment, each over its own weeks."""
    e, _ids, _ = fixture
    second = make_establishment("SEC", go_live=date(2026, 6, 6))
    add_feedback(second, day=date(2026, 6, 9), themes=("access",))
    add_feedback(second, day=date(2026, 6, 10), themes=("training",))
    with app.app_context():
        one = make_filter(app, e)
        two = insights.summary_filter(db.session.get(Establishment, second.id),
                                       date(2026, 6, 6), date(2026, 6, 21), threshold=1)
        pooled = insights.SummaryFilter(scopes=one.scopes + two.scopes, threshold=1)
        figures = insights.establishment_figures(pooled)
        assert figures.pooled == 2
        assert figures.overall.overall.total == 9
        assert figures.scores.responses == 4
        assert figures.kpis.received == 0 and figures.kpis.median_hours_to_resolution is None
