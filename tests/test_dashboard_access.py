"""Who reads which summary: managers theirs only (another one is 404), super-users none (403)."""

import html
from datetime import date

import pytest
from sqlalchemy import select

from feedback import learnings
from feedback.extensions import db
from feedback.models import (
    AuditEntry,
    Establishment,
    Feedback,
    Role,
    ThemeSource,
    User,
)

GO_LIVE = date(2026, 5, 9)


@pytest.fixture
def two(app, make_establishment, make_user, add_feedback):
    a = make_establishment("AAA", name="Établissement Alpha", go_live=GO_LIVE)
    b = make_establishment("BBB", name="Établissement Bêta", go_live=GO_LIVE)
    for establishment, text in ((a, "Chez Alpha"), (b, "Chez Bêta")):
        for _ in range(6):
            add_feedback(establishment, text=text, themes=("access",))
    feedback_b = add_feedback(b, text="Commentaire de Bêta", themes=("access",))
    manager_b = make_user(Role.MANAGER, b)
    with app.app_context():
        feedback_b = db.session.get(Feedback, feedback_b).ref  # what URLs name
        learning = learnings.create_learning(
            db.session.get(Establishment, b.id), author=db.session.get(User, manager_b.id),
            title="Leçon de Bêta", learned="Bêta.", action="Fait.")
        db.session.commit()
        learning_b = learning.id
    return a, b, feedback_b, learning_b


def other_urls(b, feedback_b, learning_b):
    return [
        ("get", f"/dashboard/summary?establishment={b.id}"),
        ("get", f"/dashboard/feedback?establishment={b.id}"),
        ("get", f"/dashboard/report?establishment={b.id}"),
        ("get", f"/dashboard/report.pdf?establishment={b.id}"),
        ("post", f"/dashboard/report/notes?establishment={b.id}"),
        ("get", f"/dashboard/export/feedback.csv?establishment={b.id}"),
        ("get", f"/dashboard/export/summary.xlsx?establishment={b.id}"),
        ("get", f"/dashboard/feedback/{feedback_b}/themes"),
        ("post", f"/dashboard/feedback/{feedback_b}/themes"),
        ("get", f"/learnings?establishment={b.id}"),
        ("get", f"/learnings/new?establishment={b.id}"),
        ("get", f"/learnings/{learning_b}"),
        ("get", f"/learnings/{learning_b}/edit"),
        ("post", f"/learnings/{learning_b}/publish"),
    ]


