"""The anonymity threshold: what rests on too few survey responses is absent everywhere.

The deployment's threshold is 5 unless said otherwise.
"""

import html
import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from feedback import summaries
from feedback.extensions import db
from feedback.models import Establishment, Role, Sector, Site, WriterRole
from feedback.summaries import Hidden

GO_LIVE = date(2026, 5, 9)


def make_filter(establishment, **narrowing):
    est = db.session.get(Establishment, establishment.id)
    return summaries.summary_filter(est, GO_LIVE, date(2026, 5, 31), **narrowing)


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


def test_the_aggregates_hide_a_small_selection_without_any_figure(app, small):
    with app.app_context():
        f = make_filter(small)
        assert f.threshold == 5
        result = summaries.theme_breakdown(f)
        assert result.selection.hidden is Hidden.SMALL
        group = result.overall
        # Hidden means no value at all (nothing for a JSON API to leak), with the reason.
        assert (group.total, group.responses, group.by_kind, group.themes) == (None,) * 4
        assert group.protection.suppressed and group.protection.threshold == 5
        assert all(g.suppressed and g.total is None
                   for g in summaries.theme_breakdown(f, "week").groups)
        (scores,) = summaries.survey_scores(f)
        assert scores.suppressed and scores.responses is None and scores.items is None
        assert scores.recommend is None
        assert all(row.responses is None for row in summaries.campaign_responses(f))
        rules = summaries.listing_rules(f)
        assert not rules.anonymous_visible
        listed = [item.text for item in db.session.scalars(summaries.listing(f, rules))]
        assert listed == ["OBSERVATION-VISIBLE"]
        blocks = summaries.representative_comments(f, result)
        assert all("SECRET" not in c.text for b in blocks for c in b.comments)


def test_observations_alone_are_not_anonymous_responses(app, small):
    """Super-users' observations follow the normal access rules: one is shown as it is."""
    with app.app_context():
        f = make_filter(small, kind=summaries.FeedbackKind.OBSERVATION)
        result = summaries.theme_breakdown(f)
        assert not result.selection.suppressed
        assert result.overall.total == 1 and result.overall.responses == 0


def test_an_establishment_may_lower_its_threshold(app, small):
    with app.app_context():
        db.session.get(Establishment, small.id).anonymity_threshold = 3
        db.session.commit()
        f = make_filter(small)
        assert f.threshold == 3
        assert summaries.theme_breakdown(f).overall.total == 4
        assert summaries.survey_scores(f)[0].responses == 3


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


def test_filters_cannot_isolate_a_group_by_difference(app, overlapping):
    e = overlapping
    with app.app_context():
        urgence = sector_id(e, "urgence")
        # Urgence, every role: 8 responses, and the network of wider groups differs by ≥ 5.
        assert not summaries.theme_breakdown(make_filter(e, sector_id=urgence)).selection.hidden
        # Urgence nurses: 6 ≥ 5, but urgence (8) minus them leaves the 2 physicians.
        nurses = summaries.theme_breakdown(
            make_filter(e, sector_id=urgence, role=WriterRole.NURSE))
        assert nurses.selection.hidden is Hidden.DIFFERENCE
        assert nurses.overall.total is None
        # All nurses: 16, and everyone (18) minus them is again the 2 physicians.
        assert summaries.theme_breakdown(
            make_filter(e, role=WriterRole.NURSE)).selection.hidden is Hidden.DIFFERENCE
        assert summaries.theme_breakdown(
            make_filter(e, role=WriterRole.PHYSICIAN)).selection.hidden is Hidden.SMALL
        # The listing follows the same rule.
        rules = summaries.listing_rules(make_filter(e, sector_id=urgence, role=WriterRole.NURSE))
        assert rules.protection.hidden is Hidden.DIFFERENCE


