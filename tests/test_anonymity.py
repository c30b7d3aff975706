"""The anonymity threshold: what rests on too few survey responses is absent everywhere.

The deployment's threshold is 5 unless said otherwise.
"""

import html
import io
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from feedback import insights, models
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.insights import Hidden, anonymity
from feedback.models import Establishment, Feedback, Role, Sector, Site, WriterRole

GO_LIVE = date(2026, 5, 9)


def make_filter(establishment, **narrowing):
    """The establishment's filter, its finished weeks cut first (as the pages do)."""
    anonymity.publish_due(db.session, 5, utcnow())
    est = db.session.get(Establishment, establishment.id)
    return insights.summary_filter(est, GO_LIVE, date(2026, 5, 31), **narrowing)


def sector_id(establishment, code):
    return db.session.scalar(select(Sector.id).join(Site).where(
        Site.establishment_id == establishment.id, Sector.code == code))


@pytest.fixture
def small(make_establishment, add_feedback, make_campaign, add_response):
    """Three survey comments and three responses (fewer than 5), and one observation."""
    e = make_establishment("SML", go_live=GO_LIVE)
    for n in range(3):
        add_feedback(e, text=f"SECRET-{n} le badge ne marche pas", themes=("access",),
                     sentiment="negative", role="physician", day=date(2026, 5, 12 + n))
    add_feedback(e, kind="observation", role="super_user", text="OBSERVATION-VISIBLE",
                 themes=("workflow",), day=date(2026, 5, 13))
    campaign = make_campaign(e)
    for n in range(3):
        add_response(campaign, role="physician", day=date(2026, 5, 12), recommend=2 + n,
                     answers={"access": 1 + n})
    return e


def test_too_few_answers_count_in_no_figure(app, small):
    with app.app_context():
        f = make_filter(small)
        assert f.threshold == 5
        result = insights.theme_breakdown(f)
        group = result.overall
        # The observation is signed: it shows. The three comments count nowhere, and say so.
        assert (group.total, group.responses) == (1, 0)
        assert group.protection.withheld and not group.suppressed
        assert [t.code for t in result.themes] == ["workflow"]
        # Hidden means no value at all (nothing for a JSON API to leak), with the reason.
        weeks = {g.key: g for g in insights.theme_breakdown(f, "week").groups}
        assert weeks[date(2026, 5, 11)].total == 1  # the observation's week
        (scores,) = insights.survey_scores(f)
        assert scores.suppressed and scores.protection.hidden is Hidden.SMALL
        assert scores.responses is None and scores.items is None and scores.recommend is None
        assert all(row.responses is None for row in insights.campaign_responses(f))
        rules = insights.listing_rules(f)
        assert not rules.anonymous_visible and rules.protection.hidden is Hidden.SMALL
        listed = [item.text for item in db.session.scalars(insights.listing(f))]
        assert listed == ["OBSERVATION-VISIBLE"]
        blocks = insights.representative_comments(f, result)
        assert all("SECRET" not in c.text for b in blocks for c in b.comments)


def test_observations_alone_are_not_anonymous_responses(app, small):
    """Super-users' observations follow the normal access rules: one is shown as it is."""
    with app.app_context():
        f = make_filter(small, kind=models.FeedbackKind.OBSERVATION)
        result = insights.theme_breakdown(f)
        assert not result.selection.suppressed
        assert result.overall.total == 1 and result.overall.responses == 0


def test_an_establishment_may_lower_its_threshold(app, small):
    """Weeks are cut with the threshold in force then: 3 comments and 3 responses form cohorts."""
    with app.app_context():
        db.session.get(Establishment, small.id).anonymity_threshold = 3
        db.session.commit()
        f = make_filter(small)
        assert f.threshold == 3
        assert insights.theme_breakdown(f).overall.total == 4
        assert insights.survey_scores(f)[0].responses == 3


def test_small_groups_are_absent_from_the_pages(app, client, auth, small, make_user):
    auth.login(make_user(Role.MANAGER, small).email)
    summary = html.unescape(client.get("/dashboard/summary").text)
    assert "SECRET" not in summary
    assert 'class="hidden-note"' in summary
    listing = html.unescape(client.get("/dashboard/feedback").text)
    assert "SECRET" not in listing and "OBSERVATION-VISIBLE" in listing
    by_theme = html.unescape(client.get("/dashboard/feedback?theme=access").text)
    assert "SECRET" not in by_theme