def test_a_manager_of_a_cannot_read_b(app, client, auth, two, make_user):
    a, b, feedback_b, learning_b = two
    auth.login(make_user(Role.MANAGER, a).email)
    for method, url in other_urls(b, feedback_b, learning_b):
        assert getattr(client, method)(url).status_code == 404, url
    for url in ("/dashboard/summary", "/dashboard/feedback", "/dashboard/report",
                "/dashboard/compare", "/learnings", "/dashboard/export/summary.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Bêta" not in html.unescape(response.get_data(as_text=True)), url


def test_an_establishment_admin_is_scoped_like_a_manager(app, client, auth, two, make_user):
    a, b, feedback_b, learning_b = two
    auth.login(make_user(Role.ADMIN, a).email)
    for method, url in other_urls(b, feedback_b, learning_b):
        assert getattr(client, method)(url).status_code == 404, url


@pytest.mark.parametrize("url", [
    "/dashboard/summary", "/dashboard/feedback", "/dashboard/compare", "/dashboard/report",
    "/dashboard/report.pdf", "/dashboard/export/feedback.csv", "/dashboard/export/summary.xlsx",
    "/learnings", "/learnings/new",
])
def test_super_users_are_refused(client, auth, two, make_user, url):
    a, *_ = two
    auth.login(make_user(Role.SUPER_USER, a).email)
    assert client.get(url).status_code == 403


def test_super_users_cannot_correct_themes_or_publish(app, client, auth, two, make_user):
    a, b, feedback_b, learning_b = two
    auth.login(make_user(Role.SUPER_USER, b).email)
    assert client.post(f"/dashboard/feedback/{feedback_b}/themes").status_code == 403
    assert client.post(f"/learnings/{learning_b}/publish").status_code == 403


def test_visitors_are_sent_to_sign_in_but_may_read_what_we_did(client, two):
    a, *_ = two
    response = client.get("/dashboard/summary")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/vous-avez-dit/AAA").status_code == 200


def test_network_wide_users_pick_an_establishment(app, client, auth, two, make_user):
    a, b, *_ = two
    auth.login(make_user(Role.MANAGER, None).email)
    choose = html.unescape(client.get("/dashboard/summary").text)
    assert "Établissement Alpha" in choose and "Établissement Bêta" in choose
    assert f"establishment={b.id}" in choose
    assert client.get(f"/dashboard/summary?establishment={b.id}").status_code == 200
    assert client.get("/dashboard/summary?establishment=99999").status_code == 404
    compare = html.unescape(client.get("/dashboard/compare").text)
    assert "AAA" in compare and "BBB" in compare


def test_an_establishment_sees_the_rest_of_the_network_only_pooled(
        app, client, auth, two, make_establishment, make_user, add_feedback):
    a, *_ = two
    manager = make_user(Role.MANAGER, a)
    auth.login(manager.email)
    page = html.unescape(client.get("/dashboard/compare").text)
    assert "BBB" not in page and "Bêta" not in page  # one other establishment: nothing
    for code in ("CCC", "DDD"):
        add_feedback(make_establishment(code, go_live=GO_LIVE), themes=("access",))
    page = html.unescape(client.get("/dashboard/compare").text)
    for code in ("BBB", "CCC", "DDD"):
        assert code not in page
    assert "3 établissements regroupés" in page and "Reste du réseau" in page


def test_a_manager_corrects_themes(app, client, auth, two, make_user, cut):
    a, *_ = two
    manager = make_user(Role.MANAGER, a)
    cut(1)  # the comment counts in a cohort of its own: a correction needs it listed
    with app.app_context():
        item = db.session.scalar(select(Feedback).where(Feedback.establishment_id == a.id))
        item_id, ref = item.id, item.ref
    auth.login(manager.email)
    prefix = f"f{ref}-"
    response = client.post(f"/dashboard/feedback/{ref}/themes", data={
        prefix + "themes": ["workflow", "training"], prefix + "next": "/dashboard/feedback"})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/feedback"
    with app.app_context():
        item = db.session.get(Feedback, item_id)
        assert sorted((link.theme.code, link.source) for link in item.themes) == [
            ("training", ThemeSource.MANUAL), ("workflow", ThemeSource.MANUAL)]
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "feedback.retheme"))
        assert entry.details == {"before": "access", "after": "training,workflow"}
        assert entry.target_id == ref
        # The correction is training data for `flask retrain`, and retagging keeps it.
        from feedback.tagging import active_themes, manual_corrections, retag_batch

        assert ("Chez Alpha", frozenset({"training", "workflow"})) in manual_corrections()
        retag_batch(item_id - 1, 1, active_themes())
        db.session.commit()
        assert sorted(link.theme.code for link in db.session.get(Feedback, item_id).themes) == [
            "training", "workflow"]
    # No theme at all is refused, next to the field, and nothing changes.
    response = client.post(f"/dashboard/feedback/{ref}/themes", data={
        prefix + "next": "/dashboard/feedback"})
    assert response.status_code == 200 and 'class="error"' in response.text
    # An outside address is never followed.
    response = client.post(f"/dashboard/feedback/{ref}/themes", data={
        prefix + "themes": ["access"], prefix + "next": "https://evil.example/"})
    assert response.headers["Location"] == "/dashboard/feedback"


def test_a_summary_page_for_a_filter_of_no_rows_still_renders(app, client, auth, two, make_user):
    a, *_ = two
    auth.login(make_user(Role.MANAGER, a).email)
    for query in ("kind=import", "phase=3", "role=clerk", "start=2030-01-01&end=2030-01-31",
                  "start=2026-06-30&end=2026-05-01", "phase=9&role=nobody&sector=x"):
        assert client.get(f"/dashboard/summary?{query}").status_code == 200, query
