"""The command centre's issues: creation from feedback, statuses and history, duplicates, scope."""

import html
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from feedback import issues
from feedback.extensions import db
from feedback.issues import IssueError
from feedback.models import (
    AuditEntry,
    Establishment,
    Feedback,
    FeedbackKind,
    Issue,
    IssueStatus,
    IssueStatusChange,
    Priority,
    Role,
    Sector,
    Site,
    Theme,
    User,
    WriterRole,
)
from feedback.observations import record_observation
from feedback.tagging import record_feedback

T0 = datetime(2026, 5, 12, 14, 0, tzinfo=UTC)


@pytest.fixture
def make_feedback(app):
    """An observation (or a survey comment) of an establishment, through the real pipeline."""

    def make(establishment, text="Le lecteur de badge du poste 3 ne fonctionne plus.", *,
             kind=FeedbackKind.OBSERVATION, priority=Priority.P2, author=None) -> int:
        with app.app_context():
            owner = db.session.get(Establishment, establishment.id)
            sector = owner.sites[0].sectors[0]
            if kind is FeedbackKind.OBSERVATION:
                writer = author or db.session.scalar(
                    select(User).where(User.establishment_id == owner.id)
                )
                if writer is None:
                    writer = User(email=f"su{uuid.uuid4().hex[:8]}@example.org", name="SU",
                                  role=Role.SUPER_USER, establishment=owner, password_hash="x")
                    db.session.add(writer)
                feedback = record_observation(
                    establishment=owner, author=writer, text=text,
                    client_uuid=str(uuid.uuid4()), affected_role=WriterRole.NURSE,
                    priority=priority, sector=sector,
                )
            else:
                feedback = record_feedback(establishment=owner, text=text, kind=kind,
                                           role=WriterRole.NURSE, phase=1, sector=sector)
            db.session.commit()
            return feedback.id

    return make


@pytest.fixture
def make_issue(app):
    def make(establishment, title="Lecteurs de badge en panne", *, priority=Priority.P2,
             feedback_id=None, at=None, status=None, description="") -> int:
        with app.app_context():
            owner = db.session.get(Establishment, establishment.id)
            if feedback_id:
                issue = issues.create_issue_from_feedback(
                    db.session.get(Feedback, feedback_id), title=title, priority=priority,
                    actor=None, at=at, description=description)
            else:
                issue = issues.create_issue(owner, title=title, priority=priority, actor=None,
                                            at=at, description=description)
            if status is not None:
                issues.change_status(issue, status, actor=None, note="Fait.",
                                     at=(at or T0) + timedelta(hours=1))
            db.session.commit()
            return issue.id

    return make


def get(app, model, ident):
    with app.app_context():
        obj = db.session.get(model, ident)
        db.session.expunge(obj)
        return obj


# --- Domain ---------------------------------------------------------------------------------

def test_an_issue_created_from_feedback_has_it_as_evidence_and_a_first_history_line(
    app, make_establishment, make_user, make_feedback
):
    establishment = make_establishment()
    manager = make_user(Role.MANAGER, establishment)
    feedback_id = make_feedback(establishment)
    with app.app_context():
        feedback = db.session.get(Feedback, feedback_id)
        actor = db.session.get(User, manager.id)
        theme = db.session.scalar(select(Theme).where(Theme.code == "access"))
        issue = issues.create_issue_from_feedback(
            feedback, title="  Lecteurs de badge  ", priority=Priority.P1, actor=actor,
            sector=feedback.sector, themes=[theme], at=T0,
        )
        db.session.commit()
        assert issue.title == "Lecteurs de badge"
        assert issue.status is IssueStatus.NEW and issue.picked_up_at is None
        assert [f.id for f in issue.evidence] == [feedback_id]
        assert [(h.from_status, h.to_status, h.changed_at, h.author_id) for h in issue.history] \
            == [(None, IssueStatus.NEW, T0, manager.id)]
        actions = db.session.execute(
            select(AuditEntry.action, AuditEntry.target_id, AuditEntry.details)
            .order_by(AuditEntry.id)).all()
        assert [(a, t) for a, t, _ in actions] == [("issue.create", str(issue.id)),
                                                   ("issue.attach", str(issue.id))]
        assert actions[1].details == {"feedback": feedback.ref, "moved_from": None}


