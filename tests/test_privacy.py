"""The privacy lifecycle: the notice, follow-up contacts, retention and destruction."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from feedback import privacy
from feedback.clock import QUEBEC, local_today, utcnow
from feedback.demo.world import create_privacy_examples
from feedback.extensions import db
from feedback.models import (
    AuditEntry,
    Campaign,
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    FollowUpContact,
    ImportJob,
    Incident,
    Issue,
    Learning,
    ObservationDetail,
    Priority,
    ReportNote,
    Role,
    SurveyAnswer,
    SurveyResponse,
    User,
    WriterRole,
)
from feedback.tagging import record_feedback


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# -- The notice ------------------------------------------------------------------------------


def test_privacy_notice_is_public_and_states_the_real_figures(app, client):
    app.config.update(ANONYMITY_THRESHOLD=6, RETENTION_DAYS={"followup": 60},
                      PRIVACY_CONTACT="Marie Gagnon, responsable de la protection des "
                                      "renseignements personnels",
                      PRIVACY_CONTACT_EMAIL="prp@example.org")
    page = client.get("/privacy")
    assert page.status_code == 200
    text = page.text.replace("&#39;", "'")
    assert "Avis de confidentialité" in text
    assert "moins de 6 réponses au sondage" in text
    assert "60 jours" in text and "730 jours" in text and "2555 jours" in text
    assert "Marie Gagnon" in text and 'href="mailto:prp@example.org"' in text
    assert "[PATIENT]" in text and "Commission d'accès à l'information" in text


def test_privacy_notice_in_english_and_without_a_configured_contact(client):
    client.post("/language", data={"language": "en", "next": "/privacy"})
    page = client.get("/privacy")
    assert '<html lang="en">' in page.text
    assert "What is collected" in page.text and "fewer than 5 survey responses" in page.text
    assert "the person in charge of the protection of personal information of your " \
           "establishment" in page.text


def test_every_page_links_to_the_notice(client):
    for url in ("/login", "/reset", "/privacy"):
        assert 'href="/privacy"' in client.get(url).text, url


# -- Follow-up contacts ----------------------------------------------------------------------


@pytest.fixture
def contacts(app, make_establishment, make_user):
    a, b = make_establishment("AAA"), make_establishment("BBB")
    with app.app_context():
        rows = [FollowUpContact(establishment_id=a.id, contact="louise@example.org",
                                created_on=local_today()),
                FollowUpContact(establishment_id=a.id, contact="514 555-0199",
                                created_on=local_today() - timedelta(days=3), handled=True),
                FollowUpContact(establishment_id=b.id, contact="bob@example.org",
                                created_on=local_today())]
        db.session.add_all(rows)
        db.session.commit()
        ids = [row.id for row in rows]
    return {"a": a, "b": b, "louise": ids[0], "phone": ids[1], "bob": ids[2],
            "manager_a": make_user(Role.MANAGER, a), "admin_a": make_user(Role.ADMIN, a),
            "super_a": make_user(Role.SUPER_USER, a), "network": make_user(Role.MANAGER, None)}


def test_managers_see_the_contacts_of_their_establishment_only(client, auth, contacts):
    auth.login(contacts["manager_a"].email)
    open_only = client.get("/privacy/contacts").text
    assert "louise@example.org" in open_only
    assert "514 555-0199" not in open_only and "bob@example.org" not in open_only
    everything = client.get("/privacy/contacts?show=all").text
    assert "louise@example.org" in everything and "514 555-0199" in everything
    assert "bob@example.org" not in everything
    assert 'href="/privacy/contacts"' in client.get("/").text  # in the menu
    auth.logout()
    auth.login(contacts["network"].email)
    network = client.get("/privacy/contacts").text
    assert "louise@example.org" in network and "bob@example.org" in network
    auth.logout()
    auth.login(contacts["admin_a"].email)
    assert "louise@example.org" in client.get("/privacy/contacts").text


def test_super_users_do_not_see_contacts(client, auth, contacts):
    auth.login(contacts["super_a"].email)
    assert client.get("/privacy/contacts").status_code == 403
    assert client.post(f"/privacy/contacts/{contacts['louise']}/delete").status_code == 403


def test_handling_and_deleting_a_contact(app, client, auth, contacts):
    auth.login(contacts["manager_a"].email)
    louise = contacts["louise"]
    assert client.post(f"/privacy/contacts/{louise}/handled").status_code == 302
    with app.app_context():
        assert db.session.get(FollowUpContact, louise).handled
    client.post(f"/privacy/contacts/{louise}/reopen")
    with app.app_context():
        assert not db.session.get(FollowUpContact, louise).handled
    response = client.post(f"/privacy/contacts/{louise}/delete?show=all")
    assert response.headers["Location"].endswith("/privacy/contacts?show=all")
    with app.app_context():
        assert db.session.get(FollowUpContact, louise) is None
        entries = db.session.execute(
            select(AuditEntry.action, AuditEntry.target_id, AuditEntry.details)
            .where(AuditEntry.action.like("followup.%")).order_by(AuditEntry.id)
        ).all()
    assert entries == [("followup.handled", str(louise), {}),
                       ("followup.reopened", str(louise), {}),
                       ("followup.deleted", str(louise), {})]


def test_contacts_of_another_establishment_are_404(app, client, auth, contacts):
    auth.login(contacts["manager_a"].email)
    bob = contacts["bob"]
    assert client.post(f"/privacy/contacts/{bob}/handled").status_code == 404
    assert client.post(f"/privacy/contacts/{bob}/delete").status_code == 404
    with app.app_context():
        contact = db.session.get(FollowUpContact, bob)
        assert contact is not None and not contact.handled


# -- Retention -------------------------------------------------------------------------------

NOW = datetime(2029, 1, 15, 17, 0, tzinfo=UTC)
PERIODS = dict(privacy.DEFAULT_RETENTION_DAYS)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def day_ago(days: int) -> date:
    """The Québec day of the moment `days` before NOW."""
    return ago(days).astimezone(QUEBEC).date()


@pytest.fixture
def aged(app, make_establishment, make_user, make_campaign):
    """One row just past its period and one just within it, for every kind of data."""
    establishment = make_establishment()
    author = make_user(Role.SUPER_USER, establishment)
    campaign = make_campaign(establishment)
    with app.app_context():
        place = db.session.get(Establishment, establishment.id)
        who = db.session.get(User, author.id)
        survey = db.session.get(Campaign, campaign.id)

        def feedback(kind: FeedbackKind, days: float, text: str) -> Feedback:
            row = record_feedback(establishment=place, text=text, kind=kind,
                                  role=WriterRole.NURSE, phase=2, created_at=ago(days),
                                  campaign=survey if kind is FeedbackKind.SURVEY else None,
                                  author=who if kind is FeedbackKind.OBSERVATION else None)
            if kind is FeedbackKind.OBSERVATION:
                row.observation = ObservationDetail(client_uuid=f"uuid-{days}",
                                                    priority=Priority.P2)
            if kind is FeedbackKind.IMPORT:
                row.content_hash = f"hash-{days}"
            return row

        # Anonymous comments keep their week's start and go by whole weeks: the last week
        # destroyed is the one before the first week start past the period.
        cut = privacy.cutoffs(NOW, PERIODS)
        first_kept = (NOW - cut.moments["survey"]).total_seconds() / 86400
        old_comment = feedback(FeedbackKind.SURVEY, first_kept + 7, "Mot de passe oublié, encore.")
        feedback(FeedbackKind.SURVEY, first_kept, "La formation était trop courte.")  # kept
        old_observation = feedback(FeedbackKind.OBSERVATION, 800,
                                   "Imprimante en panne à l'urgence.")
        recent_observation = feedback(FeedbackKind.OBSERVATION, 10, "Badge refusé au poste.")
        feedback(FeedbackKind.IMPORT, first_kept + 7, "Billet : accès refusé au module.")
        feedback(FeedbackKind.IMPORT, 100, "Billet : écran figé.")
        db.session.flush()

        def response(day: date, comment: Feedback | None, token: str) -> SurveyResponse:
            row = SurveyResponse(campaign=survey, establishment_id=place.id, role=WriterRole.NURSE,
                                 phase=2, submitted_on=day, recommend=7, submission_token=token,
                                 comment_id=comment.id if comment else None)
            row.answers = [SurveyAnswer(item="q1", theme_code="training", value=4),
                           SurveyAnswer(item="q2", theme_code="support", value=2)]
            return row

        cutoff_day = cut.days["survey"]  # a Monday: responses go by whole weeks too
        db.session.add_all([
            response(cutoff_day - timedelta(days=1), old_comment, "old"),
            response(cutoff_day, None, "kept"),
            FollowUpContact(establishment_id=place.id, contact="old@example.org",
                            created_on=day_ago(90) - timedelta(days=1)),
            FollowUpContact(establishment_id=place.id, contact="kept@example.org",
                            created_on=day_ago(90)),
            AuditEntry(action="login.success", at=ago(2556)),
            AuditEntry(action="login.success", at=ago(2554)),
            ImportJob(filename="old.csv", created_at=ago(731)),
            ImportJob(filename="new.csv", created_at=ago(1)),
        ])
        learning = Learning(establishment_id=place.id, title="Imprimantes",
                            learned="Les imprimantes de l'urgence manquaient de pilotes.",
                            feedback=[old_observation, recent_observation])
        issue = Issue(establishment_id=place.id, title="Imprimante de l'urgence",
                      priority=Priority.P2, evidence=[old_observation])
        note = ReportNote(establishment_id=place.id, period_start=date(2026, 5, 9),
                          period_end=date(2026, 6, 8), summary="412 rétroactions, 61 % négatives.")
        db.session.add_all([learning, issue, note])
        db.session.commit()
        return {"learning": learning.id, "issue": issue.id, "note": note.id,
                "recent_observation": recent_observation.id}


EXPECTED = {"survey": 1, "survey_response": 1, "observation": 1, "import": 1, "import_job": 1,
            "followup": 1, "audit": 1}
MODELS = (Feedback, FeedbackTheme, ObservationDetail, SurveyResponse, SurveyAnswer,
          FollowUpContact, AuditEntry, ImportJob, Learning, Issue, ReportNote)


def test_dry_run_counts_and_destroys_nothing(app, aged):
    before = {model: count(app, model) for model in MODELS}
    with app.app_context():
        report = privacy.purge(NOW, periods=PERIODS, dry_run=True)
        db.session.commit()
    assert {line.kind: line.count for line in report.lines} == EXPECTED
    assert report.total == 7 and report.dry_run
    assert {model: count(app, model) for model in MODELS} == before
    line = next(line for line in report.lines if line.kind == "followup")
    assert (line.days, line.cutoff) == (90, ago(90))


def test_real_run_destroys_exactly_what_is_past_its_period(app, aged):
    before = {model: count(app, model) for model in MODELS}
    with app.app_context():
        report = privacy.purge(NOW, periods=PERIODS)
        db.session.commit()
    assert {line.kind: line.count for line in report.lines} == EXPECTED
    after = {model: count(app, model) for model in MODELS}
    assert after[Feedback] == before[Feedback] - 3
    assert after[ObservationDetail] == before[ObservationDetail] - 1
    assert after[SurveyResponse] == before[SurveyResponse] - 1
    assert after[SurveyAnswer] == before[SurveyAnswer] - 2
    assert after[FollowUpContact] == before[FollowUpContact] - 1
    assert after[ImportJob] == before[ImportJob] - 1
    # one audit entry destroyed, one added for the run itself
    assert after[AuditEntry] == before[AuditEntry] - 1 + 1
    with app.app_context():
        texts = set(db.session.scalars(select(Feedback.text)))
        assert texts == {"La formation était trop courte.", "Badge refusé au poste.",
                         "Billet : écran figé."}
        assert set(db.session.scalars(select(FollowUpContact.contact))) == {"kept@example.org"}
        assert set(db.session.scalars(select(SurveyResponse.submission_token))) == {"kept"}
        assert db.session.scalar(select(func.min(AuditEntry.at))) == ago(2554)
        assert db.session.scalar(select(FeedbackTheme.feedback_id).where(
            FeedbackTheme.feedback_id.not_in(select(Feedback.id)))) is None

        # decisions and published figures stay; links to destroyed feedback go
        learning = db.session.get(Learning, aged["learning"])
        assert [f.id for f in learning.feedback] == [aged["recent_observation"]]
        assert learning.learned.startswith("Les imprimantes")
        issue = db.session.get(Issue, aged["issue"])
        assert issue.title == "Imprimante de l'urgence" and issue.evidence == []
        assert db.session.get(ReportNote, aged["note"]).summary == (
            "412 rétroactions, 61 % négatives.")

        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.purge"))
        assert entry.details == {**EXPECTED, "total": 7}
        assert entry.actor_id is None

        again = privacy.purge(NOW, periods=PERIODS)
        db.session.commit()
        assert again.total == 0


def test_periods_come_from_configuration(app, aged):
    with app.app_context():
        periods = privacy.retention_days({"RETENTION_DAYS": {"observation": 5}})
        assert periods == {**PERIODS, "observation": 5}
        report = privacy.purge(NOW, periods=periods, dry_run=True)
    assert report.count("observation") == 2
    with pytest.raises(ValueError, match="whole number"):
        privacy.retention_days({"RETENTION_DAYS": {"survey": 0}})
    with pytest.raises(ValueError, match="unknown kinds"):
        privacy.retention_days({"RETENTION_DAYS": {"surveys": 30}})


def test_purge_command(app, runner, make_establishment):
    establishment = make_establishment()
    with app.app_context():
        place = db.session.get(Establishment, establishment.id)
        for days in (731, 5):
            record_feedback(establishment=place, text="Trop de clics pour une ordonnance.",
                            kind=FeedbackKind.OBSERVATION, role=WriterRole.NURSE, phase=2,
                            created_at=utcnow() - timedelta(days=days))
        db.session.commit()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing destroyed." in dry.output
    assert "observation" in dry.output and "would destroy 1" in dry.output
    assert "Total: 1." in dry.output
    assert count(app, Feedback) == 2 and count(app, AuditEntry) == 0

    real = runner.invoke(args=["purge"])
    assert real.exit_code == 0, real.output
    assert "Purge done." in real.output and "destroyed 1" in real.output
    assert count(app, Feedback) == 1
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action)) == "retention.purge"


def test_purge_command_refuses_a_bad_configuration(app, runner):
    app.config["RETENTION_DAYS"] = {"followup": -1}
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 1
    assert "RETENTION_DAYS['followup']" in result.output


def test_settings_page_previews_the_next_purge(app, client, auth, make_user, make_establishment):
    establishment = make_establishment()
    with app.app_context():
        db.session.add(FollowUpContact(establishment_id=establishment.id, contact="x@example.org",
                                       created_on=local_today() - timedelta(days=200)))
        db.session.commit()
    auth.login(make_user(Role.ADMIN).email)
    page = client.get("/admin/settings").text
    row = page.split("Demandes de suivi")[1].split("</tr>")[0]
    assert "90 jours" in row and '<td class="num">1</td>' in row
    assert count(app, FollowUpContact) == 1


# -- Demo data -------------------------------------------------------------------------------


def test_demo_adds_audit_entries_and_an_incident_once(app, make_establishment, make_user):

    mcq = make_establishment("MCQ")
    make_user(Role.ADMIN, None, email="admin@echo.example")
    make_user(Role.MANAGER, mcq, email="gestion.mcq@echo.example")
    with app.app_context():
        create_privacy_examples()
        db.session.commit()
        create_privacy_examples()
        db.session.commit()
        incident = db.session.scalar(select(Incident))
        assert incident.establishment_id == mcq.id and incident.people_affected == 6
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.at)).all()
    assert count(app, Incident) == 1
    assert len(actions) == 6 and actions[-1] == "audit.exported"
    assert "incident.created" in actions and "login.failure" in actions