def test_small_groups_are_absent_from_the_exports(app, client, auth, small, make_user):
    auth.login(make_user(Role.MANAGER, small).email)
    feedback_csv = client.get("/dashboard/export/feedback.csv").get_data(as_text=True)
    assert "SECRET" not in feedback_csv and "OBSERVATION-VISIBLE" in feedback_csv
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get("/dashboard/export/feedback.xlsx").data), read_only=True)
    cells = [str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert not any("SECRET" in cell for cell in cells)
    summary_csv = client.get("/dashboard/export/summary.csv").get_data(as_text=True)
    assert "SECRET" not in summary_csv
    # The recommend answers (2, 3, 4 → 3 detractors) must not appear as a row of figures.
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get("/dashboard/export/summary.xlsx").data), read_only=True)
    recommend = [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                 if sheet.title.startswith(("Indice", "Recommend"))]
    assert recommend and all(value is None or isinstance(value, str)
                             for row in recommend[1:] for value in row)


@pytest.fixture
def overlapping(make_establishment, add_feedback):
    """Urgence: 6 nurses and 2 physicians. Oncologie: 10 nurses. All survey comments."""
    e = make_establishment("OVL", go_live=GO_LIVE)
    for n in range(6):
        add_feedback(e, role="nurse", sector="urgence", themes=("access",), text=f"U-N{n}")
    for n in range(2):
        add_feedback(e, role="physician", sector="urgence", themes=("safety",), text=f"U-P{n}")
    for n in range(10):
        add_feedback(e, role="nurse", sector="oncologie", themes=("workflow",), text=f"O-N{n}")
    return e


def test_filters_differ_only_by_whole_cohorts(app, overlapping):
    """Cohorts: urgence nurses (6), oncologie nurses (10); the 2 physicians form none (withheld).

    The old differencing attack — urgence (8) minus urgence nurses (6) — now finds nothing:
    both selections count the same cohort.
    """
    e = overlapping
    with app.app_context():
        urgence = sector_id(e, "urgence")
        everyone = insights.theme_breakdown(make_filter(e)).overall
        assert (everyone.responses, everyone.protection.withheld) == (16, True)
        in_urgence = insights.theme_breakdown(make_filter(e, sector_id=urgence)).overall
        nurses = insights.theme_breakdown(
            make_filter(e, sector_id=urgence, role=WriterRole.NURSE)).overall
        assert in_urgence.responses == nurses.responses == 6
        assert insights.theme_breakdown(make_filter(e, role=WriterRole.NURSE)).overall \
            .responses == 16
        physicians = insights.theme_breakdown(make_filter(e, role=WriterRole.PHYSICIAN))
        assert physicians.selection.hidden is Hidden.SMALL and physicians.overall.total is None
        listed = {item.text for item in db.session.scalars(insights.listing(make_filter(e)))}
        assert not any(text.startswith("U-P") for text in listed) and len(listed) == 16


def test_small_cells_pool_into_a_wider_cohort(app, make_establishment, add_feedback):
    """3 clerks of urgence and 3 of oncologie: no sector cohort, but one of clerks, any sector.

    It counts for "clerks" and for everyone, never for a sector.
    """
    e = make_establishment(go_live=GO_LIVE)
    for sector in ("urgence", "oncologie"):
        for n in range(3):
            add_feedback(e, role="clerk", sector=sector, text=f"{sector}-{n}")
    with app.app_context():
        clerks = insights.theme_breakdown(make_filter(e, role=WriterRole.CLERK)).overall
        assert clerks.responses == 6 and not clerks.protection.withheld
        for code in ("urgence", "oncologie"):
            one = insights.theme_breakdown(make_filter(e, sector_id=sector_id(e, code)))
            assert one.selection.hidden is Hidden.SMALL
        by_sector = insights.theme_breakdown(make_filter(e), "sector").groups
        assert all(g.suppressed for g in by_sector)
        rules = insights.listing_rules(make_filter(e))
        items = list(db.session.scalars(insights.listing(make_filter(e)).options(
            selectinload(Feedback.cohort))))
        assert len(items) == 6
        assert all(rules.shows_role(item) and not rules.shows_sector(item) for item in items)


