"""Learnings: drafts, evidence, publication, and the pages staff read without an account."""

import html
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from feedback import issues, learnings
from feedback.extensions import db
from feedback.learnings import LearningError
from feedback.models import (
    AuditEntry,
    Establishment,
    Issue,
    Learning,
    LearningStatus,
    Priority,
    Role,
    User,
)


@pytest.fixture
def place(app, make_establishment, make_user, add_feedback):
    """Establishment A with a manager, two feedback and an issue; B with one feedback."""
    a, b = make_establishment("A"), make_establishment("B")
    manager = make_user(Role.MANAGER, a)
    first = add_feedback(a, text="Le badge ne marche pas la nuit.", themes=("access",))
    second = add_feedback(a, text="Toujours le badge.", themes=("access",))
    foreign = add_feedback(b, text="Ailleurs.", themes=("access",))
    with app.app_context():
        issue = issues.create_issue(db.session.get(Establishment, a.id), title="Badges",
                                    priority=Priority.P2, actor=None)
        db.session.commit()
        issue_id = issue.id
    return a, b, manager, (first, second, foreign), issue_id


def form(**values):
    data = {"title": "Badges la nuit", "learned": "Les badges ne lisaient pas.",
            "action": "Lecteurs remplacés.", "action_owner": "Soutien DSN",
            "action_on": "2026-05-15", "phase": "1", "themes": ["access"], "feedback": "",
            "issues": []}
    data.update(values)
    return data


def test_a_manager_writes_a_draft_with_evidence(app, client, auth, place, ref_of):
    a, _b, manager, (first, second, _foreign), issue_id = place
    auth.login(manager.email)
    assert client.get("/learnings/new").status_code == 200
    response = client.post("/learnings/new", data=form(feedback=f"#{ref_of(first)}, "
                                                                f"{ref_of(second)}",
                                                       issues=[str(issue_id)]))
    assert response.status_code == 302
    with app.app_context():
        learning = db.session.scalar(select(Learning))
        assert learning.status is LearningStatus.DRAFT and learning.establishment_id == a.id
        assert sorted(f.id for f in learning.feedback) == [first, second]
        assert [i.id for i in learning.issues] == [issue_id]
        assert [t.code for t in learning.themes] == ["access"]
        assert learning.action_on == date(2026, 5, 15) and learning.phase == 1
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "learning.created"))
        assert entry.details == {"themes": "access", "feedback": 2, "issues": 1}
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "Le badge ne marche pas la nuit." in page and "Badges" in page


def test_evidence_must_come_from_the_same_establishment(app, client, auth, place, ref_of):
    _a, _b, manager, (_first, _second, foreign), _issue = place
    auth.login(manager.email)
    response = client.post("/learnings/new", data=form(feedback=ref_of(foreign)))
    assert response.status_code == 200
    assert f"#{ref_of(foreign)}" in html.unescape(response.text)
    assert 'aria-invalid="true"' in response.text
    assert "Badges la nuit" in response.text  # what was typed is kept
    response = client.post("/learnings/new", data=form(feedback="douze"))
    assert response.status_code == 200 and 'aria-invalid="true"' in response.text
    with app.app_context():
        assert db.session.scalar(select(Learning)) is None


def test_the_domain_refuses_foreign_evidence(app, place):
    a, _b, manager, (_first, _second, foreign), _issue = place
    with app.app_context():
        from feedback.models import Feedback

        with pytest.raises(LearningError):
            learnings.create_learning(db.session.get(Establishment, a.id),
                                      author=db.session.get(User, manager.id), title="T",
                                      learned="L", feedback=[db.session.get(Feedback, foreign)])


def test_publish_needs_an_action_and_is_audited(app, client, auth, place):
    a, _b, manager, _ids, _issue = place
    auth.login(manager.email)
    client.post("/learnings/new", data=form(action=""))
    with app.app_context():
        learning_id = db.session.scalar(select(Learning.id))
    client.post(f"/learnings/{learning_id}/publish")
    with app.app_context():
        assert db.session.get(Learning, learning_id).status is LearningStatus.DRAFT
    client.post(f"/learnings/{learning_id}/edit", data=form(action="Lecteurs remplacés."))
    assert client.post(f"/learnings/{learning_id}/publish").status_code == 302
    with app.app_context():
        learning = db.session.get(Learning, learning_id)
        assert learning.status is LearningStatus.PUBLISHED and learning.published_at
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "learning.publish"))
        assert entry.target_id == str(learning_id) and entry.establishment_id == a.id
    client.post(f"/learnings/{learning_id}/unpublish")
    with app.app_context():
        assert db.session.get(Learning, learning_id).status is LearningStatus.DRAFT
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "learning.unpublish")) is not None


def _learning(app, establishment, manager, title, *, published_at=None):
    with app.app_context():
        learning = learnings.create_learning(
            db.session.get(Establishment, establishment.id),
            author=db.session.get(User, manager.id), title=title, learned="Vous avez dit.",
            action="Nous avons fait.")
        if published_at:
            learnings.publish_learning(learning, actor=db.session.get(User, manager.id),
                                       at=published_at)
        db.session.commit()
        return learning.id


