"""Theme digests: representative comments by centrality, recurring phrases, issues and learnings,
and a draft learning proposed from a mostly resolved theme (never published by itself)."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from feedback import issues
from feedback.analysis.digest import central, key_phrases
from feedback.extensions import db
from feedback.models import (
    Establishment,
    Issue,
    IssueStatus,
    Learning,
    LearningStatus,
    Priority,
    Role,
    Theme,
    User,
)

GO_LIVE = date(2026, 5, 9)
ON_TOPIC = [
    "La double saisie papier ralentit tout le quart de nuit",
    "Encore la double saisie papier au poste 3, on perd du temps",
    "La double saisie papier des ordonnances nous retarde",
    "Double saisie papier pour les signes vitaux, c'est long",
    "Le temps perdu en double saisie papier est énorme",
]
OFF_TOPIC = ["Le stationnement est plein le matin", "La cafétéria ferme trop tôt"]


def text(response) -> str:
    raw = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(raw))


def test_the_most_central_comments_are_the_ones_saying_what_all_say():
    texts = [OFF_TOPIC[0], *ON_TOPIC[:3], OFF_TOPIC[1], *ON_TOPIC[3:]]
    chosen = central(texts, 3)
    assert len(chosen) == 3 and all(texts[i] in ON_TOPIC for i in chosen)
    assert central(texts, 3) == chosen  # the same every time
    assert central(["un", "deux"], 4) == [0, 1]
    phrases = key_phrases(texts, 3)
    assert phrases[0] in ("double saisie", "saisie papier", "double saisie papier")
    assert not any("stationnement" in phrase for phrase in phrases)
    assert key_phrases(["un seul texte"], 3) == []


@pytest.fixture
def place(app, make_establishment, make_user, add_feedback):
    establishment = make_establishment("MCQ", go_live=GO_LIVE)
    manager = make_user(Role.MANAGER, establishment)
    for n, comment in enumerate([*ON_TOPIC, *OFF_TOPIC]):
        add_feedback(establishment, kind="observation", role="super_user",
                     day=GO_LIVE + timedelta(days=3 + n % 3), themes=("workflow",),
                     text=comment)
    # Two anonymous comments: too few for a cohort, so never quoted.
    for _ in range(2):
        add_feedback(establishment, kind="survey", day=GO_LIVE + timedelta(days=10),
                     themes=("workflow",), text="SECRET double saisie papier du 3e")
    with app.app_context():
        place = db.session.get(Establishment, establishment.id)
        workflow = db.session.scalar(select(Theme).where(Theme.code == "workflow"))
        made = [issues.create_issue(place, title=title, priority=Priority.P2, actor=None,
                                    themes=[workflow])
                for title in ("Double saisie des ordonnances", "Formulaires papier",
                              "Signes vitaux")]
        db.session.flush()
        for issue in made[:2]:
            issue.status, issue.resolution_note = IssueStatus.RESOLVED, "Gabarit DSN ajouté."
        db.session.commit()
    return establishment, manager


def test_a_theme_digest_reads_in_a_minute(app, client, auth, place):
    establishment, manager = place
    auth.login(manager.email)
    page = text(client.get("/dashboard/themes/workflow"))
    assert "double saisie" in page.split("Expressions récurrentes :")[1][:200]
    quotes = page.split("Ce que les gens disent le plus")[1].split("Enjeux")[0]
    assert sum(comment in quotes for comment in ON_TOPIC) == 4
    assert not any(comment in quotes for comment in OFF_TOPIC)
    assert "SECRET" not in page
    assert "2 / 3" in page and "Double saisie des ordonnances" in page
    assert "Proposer un brouillon d'apprentissage" in page
    assert client.get("/dashboard/themes/nope").status_code == 404


def test_a_mostly_resolved_theme_proposes_a_draft_that_a_person_publishes(app, client, auth,
                                                                          place):
    establishment, manager = place
    auth.login(manager.email)
    response = client.post("/dashboard/themes/workflow/propose")
    assert response.status_code == 302 and "/learnings/" in response.headers["Location"]
    with app.app_context():
        learning = db.session.scalar(select(Learning))
        assert learning.status is LearningStatus.DRAFT and learning.published_at is None
        assert "double saisie" in learning.learned
        assert "Double saisie des ordonnances : Gabarit DSN ajouté." in learning.action
        assert sorted(i.title for i in learning.issues) == ["Double saisie des ordonnances",
                                                            "Formulaires papier"]
        assert [t.code for t in learning.themes] == ["workflow"]
        assert db.session.get(User, manager.id).id == learning.author_id


def test_no_draft_is_proposed_while_most_issues_are_open(app, client, auth, place):
    establishment, manager = place
    with app.app_context():
        for issue in db.session.scalars(select(Issue)):
            issue.status = IssueStatus.NEW
        db.session.commit()
    auth.login(manager.email)
    assert "Proposer un brouillon" not in text(client.get("/dashboard/themes/workflow"))
    client.post("/dashboard/themes/workflow/propose")
    with app.app_context():
        assert db.session.scalar(select(Learning)) is None


def test_a_digest_of_another_establishment_is_404(client, auth, place, make_establishment):
    _establishment, manager = place
    other = make_establishment("NIM")
    auth.login(manager.email)
    assert client.get(f"/dashboard/themes/workflow?establishment={other.id}").status_code == 404