def test_a_week_with_few_responses_is_hidden_alone(app, make_establishment, add_feedback):
    """Week of 11 May: 8 comments; 18 May: 2 (hidden); 25 May: 6, shown: the total is 14 and
    says nothing of the 2."""
    e = make_establishment(go_live=GO_LIVE)
    for day, count in ((date(2026, 5, 12), 8), (date(2026, 5, 19), 2), (date(2026, 5, 26), 6)):
        for _ in range(count):
            add_feedback(e, day=day, themes=("training",))
    add_feedback(e, kind="observation", role="super_user", day=date(2026, 5, 20))
    with app.app_context():
        f = make_filter(e)
        weeks = {g.key: g for g in insights.theme_breakdown(f, "week").groups}
        assert weeks[date(2026, 5, 11)].responses == 8
        assert weeks[date(2026, 5, 18)].responses == 0  # the observation shows, not the 2
        assert weeks[date(2026, 5, 18)].protection.withheld
        assert weeks[date(2026, 5, 25)].responses == 6
        assert insights.theme_breakdown(f).overall.responses == 14


def test_a_week_not_over_counts_once_it_is(app, make_establishment, add_feedback):
    """Answers of the current week are pending: no cohort until the week (and an hour) is over."""
    from feedback.clock import local_today

    e = make_establishment(go_live=local_today() - timedelta(days=30))
    for _ in range(6):
        add_feedback(e, day=local_today(), themes=("access",))
    with app.app_context():
        est = db.session.get(Establishment, e.id)
        f = insights.summary_filter(est, local_today(), local_today())
        assert anonymity.publish_due(db.session, 5, utcnow()) == 0
        result = insights.theme_breakdown(f)
        assert result.selection.hidden is Hidden.PENDING
        # A week later, it is cut, and counts.
        later = utcnow() + timedelta(days=8)
        assert anonymity.publish_due(db.session, 5, later) >= 1
        f = insights.summary_filter(est, local_today(), local_today(), now=later)
        assert insights.theme_breakdown(f).overall.responses == 6


def test_a_theme_mentioned_by_few_hides_its_sentiment(app, make_establishment, add_feedback):
    """safety: 2 mentions among 8 nurses: its share shows, its mood not."""
    e = make_establishment(go_live=GO_LIVE)
    for n in range(8):
        add_feedback(e, themes=("safety",) if n < 2 else ("access",), sentiment="negative")
    with app.app_context():
        f = make_filter(e)
        result = insights.theme_breakdown(f)
        safety = next(result.overall.theme(t.id) for t in result.themes if t.code == "safety")
        assert safety.count == 2 and safety.sentiment is None
        assert safety.sentiment_protection.hidden is Hidden.SMALL
        comments = {b.theme.code: b for b in insights.representative_comments(f, result)}
        assert comments["safety"].anonymous_hidden and comments["safety"].comments == []
        assert not comments["access"].anonymous_hidden


def test_the_list_page_names_only_what_a_cohort_shares(app, client, auth, make_user,
                                                       make_establishment, add_feedback, cut):
    e = make_establishment(go_live=GO_LIVE)
    for sector in ("urgence", "oncologie"):
        for n in range(3):
            add_feedback(e, role="clerk", sector=sector, text=f"CLERK-{sector}-{n}")
    cut()
    auth.login(make_user(Role.MANAGER, e).email)
    page = html.unescape(client.get("/dashboard/feedback").text)
    entry = page[page.index("CLERK-urgence-0") - 600:page.index("CLERK-urgence-0")]
    entry = entry[entry.rindex('class="meta"'):]
    # The cohort is "administrative staff, any sector, phase 1, week of 11 May".
    assert "Personnel administratif" in entry and "semaine du 11 mai" in entry
    assert "Urgence" not in entry and "Oncologie" not in entry
    assert "12 mai" not in entry  # never the day