def test_the_public_page_lists_published_learnings_only(app, client, place):
    a, b, manager, _ids, _issue = place
    _learning(app, a, manager, "Publié en premier", published_at=datetime(2026, 5, 12, tzinfo=UTC))
    _learning(app, a, manager, "Publié ensuite", published_at=datetime(2026, 5, 20, tzinfo=UTC))
    _learning(app, a, manager, "Brouillon secret")
    page = client.get("/vous-avez-dit/a")  # no account needed; the code in any case
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Vous avez dit, nous avons fait" in text and "You said, we did" in text
    assert text.index("Publié ensuite") < text.index("Publié en premier")
    assert "Brouillon secret" not in text
    assert "Publié" not in html.unescape(client.get("/vous-avez-dit/B").text)
    assert client.get("/vous-avez-dit/NOPE").status_code == 404


def test_the_thank_you_page_links_to_the_public_page(app, client, place, make_campaign):
    a, _b, manager, _ids, _issue = place
    _learning(app, a, manager, "Lecteurs de badge", published_at=datetime(2026, 5, 12,
                                                                          tzinfo=UTC))
    campaign = make_campaign(a)
    with app.test_request_context():
        from flask import render_template

        from feedback.models import Campaign

        with app.app_context():
            loaded = db.session.get(Campaign, campaign.id)
            page = render_template("surveys/thanks.html", campaign=loaded,
                                   learnings=learnings.published_learnings(a.id, limit=3))
    assert "Lecteurs de badge" in page and "/vous-avez-dit/A" in page


def test_the_index_lists_drafts_then_published(app, client, auth, place):
    a, _b, manager, _ids, _issue = place
    _learning(app, a, manager, "Publié", published_at=datetime(2026, 5, 12, tzinfo=UTC))
    _learning(app, a, manager, "Brouillon")
    auth.login(manager.email)
    text = html.unescape(client.get("/learnings").text)
    assert text.index("Brouillon") < text.index("Publié</a>")


def test_learnings_of_another_establishment_are_404(app, client, auth, place, make_user):
    a, b, manager, _ids, _issue = place
    theirs = _learning(app, b, make_user(Role.MANAGER, b), "Chez B")
    auth.login(manager.email)
    assert client.get(f"/learnings/{theirs}").status_code == 404
    assert client.get(f"/learnings/{theirs}/edit").status_code == 404
    assert client.post(f"/learnings/{theirs}/publish").status_code == 404
    assert client.get(f"/learnings/new?establishment={b.id}").status_code == 404
    assert "Chez B" not in client.get("/learnings").text


def test_a_learning_starts_from_an_issue(app, client, auth, place):
    a, _b, manager, _ids, issue_id = place
    with app.app_context():
        from feedback.models import Theme

        db.session.get(Issue, issue_id).themes = [db.session.scalar(
            select(Theme).where(Theme.code == "support"))]
        db.session.commit()
    auth.login(manager.email)
    page = client.get(f"/learnings/new?issue={issue_id}").text
    assert 'value="Badges"' in page
    assert f'value="{issue_id}" selected' in page or f'selected value="{issue_id}"' in page


# --- In French and in English -------------------------------------------------------------------

def test_a_learning_gets_an_optional_english_version(app, client, auth, place):
    a, _b, manager, _ids, _issue = place
    auth.login(manager.email)
    half = client.post("/learnings/new", data=form(title_en="Badges at night"))
    assert "Say in English what you heard" in html.unescape(half.text) or \
        "Dites en anglais ce que vous avez entendu" in html.unescape(half.text)
    with app.app_context():
        assert db.session.scalar(select(Learning)) is None
    response = client.post("/learnings/new", data=form(
        title_en="Badges at night", learned_en="Badges were not read.",
        action_en="Readers replaced."))
    assert response.status_code == 302
    with app.app_context():
        learning = db.session.scalar(select(Learning))
        assert learning.has_english()
        assert learning.in_language("en") == ("Badges at night", "Badges were not read.",
                                              "Readers replaced.", "en")
        assert learning.in_language("fr")[0] == "Badges la nuit"


def test_english_pages_show_english_and_say_when_only_french_exists(app, client, place,
                                                                  make_campaign):
    a, _b, manager, _ids, _issue = place
    published = datetime(2026, 5, 12, tzinfo=UTC)
    both = _learning(app, a, manager, "Lecteurs de badge", published_at=published)
    _learning(app, a, manager, "Imprimantes la nuit", published_at=published)
    with app.app_context():
        learning = db.session.get(Learning, both)
        learning.title_en, learning.learned_en = "Badge readers", "Badges failed at night."
        learning.action_en = "Readers replaced." if learning.action else ""
        db.session.commit()
    client.post("/language", data={"language": "en", "next": "/"})
    page = html.unescape(client.get("/vous-avez-dit/A").text)
    assert "Badge readers" in page and "Lecteurs de badge" not in page
    only_french = page.split("Imprimantes la nuit")[1][:300]
    assert "Only in French for now." in only_french
    campaign = make_campaign(a)
    with app.app_context():
        from feedback.models import Campaign

        slug = db.session.get(Campaign, campaign.id).slug
    thanks = html.unescape(client.get(f"/s/{slug}/merci").text)
    assert "Badge readers" in thanks and "Only in French for now." in thanks
    # In French, the French text and no note.
    client.post("/language", data={"language": "fr", "next": "/"})
    french = html.unescape(client.get("/vous-avez-dit/A").text)
    assert "Lecteurs de badge" in french and "Badge readers" not in french
    assert "Seulement en français" not in french
