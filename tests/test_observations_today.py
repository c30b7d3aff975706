"""A super-user's shift: their observations of today, what became of each, and a request to the
command centre in one tap (a new P3 issue by default, linked, idempotent, audited)."""

import uuid
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from feedback import observations
from feedback.clock import QUEBEC, local_today
from feedback.extensions import db
from feedback.models import (
    AuditEntry,
    Feedback,
    Issue,
    IssueStatus,
    Priority,
    Role,
    Sector,
    Site,
    User,
    WriterRole,
)


@pytest.fixture
def shift(make_establishment, make_user, auth):
    """A signed-in super-user of an establishment in stabilisation, and a way to log for them."""
    establishment = make_establishment("A", go_live=local_today() - timedelta(days=20))
    user = make_user(Role.SUPER_USER, establishment)
    auth.login(user.email)
    return user, establishment


def observe(app, user, establishment, text, *, day=None, hour=None, priority=None,
            affected=WriterRole.NURSE) -> str:
    """Record an observation of `user` (today at `hour`, Québec); returns its reference."""
    with app.app_context():
        author = db.session.get(User, user.id)
        sector = db.session.scalar(select(Sector).join(Site).where(
            Site.establishment_id == establishment.id, Sector.code == "urgence"))
        moment = None
        if day is not None or hour is not None:
            moment = datetime.combine(day or local_today(), time(hour or 8), tzinfo=QUEBEC)
        feedback = observations.record_observation(
            establishment=author.establishment, author=author, text=text,
            client_uuid=str(uuid.uuid4()), affected_role=affected, priority=priority,
            sector=sector, created_at=moment)
        db.session.commit()
        return feedback.ref


def test_today_lists_my_observations_of_today_only(app, client, shift, make_user):
    user, establishment = shift
    observe(app, user, establishment, "Hier soir, imprimante bloquée.",
            day=local_today() - timedelta(days=1), hour=22)
    observe(app, user, establishment, "Ce matin, le lecteur de bracelets refuse.")
    colleague = make_user(Role.SUPER_USER, establishment)
    observe(app, colleague, establishment, "Observation d'une collègue.")
    page = client.get("/observations/today")
    assert page.status_code == 200
    assert "Mes observations d'aujourd'hui" in page.text
    assert "le lecteur de bracelets refuse" in page.text
    assert "Hier soir" not in page.text and "collègue" not in page.text
    assert "1 observation" in page.text
    assert "pas encore liée à un enjeu" in page.text


def test_today_says_what_became_of_an_observation(app, client, shift, make_user):
    user, establishment = shift
    ref = observe(app, user, establishment, "Ordonnances en double à l'urgence.")
    with app.app_context():
        from feedback.issues import change_status, create_issue_from_feedback

        manager = make_user(Role.MANAGER, establishment)
        feedback = db.session.scalar(select(Feedback).where(Feedback.ref == ref))
        issue = create_issue_from_feedback(feedback, title="Ordonnances en double",
                                           priority=Priority.P2,
                                           actor=db.session.get(User, manager.id))
        change_status(issue, IssueStatus.IN_PROGRESS, actor=None)
        db.session.commit()
        issue_id = issue.id
    page = client.get("/observations/today").text
    assert f"#{issue_id} Ordonnances en double" in page and "En cours" in page
    # A super-user has no access to the command centre: no link to the issue, no button.
    assert f"/issues/{issue_id}" not in page
    assert "/issue-request" not in page


def test_one_tap_sends_an_observation_as_a_new_p3_issue_linked_and_audited(app, client, shift):
    user, establishment = shift
    ref = observe(app, user, establishment,
                  "Le module de pharmacie affiche une dose erronée pour les perfusions de "
                  "l'unité, le personnel contourne avec le papier depuis ce matin 7 h.")
    page = client.get("/observations/today").text
    assert f'action="/observations/{ref}/issue-request"' in page
    response = client.post(f"/observations/{ref}/issue-request")
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/observations/today?sent={ref}#outcome-{ref}")
    with app.app_context():
        issue = db.session.scalar(select(Issue))
        feedback = db.session.scalar(select(Feedback).where(Feedback.ref == ref))
        assert issue.status is IssueStatus.NEW and issue.priority is Priority.P3
        assert feedback.issue_id == issue.id and issue.establishment_id == establishment.id
        assert issue.created_by_id == user.id and issue.sector_id == feedback.sector_id
        assert issue.title.startswith("Le module de pharmacie") and len(issue.title) <= 91
        actions = {entry.action: entry for entry in db.session.scalars(select(AuditEntry))}
        assert {"issue.create", "issue.attach", "issue.request"} <= actions.keys()
        request = actions["issue.request"]
        assert request.actor_id == user.id and request.target_id == str(issue.id)
        assert request.details == {"feedback": ref, "priority": "P3"}
        issue_id = issue.id
    after = client.get(f"/observations/today?sent={ref}").text
    assert f"Envoyée au centre de commandement comme enjeu nº {issue_id}." in after
    assert 'role="status"' in after and "Nouveau" in after


