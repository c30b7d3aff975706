"""A manager's first screen: the few things that changed this week, each with its link."""

import html
import re
from datetime import timedelta

import pytest

from feedback import issues, learnings
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.insights import anonymity
from feedback.models import Establishment, Priority, Role, User


def text(response) -> str:
    raw = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(raw))


@pytest.fixture
def mcq(make_establishment):
    # Its last pulse (day 181) is long past: none is due.
    return make_establishment("MCQ", go_live=local_today() - timedelta(days=240))


def first_screen(response) -> str:
    """The text of the week's changes section."""
    body = response.get_data(as_text=True)
    section = body.split('<section class="week-changes"')[1].split("</section>")[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", section)))


def test_the_home_lists_breached_issues_emerging_themes_and_learnings_to_publish(
        app, client, auth, make_user, mcq, add_feedback):
    manager = make_user(Role.MANAGER, mcq)
    week = anonymity.last_closed_week(utcnow())
    for _ in range(6):
        add_feedback(mcq, kind="observation", role="super_user", day=week + timedelta(days=1),
                     themes=("training",))
    add_feedback(mcq, kind="observation", role="super_user", day=week - timedelta(days=6),
                 themes=("training",))
    for _ in range(3):  # steady: not emerging
        add_feedback(mcq, kind="observation", role="super_user", day=week + timedelta(days=2),
                     themes=("access",))
        add_feedback(mcq, kind="observation", role="super_user", day=week - timedelta(days=5),
                     themes=("access",))
    with app.app_context():
        place = db.session.get(Establishment, mcq.id)
        late = issues.create_issue(place, title="Imprimantes muettes", priority=Priority.P1,
                                   actor=None, at=utcnow() - timedelta(hours=30))
        issues.create_issue(place, title="Récent", priority=Priority.P1, actor=None)
        issues.create_issue(place, title="Vieux mais P3", priority=Priority.P3, actor=None,
                            at=utcnow() - timedelta(days=5))
        author = db.session.get(User, manager.id)
        done = learnings.create_learning(place, author=author, title="Badges réparés",
                                         learned="Badges.", action="Lecteurs changés.",
                                         action_on=local_today() - timedelta(days=1))
        learnings.create_learning(place, author=author, title="Pas encore fait",
                                  learned="Écrans.", action="À venir.",
                                  action_on=local_today() + timedelta(days=5))
        db.session.commit()
        late_id, done_id = late.id, done.id
    auth.login(manager.email)
    response = client.get("/")
    page = first_screen(response)
    assert "1 enjeu prioritaire a dépassé sa cible de 24 heures" in page
    assert "Imprimantes muettes" in page
    assert "Formation et apprentissage : thème en hausse" in page
    assert "6 mentions la semaine dernière, 1 la semaine d'avant" in page
    assert "Accès" not in page
    assert "À annoncer au personnel : Badges réparés" in page and "Pas encore fait" not in page
    body = response.get_data(as_text=True)
    assert f'href="/learnings/{done_id}"' in body
    assert "age=gt1d" in body and late_id
    assert len(re.findall(r'<li class="change ', body)) <= 5


def test_a_quiet_week_says_so_and_super_users_see_no_such_list(client, auth, make_user, mcq):
    auth.login(make_user(Role.MANAGER, mcq).email)
    assert "Rien de nouveau ne vous attend cette semaine." in text(client.get("/"))
    auth.logout()
    auth.login(make_user(Role.SUPER_USER, mcq).email)
    assert "Ce qui a changé cette semaine" not in text(client.get("/"))


def test_a_due_pulse_is_among_the_changes(client, auth, make_user, make_establishment):
    recent = make_establishment("NEW", go_live=local_today() - timedelta(days=27))
    auth.login(make_user(Role.MANAGER, recent).email)
    page = text(client.get("/"))
    assert "La mesure du jour 30 est due" in page


def test_the_menu_folds_behind_a_button(client, auth, make_user, mcq):
    auth.login(make_user(Role.MANAGER, mcq).email)
    body = client.get("/").get_data(as_text=True)
    assert 'aria-controls="main-menu"' in body and 'id="main-menu"' in body
    assert "js/menu.js" in body