def test_status_changes_are_kept_as_history_with_time_and_author(
    app, make_establishment, make_user, make_issue
):
    establishment = make_establishment()
    manager = make_user(Role.MANAGER, establishment)
    issue_id = make_issue(establishment, at=T0)
    with app.app_context():
        issue = db.session.get(Issue, issue_id)
        actor = db.session.get(User, manager.id)
        steps = [
            (IssueStatus.IN_PROGRESS, "", T0 + timedelta(hours=1)),
            (IssueStatus.RESOLVED, "Pilote réinstallé.", T0 + timedelta(hours=5)),
            (IssueStatus.IN_PROGRESS, "Revenu ce matin.", T0 + timedelta(days=2)),
            (IssueStatus.WONT_FIX, "Remplacement prévu en juin.", T0 + timedelta(days=3)),
        ]
        issues.change_status(issue, steps[0][0], actor=actor, note=steps[0][1], at=steps[0][2])
        assert issue.picked_up_at == T0 + timedelta(hours=1) and issue.resolved_at is None
        issues.change_status(issue, steps[1][0], actor=actor, note=steps[1][1], at=steps[1][2])
        assert issue.resolved_at == T0 + timedelta(hours=5)
        assert issue.resolution_note == "Pilote réinstallé."
        # Reopened: no longer resolved, but it was picked up long ago.
        issues.change_status(issue, steps[2][0], actor=actor, note=steps[2][1], at=steps[2][2])
        assert issue.resolved_at is None and issue.picked_up_at == T0 + timedelta(hours=1)
        issues.change_status(issue, steps[3][0], actor=actor, note=steps[3][1], at=steps[3][2])
        db.session.commit()
        history = db.session.execute(
            select(IssueStatusChange.from_status, IssueStatusChange.to_status,
                   IssueStatusChange.note, IssueStatusChange.changed_at,
                   IssueStatusChange.author_id)
            .where(IssueStatusChange.issue_id == issue_id)
            .order_by(IssueStatusChange.changed_at)
        ).all()
        audit = db.session.execute(
            select(AuditEntry.details).where(AuditEntry.action == "issue.status")
            .order_by(AuditEntry.id)
        ).scalars().all()
    expected_from = [IssueStatus.NEW, IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED,
                     IssueStatus.IN_PROGRESS]
    assert [tuple(row) for row in history[1:]] == [
        (previous, to, note, at, manager.id)
        for previous, (to, note, at) in zip(expected_from, steps, strict=True)
    ]
    assert [(d["previous"], d["to"]) for d in audit] == [
        (previous.value, to.value) for previous, (to, _, _) in zip(expected_from, steps,
                                                                   strict=True)
    ]
    # The audit trail says what changed, never what was written.
    assert not any("réinstallé" in str(details) for details in audit)


@pytest.mark.parametrize(
    ("start", "target", "note"),
    [
        (None, IssueStatus.NEW, ""),  # nothing goes back to "new"
        (IssueStatus.RESOLVED, IssueStatus.RESOLVED, "encore"),
        (IssueStatus.RESOLVED, IssueStatus.WONT_FIX, "non"),
        (None, IssueStatus.RESOLVED, ""),  # a resolution says what was done
        (None, IssueStatus.WONT_FIX, "   "),
    ],
)
def test_impossible_status_changes_are_refused(app, make_establishment, make_issue, start,
                                               target, note):
    issue_id = make_issue(make_establishment(), status=start)
    with app.app_context():
        issue = db.session.get(Issue, issue_id)
        before = len(issue.history)
        with pytest.raises(IssueError):
            issues.change_status(issue, target, actor=None, note=note)
        assert len(issue.history) == before