def test_a_two_group_comparison_hides_both_sides(app, overlapping):
    """Physicians 2, other staff 16: showing the others and the total would give physicians."""
    with app.app_context():
        f = make_filter(overlapping)
        physicians, others = summaries.theme_breakdown(f, "role_group").groups
        assert physicians.protection.hidden is Hidden.SMALL
        assert others.protection.suppressed and others.total is None
        by_sector = summaries.theme_breakdown(f, "sector").groups
        assert [g.total for g in by_sector] == [8, 10] or [g.total for g in by_sector] == [10, 8]


def test_a_lone_hidden_group_takes_a_neighbour_with_it(app, make_establishment, add_feedback):
    """Urgence 10, oncologie 11, no sector 2: the 2 are hidden, and so is the smallest other
    group, so that the total minus what is shown cannot give the 2 away."""
    e = make_establishment(go_live=GO_LIVE)
    for _ in range(10):
        add_feedback(e, sector="urgence", themes=("access",))
    for _ in range(11):
        add_feedback(e, sector="oncologie", themes=("access",))
    for _ in range(2):
        add_feedback(e, kind="import", sector=None, themes=("access",))
    with app.app_context():
        groups = {g.key: g for g in summaries.theme_breakdown(make_filter(e), "sector").groups}
        assert groups[0].protection.hidden is Hidden.SMALL
        assert groups[sector_id(e, "urgence")].protection.hidden is Hidden.COMPLEMENT
        assert groups[sector_id(e, "oncologie")].total == 11


def test_a_week_with_few_responses_is_hidden(app, make_establishment, add_feedback):
    """Week of 11 May: 8 comments; week of 18 May: 2 comments (hidden), and week of 25 May:
    6 comments, hidden as well so the 2 cannot be worked out from the total."""
    e = make_establishment(go_live=GO_LIVE)
    for day, count in ((date(2026, 5, 12), 8), (date(2026, 5, 19), 2), (date(2026, 5, 26), 6)):
        for _ in range(count):
            add_feedback(e, day=day, themes=("training",))
    add_feedback(e, kind="observation", role="super_user", day=date(2026, 5, 19))
    with app.app_context():
        weeks = {g.key: g for g in summaries.theme_breakdown(make_filter(e), "week").groups}
        assert weeks[date(2026, 5, 11)].total == 8
        assert weeks[date(2026, 5, 18)].protection.hidden is Hidden.SMALL
        assert weeks[date(2026, 5, 25)].protection.hidden is Hidden.COMPLEMENT


def test_a_theme_mentioned_by_few_hides_its_sentiment(app, overlapping):
    """safety: 2 mentions (the urgence physicians) among 18: its share shows, its mood not."""
    with app.app_context():
        result = summaries.theme_breakdown(make_filter(overlapping))
        safety = next(result.overall.theme(t.id) for t in result.themes if t.code == "safety")
        assert safety.count == 2 and safety.sentiment is None
        assert safety.sentiment_protection.hidden is Hidden.SMALL
        comments = {b.theme.code: b for b in summaries.representative_comments(
            make_filter(overlapping), result)}
        assert comments["safety"].anonymous_hidden and comments["safety"].comments == []
        assert not comments["access"].anonymous_hidden


def test_listed_comments_show_role_and_sector_only_for_large_enough_groups(app, overlapping):
    """Nurses of urgence (6) and oncologie (10) may be named; urgence physicians (2) not."""
    e = overlapping
    with app.app_context():
        rules = summaries.listing_rules(make_filter(e))
        assert rules.anonymous_visible
        assert rules.shows_role("nurse") and not rules.shows_role("physician")
        assert rules.shows_sector("nurse", sector_id(e, "urgence"))
        assert not rules.shows_sector("physician", sector_id(e, "urgence"))


def test_the_list_page_names_no_small_group(app, client, auth, overlapping, make_user):
    auth.login(make_user(Role.MANAGER, overlapping).email)
    page = html.unescape(client.get("/dashboard/feedback").text)
    assert "U-P0" in page  # the comment is listed (18 responses in the selection)...
    entry = page[page.index("U-P0") - 400:page.index("U-P0")]
    assert "Urgence" not in entry and "Médecin" not in entry  # ...but not who wrote it