def test_the_observations_own_priority_wins_over_p3(app, client, shift):
    user, establishment = shift
    ref = observe(app, user, establishment, "Patient sans bracelet lisible.", priority=Priority.P1)
    client.post(f"/observations/{ref}/issue-request")
    with app.app_context():
        assert db.session.scalar(select(Issue.priority)) is Priority.P1


def test_a_second_tap_creates_nothing_more(app, client, shift):
    user, establishment = shift
    ref = observe(app, user, establishment, "Étiquettes illisibles.")
    client.post(f"/observations/{ref}/issue-request")
    again = client.post(f"/observations/{ref}/issue-request")
    assert again.headers["Location"] == f"/observations/today?already={ref}#outcome-{ref}"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Issue)) == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "issue.request")) == 1
    page = client.get(f"/observations/today?already={ref}").text
    assert "Cette observation faisait déjà partie de l'enjeu nº" in page


def test_the_domain_call_is_idempotent(app, shift):
    user, establishment = shift
    ref = observe(app, user, establishment, "Écran figé.")
    with app.app_context():
        feedback = db.session.scalar(select(Feedback).where(Feedback.ref == ref))
        actor = db.session.get(User, user.id)
        first, created = observations.request_issue(feedback, actor=actor)
        second, created_again = observations.request_issue(feedback, actor=actor)
        assert created and not created_again and first.id == second.id


def test_nobody_requests_an_issue_for_someone_elses_observation(app, client, shift, make_user,
                                                                auth):
    user, establishment = shift
    colleague = make_user(Role.SUPER_USER, establishment)
    ref = observe(app, colleague, establishment, "Observation d'une collègue.")
    assert client.post(f"/observations/{ref}/issue-request").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Issue)) == 0


def test_the_request_needs_the_csrf_token(app, client, shift):
    user, establishment = shift
    ref = observe(app, user, establishment, "Écran figé.")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/observations/{ref}/issue-request").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Issue)) == 0


def test_today_in_english(app, client, shift):
    user, establishment = shift
    observe(app, user, establishment, "Écran figé.", affected=WriterRole.PHYSICIAN)
    client.post("/language", data={"language": "en"})
    page = client.get("/observations/today").text
    assert "My observations today" in page and "Affected: Physician" in page
    assert "Send to the command centre as an issue" in page


def test_a_super_users_home_leads_to_the_form_and_to_today(client, shift):
    page = client.get("/").text
    assert 'href="/observations/new"' in page and 'href="/observations/today"' in page


def test_a_made_up_outcome_in_the_address_says_nothing(app, client, shift):
    user, establishment = shift
    ref = observe(app, user, establishment, "Écran figé.")
    page = client.get(f"/observations/today?sent={ref}&already=nothing")
    assert page.status_code == 200
    assert "Envoyée au centre de commandement" not in page.text


@pytest.mark.committed
def test_two_taps_at_once_make_one_issue(app, make_establishment, make_user):
    """Two requests for the same observation at the same moment (two tabs): the lock makes the
    second wait, then find the issue of the first (PostgreSQL and SQLite alike)."""
    import threading

    establishment = make_establishment("A", go_live=local_today() - timedelta(days=20))
    user = make_user(Role.SUPER_USER, establishment)
    ref = observe(app, user, establishment, "Écran figé.")
    barrier = threading.Barrier(2)
    outcomes = []

    def tap():
        with app.app_context():
            feedback = db.session.scalar(select(Feedback).where(Feedback.ref == ref))
            actor = db.session.get(User, user.id)
            barrier.wait()
            issue, created = observations.request_issue(feedback, actor=actor)
            db.session.commit()
            outcomes.append((issue.id, created))

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(created for _id, created in outcomes) == [False, True]
    assert len({issue_id for issue_id, _created in outcomes}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Issue)) == 1