def test_a_duplicate_points_to_an_issue_of_its_establishment_without_loops(
    app, make_establishment, make_issue
):
    a, b = make_establishment("A"), make_establishment("B")
    first, second, third = (make_issue(a, f"Enjeu {n}") for n in range(3))
    other = make_issue(b, "Ailleurs")
    with app.app_context():
        one, two, three, elsewhere = (db.session.get(Issue, i)
                                      for i in (first, second, third, other))
        with pytest.raises(IssueError, match="propre établissement|own establishment"):
            issues.mark_duplicate(two, elsewhere, actor=None)
        with pytest.raises(IssueError):
            issues.mark_duplicate(two, two, actor=None)
        with pytest.raises(IssueError):
            issues.change_status(two, IssueStatus.DUPLICATE, actor=None)  # of what?
        issues.mark_duplicate(two, one, actor=None)
        assert two.status is IssueStatus.DUPLICATE and two.duplicate_of_id == first
        assert two.picked_up_at is not None and two.resolved_at is None
        issues.mark_duplicate(three, two, actor=None)  # a chain is fine…
        issues.change_status(one, IssueStatus.IN_PROGRESS, actor=None)
        with pytest.raises(IssueError):
            issues.mark_duplicate(one, three, actor=None)  # …a loop is not
        assert [i.id for i in issues.duplicate_candidates(one)] == []  # both are duplicates
        # Reopening a duplicate makes it an issue of its own again.
        issues.change_status(three, IssueStatus.IN_PROGRESS, actor=None)
        assert three.duplicate_of_id is None
        db.session.commit()


def test_attaching_moves_feedback_between_issues_of_one_establishment_only(
    app, make_establishment, make_issue, make_feedback
):
    a, b = make_establishment("A"), make_establishment("B")
    feedback_id = make_feedback(a)
    first = make_issue(a, "Premier", feedback_id=feedback_id)
    second = make_issue(a, "Second")
    elsewhere = make_issue(b, "Ailleurs")
    with app.app_context():
        feedback = db.session.get(Feedback, feedback_id)
        with pytest.raises(IssueError):
            issues.attach_feedback(db.session.get(Issue, elsewhere), feedback, actor=None)
        issues.attach_feedback(db.session.get(Issue, second), feedback, actor=None)
        db.session.commit()
        assert feedback.issue_id == second
        assert db.session.get(Issue, first).evidence == []
        moved = db.session.scalar(select(AuditEntry.details).where(
            AuditEntry.action == "issue.attach").order_by(AuditEntry.id.desc()))
        assert moved == {"feedback": feedback.ref, "moved_from": first}
        issues.detach_feedback(db.session.get(Issue, second), feedback, actor=None)
        assert feedback.issue_id is None


def test_similar_open_issues_are_found_by_their_words(app, make_establishment, make_issue,
                                                      make_feedback):
    a, b = make_establishment("A"), make_establishment("B")
    printers = make_issue(a, "Imprimantes d'étiquettes en panne à l'urgence",
                          description="Les étiquettes de prélèvement ne sortent plus.")
    badges = make_issue(a, "Lecteurs de badge lents au poste de garde")
    make_issue(a, "Imprimante d'étiquettes du laboratoire", status=IssueStatus.RESOLVED)
    make_issue(b, "Imprimantes d'étiquettes en panne à l'urgence")
    with app.app_context():
        found = issues.similar_open_issues(
            a.id, "L'imprimante n'imprime plus les étiquettes des prélèvements à l'urgence.")
        assert [s.issue.id for s in found] == [printers]  # not the resolved one, not B's
        assert 0 < found[0].score <= 1
        assert issues.similar_open_issues(a.id, "Le badge ne passe pas au lecteur")[0].issue.id \
            == badges
        assert issues.similar_open_issues(a.id, "Merci pour la formation de mardi.") == []
        assert issues.similar_open_issues(a.id, "") == []
        assert issues.similar_open_issues(a.id, "imprimantes étiquettes",
                                          exclude_id=printers) == []


def test_terms_are_accent_free_stems_without_stop_words():
    assert issues.terms("Les imprimantes d'étiquettes n'impriment plus") == [
        "imprim", "etique", "imprim"]


# --- Views --------------------------------------------------------------------------------

@pytest.fixture
def manager(make_establishment, make_user, auth):
    establishment = make_establishment("A")
    user = make_user(Role.MANAGER, establishment)
    auth.login(user.email)
    return user, establishment


def test_a_manager_opens_an_issue_from_an_observation(app, client, manager, make_feedback,
                                                      ref_of):
    user, establishment = manager
    feedback_id = make_feedback(
        establishment, "Les imprimantes d'étiquettes de l'urgence ne répondent plus depuis 6 h.")
    page = client.get(f"/issues/new?feedback={ref_of(feedback_id)}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Ouvrir un nouvel enjeu" in text
    assert 'value="Les imprimantes d\'étiquettes de l\'urgence ne répondent plus' in text
    # The observation's priority is the starting point.
    assert '<input checked id="priority-1" name="priority" required type="radio" value="P2">' \
        in text
    with app.app_context():
        sector_id = db.session.get(Feedback, feedback_id).sector_id
    response = client.post(f"/issues/new?feedback={ref_of(feedback_id)}", data={
        "title": "Imprimantes d'étiquettes – urgence", "priority": "P1", "sector": sector_id,
        "themes": ["configuration"], "owner": user.id, "description": "",
    })
    assert response.status_code == 302
    with app.app_context():
        issue = db.session.scalar(select(Issue))
        assert response.headers["Location"] == f"/issues/{issue.id}"
        assert (issue.priority, issue.sector_id, issue.owner_id, issue.created_by_id) == (
            Priority.P1, sector_id, user.id, user.id)
        assert [t.code for t in issue.themes] == ["configuration"]
        assert [f.id for f in issue.evidence] == [feedback_id]
    shown = html.unescape(client.get(f"/issues/{issue.id}").text)
    assert "Imprimantes d'étiquettes – urgence" in shown
    assert "ne répondent plus depuis 6 h." in shown
    assert "Historique" in shown and "Nouveau" in shown


def test_similar_issues_are_suggested_and_feedback_can_be_added_to_one(
    app, client, manager, make_feedback, make_issue, ref_of
):
    _user, establishment = manager
    existing = make_issue(establishment, "Imprimantes d'étiquettes en panne")
    feedback_id = make_feedback(establishment, "L'imprimante d'étiquettes est encore en panne.")
    page = html.unescape(client.get(f"/issues/new?feedback={ref_of(feedback_id)}").text)
    assert "Enjeux ouverts semblables" in page
    assert f"Ajouter à l'enjeu nº {existing}" in page
    response = client.post(f"/issues/{existing}/attach", data={"feedback": ref_of(feedback_id)})
    assert response.headers["Location"] == f"/issues/{existing}"
    with app.app_context():
        assert db.session.get(Feedback, feedback_id).issue_id == existing
        assert db.session.scalar(select(Issue.id).where(Issue.id != existing)) is None


def test_the_status_form_records_history_and_explains_refusals(app, client, manager,
                                                               make_issue):
    user, establishment = manager
    issue_id = make_issue(establishment)
    refused = client.post(f"/issues/{issue_id}/status", data={"status": "resolved", "note": ""})
    assert refused.status_code == 200
    assert 'id="note-error"' in refused.text
    assert "Indiquez ce qui a été fait, ou pourquoi rien ne sera fait." in html.unescape(
        refused.text)
    response = client.post(f"/issues/{issue_id}/status",
                           data={"status": "resolved", "note": "Pilote réinstallé."})
    assert response.status_code == 302
    page = html.unescape(client.get(f"/issues/{issue_id}").text)
    assert f"L'enjeu nº {issue_id} est maintenant « Résolu »." in page
    assert "Pilote réinstallé." in page and user.name in page
    # "Resolved" can only be reopened now.
    assert client.post(f"/issues/{issue_id}/status",
                       data={"status": "wont_fix", "note": "x"}).status_code == 200
    with app.app_context():
        issue = db.session.get(Issue, issue_id)
        assert issue.status is IssueStatus.RESOLVED
        assert [h.to_status for h in issue.history] == [IssueStatus.NEW, IssueStatus.RESOLVED]
        assert issue.history[1].author_id == user.id


def test_marking_a_duplicate_through_the_form(app, client, manager, make_issue,
                                              make_establishment):
    _user, establishment = manager
    original = make_issue(establishment, "Original")
    copy = make_issue(establishment, "Copie")
    elsewhere = make_issue(make_establishment("B"), "Ailleurs")
    page = client.get(f"/issues/{copy}").text
    assert f'<option value="{original}">' in page and f'value="{elsewhere}"' not in page
    assert f'<option value="{copy}">' not in page  # not itself
    missing = client.post(f"/issues/{copy}/status", data={"status": "duplicate"})
    assert "Choisissez l'enjeu dont celui-ci est un doublon." in html.unescape(missing.text)
    foreign = client.post(f"/issues/{copy}/status",
                          data={"status": "duplicate", "duplicate_of": elsewhere})
    assert foreign.status_code == 200
    client.post(f"/issues/{copy}/status", data={"status": "duplicate", "duplicate_of": original})
    with app.app_context():
        assert db.session.get(Issue, copy).duplicate_of_id == original
    assert "Signalé de nouveau sous" in client.get(f"/issues/{original}").text


def test_editing_an_issue(app, client, manager, make_issue, make_user):
    _user, establishment = manager
    issue_id = make_issue(establishment, priority=Priority.P3)
    owner = make_user(Role.SUPER_USER, establishment)
    form = client.get(f"/issues/{issue_id}/edit").text
    assert 'value="Lecteurs de badge en panne"' in form
    response = client.post(f"/issues/{issue_id}/edit", data={
        "title": "Lecteurs de badge", "priority": "P1", "sector": "", "owner": owner.id,
        "themes": ["access", "support"], "description": "Tous les postes du 3e.",
    })
    assert response.status_code == 302
    with app.app_context():
        issue = db.session.get(Issue, issue_id)
        assert (issue.title, issue.priority, issue.owner_id) == ("Lecteurs de badge",
                                                                 Priority.P1, owner.id)
        assert sorted(t.code for t in issue.themes) == ["access", "support"]
        details = db.session.scalar(select(AuditEntry.details).where(
            AuditEntry.action == "issue.update"))
        assert details == {"priority": "P1", "owner_id": owner.id}


def test_a_survey_comment_as_evidence_shows_its_week_only(app, client, manager, make_feedback,
                                                          make_issue):
    _user, establishment = manager
    feedback_id = make_feedback(establishment, "Trop de clics pour une ordonnance.",
                                kind=FeedbackKind.SURVEY)
    issue_id = make_issue(establishment, feedback_id=feedback_id)
    page = html.unescape(client.get(f"/issues/{issue_id}").text)
    assert "Commentaire de sondage" in page
    card = page[page.index("Commentaire de sondage"):page.index("Trop de clics")]
    assert "semaine du" in card and "<time" not in card
    assert "Oncologie" not in card and "Urgence" not in card  # no cohort shares its sector


def test_the_list_filters_and_sorts(app, client, manager, make_issue, make_feedback):
    _user, establishment = manager
    now = datetime.now(UTC)
    make_issue(establishment, "Vieux irritant", priority=Priority.P3, at=now - timedelta(days=10),
               feedback_id=make_feedback(establishment))
    make_issue(establishment, "Panne critique", priority=Priority.P1, at=now - timedelta(hours=2))
    make_issue(establishment, "Réglé hier", priority=Priority.P2, at=now - timedelta(days=2),
               status=IssueStatus.RESOLVED)

    def titles(query=""):
        page = client.get(f"/issues/{query}")
        assert page.status_code == 200
        text = html.unescape(page.text)
        found = [(text.index(t), t) for t in ("Vieux irritant", "Panne critique", "Réglé hier")
                 if t in text]
        return [t for _, t in sorted(found)]

    assert titles() == ["Panne critique", "Vieux irritant"]  # open, P1 first
    assert titles("?status=all&sort=newest") == ["Panne critique", "Réglé hier",
                                                 "Vieux irritant"]
    assert titles("?status=all&sort=oldest") == ["Vieux irritant", "Réglé hier",
                                                 "Panne critique"]
    assert titles("?status=resolved") == ["Réglé hier"]
    assert titles("?status=all&priority=priority") == ["Panne critique", "Réglé hier"]
    assert titles("?status=all&age=gt3d") == ["Vieux irritant"]
    assert titles("?status=all&age=lt1d") == ["Panne critique"]
    assert titles("?sort=evidence") == ["Vieux irritant", "Panne critique"]
    # A link someone mistyped still shows the default list.
    assert titles("?status=bogus&sort=nope&age=forever") == ["Panne critique", "Vieux irritant"]


def test_the_list_filters_by_theme_and_sector(app, client, manager, make_issue):
    _user, establishment = manager
    with app.app_context():
        owner = db.session.get(Establishment, establishment.id)
        urgence, oncologie = owner.sites[0].sectors  # ordered by French name
        if urgence.code != "urgence":
            urgence, oncologie = oncologie, urgence
        access = db.session.scalar(select(Theme).where(Theme.code == "access"))
        issues.create_issue(owner, title="Wifi urgence", priority=Priority.P2, actor=None,
                            sector=urgence, themes=[access])
        issues.create_issue(owner, title="Pompe oncologie", priority=Priority.P2, actor=None,
                            sector=oncologie)
        db.session.commit()
        urgence_id = urgence.id
    by_theme = client.get("/issues/?theme=access").text
    assert "Wifi urgence" in by_theme and "Pompe oncologie" not in by_theme
    by_sector = client.get(f"/issues/?sector={urgence_id}").text
    assert "Wifi urgence" in by_sector and "Pompe oncologie" not in by_sector


def test_the_list_is_paginated(app, client, manager, make_issue):
    _user, establishment = manager
    for n in range(27):
        make_issue(establishment, f"Enjeu numéro {n:02d}", at=T0 + timedelta(minutes=n))
    first = client.get("/issues/?sort=oldest").text
    second = client.get("/issues/?sort=oldest&page=2").text
    assert "Enjeu numéro 00" in first and "Enjeu numéro 24" in first
    assert "Enjeu numéro 25" not in first and "Enjeu numéro 26" in second
    assert 'href="/issues/?sort=oldest&amp;page=1" rel="prev"' in second


def test_the_page_works_in_english(client, make_establishment, make_user, auth, make_issue):
    establishment = make_establishment()
    auth.login(make_user(Role.MANAGER, establishment, locale="en").email)
    issue_id = make_issue(establishment, priority=Priority.P1)
    index = client.get("/issues/").text
    assert "Command centre" in index and "priority issues not yet picked up" in index
    page = client.get(f"/issues/{issue_id}").text
    assert "Waiting to be picked up" in page and "P1 — patient safety or critical service" in page


# --- Access: every route, scoped to the establishment ---------------------------------------

@pytest.fixture
def two_establishments(make_establishment, make_user, make_issue, make_feedback, ref_of):
    a, b = make_establishment("A"), make_establishment("B")
    d = {
        "manager_a": make_user(Role.MANAGER, a),
        "issue_a": make_issue(a, "Enjeu de A"), "feedback_a": make_feedback(a),
        "issue_b": make_issue(b, "Enjeu de B"), "feedback_b": make_feedback(b),
        "a": a, "b": b,
    }
    d["ref_a"], d["ref_b"] = ref_of(d["feedback_a"]), ref_of(d["feedback_b"])
    return d


def scoped_requests(d):
    """What a manager of A tries on B: read, edit, change, attach (both ways), detach."""
    return [
        ("get", f"/issues/{d['issue_b']}", None),
        ("get", f"/issues/{d['issue_b']}/edit", None),
        ("post", f"/issues/{d['issue_b']}/edit", {"title": "Pris", "priority": "P3"}),
        ("post", f"/issues/{d['issue_b']}/status", {"status": "in_progress"}),
        ("post", f"/issues/{d['issue_b']}/attach", {"feedback": d["ref_a"]}),
        ("post", f"/issues/{d['issue_a']}/attach", {"feedback": d["ref_b"]}),
        ("post", f"/issues/{d['issue_b']}/detach", {"feedback": d["ref_b"]}),
        ("post", f"/issues/{d['issue_a']}/status",
         {"status": "duplicate", "duplicate_of": d["issue_b"]}),
        ("get", f"/issues/new?feedback={d['ref_b']}", None),
        ("post", f"/issues/new?feedback={d['ref_b']}", {"title": "x", "priority": "P1"}),
    ]


def test_a_manager_of_a_gets_404_on_everything_of_b(app, client, auth, two_establishments):
    d = two_establishments
    auth.login(d["manager_a"].email)
    for method, url, data in scoped_requests(d):
        response = getattr(client, method)(url, data=data)
        expected = 200 if url.endswith("/status") and "duplicate" in str(data) else 404
        # Choosing B's issue as the original is refused as an invalid choice, not stored.
        assert response.status_code == expected, (method, url)
    with app.app_context():
        issue_b = db.session.get(Issue, d["issue_b"])
        assert (issue_b.title, issue_b.status) == ("Enjeu de B", IssueStatus.NEW)
        assert db.session.get(Feedback, d["feedback_a"]).issue_id is None
        assert db.session.get(Feedback, d["feedback_b"]).issue_id is None
        assert db.session.get(Issue, d["issue_a"]).status is IssueStatus.NEW
        assert db.session.scalar(select(Issue).where(Issue.title == "x")) is None
    listed = client.get("/issues/?status=all").text
    assert "Enjeu de A" in listed and "Enjeu de B" not in listed


def test_network_wide_admins_see_every_establishment(app, client, auth, make_user,
                                                     two_establishments):
    d = two_establishments
    auth.login(make_user(Role.ADMIN, None).email)
    everything = client.get("/issues/").text
    assert "Enjeu de A" in everything and "Enjeu de B" in everything
    only_b = client.get(f"/issues/?establishment={d['b'].id}").text
    assert "Enjeu de A" not in only_b and "Enjeu de B" in only_b
    assert client.get(f"/issues/{d['issue_b']}").status_code == 200
    chooser = client.get("/issues/new").text
    assert f"/issues/new?establishment={d['a'].id}" in chooser
    assert client.get(f"/issues/new?establishment={d['b'].id}").status_code == 200
    # Even for them, feedback of A is no evidence for an issue of B.
    response = client.post(f"/issues/{d['issue_b']}/attach",
                           data={"feedback": d["ref_a"]}, follow_redirects=True)
    assert "Cette rétroaction appartient à un autre établissement." in html.unescape(
        response.text)


@pytest.mark.parametrize("url", ["/issues/", "/issues/new", "/issues/{issue}",
                                 "/issues/{issue}/edit"])
def test_super_users_have_no_access_to_issues(client, auth, make_user, two_establishments,
                                              url):
    d = two_establishments
    auth.login(make_user(Role.SUPER_USER, d["a"]).email)
    assert client.get(url.format(issue=d["issue_a"])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, two_establishments):
    response = client.get(f"/issues/{two_establishments['issue_a']}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_observation_list_and_issue_links_are_scoped(client, auth, two_establishments):
    d = two_establishments
    auth.login(d["manager_a"].email)
    listed = client.get("/observations/").text
    assert f"/issues/new?feedback={d['ref_a']}" in listed
    assert f"/issues/new?feedback={d['ref_b']}" not in listed
    # The command centre's inbox: A's observation of today, not linked to an issue yet.
    index = html.unescape(client.get("/issues/").text)
    assert "1 observation des 7 derniers jours n'est encore liée à aucun enjeu." in index
    assert "/observations/?triage=untriaged&amp;days=7" in client.get("/issues/").text
    assert f"feedback={d['ref_a']}" in client.get(
        "/observations/?triage=untriaged&days=7").text


def test_sectors_and_owners_of_another_establishment_are_refused(app, two_establishments):
    d = two_establishments
    with app.app_context():
        issue = db.session.get(Issue, d["issue_a"])
        sector_b = db.session.scalar(
            select(Sector).join(Site).where(Site.establishment_id == d["b"].id))
        owner_b = User(email="b@example.org", name="B", role=Role.MANAGER,
                       establishment_id=d["b"].id, password_hash="x")
        db.session.add(owner_b)
        db.session.flush()
        with pytest.raises(IssueError):
            issues.update_issue(issue, actor=None, title="t", priority=Priority.P3,
                                sector=sector_b)
        with pytest.raises(IssueError):
            issues.update_issue(issue, actor=None, title="t", priority=Priority.P3,
                                owner=owner_b)
        db.session.rollback()
