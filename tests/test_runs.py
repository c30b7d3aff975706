"""Re-analysis and retraining as runs of the job queue (Huey's immediate mode: the logic), started
from the admin pages and the commands, followed on the Themes page, retried then failed with
their reason, and never logging a text."""

import html
import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from feedback import runs, tagging, tasks
from feedback.clock import utcnow
from feedback.extensions import db, theme_model
from feedback.models import (
    Establishment,
    ExportJobStatus,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Role,
    TaskRun,
    Theme,
    ThemeSource,
    WriterRole,
)
from feedback.queue import RetryPolicy

PATIENT = "Mme Gisèle Tremblay, RAMQ TREG 5203 1512 : le code bleu a tardé."


@pytest.fixture(autouse=True)
def _shipped_model_afterwards(retrained):
    """Runs here may retrain: later tests must read the shipped model."""


@pytest.fixture
def stored(app, make_establishment):
    """Three stored comments about a code blue, one corrected by hand."""
    establishment = make_establishment()
    with app.app_context():
        ids = []
        for _ in range(3):
            feedback = tagging.record_feedback(
                establishment=db.session.get(Establishment, establishment.id),
                text="Le code bleu du 4e a été long à documenter.", kind=FeedbackKind.SURVEY,
                role=WriterRole.NURSE, phase=1)
            db.session.flush()
            ids.append(feedback.id)
        safety = db.session.scalar(select(Theme).where(Theme.code == "safety"))
        db.session.get(Feedback, ids[0]).themes = [
            FeedbackTheme(theme=safety, source=ThemeSource.MANUAL)]
        db.session.commit()
    return ids


@pytest.fixture
def admin_client(client, auth, make_user):
    auth.login(make_user(Role.ADMIN).email)
    return client


def themes_of(app, feedback_id) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Theme.code).join(FeedbackTheme.theme)
                                      .where(FeedbackTheme.feedback_id == feedback_id)))


def only_run(app, kind: str) -> TaskRun:
    with app.app_context():
        run = db.session.scalars(select(TaskRun).where(TaskRun.kind == kind)).one()
        db.session.expunge(run)
    return run


def test_a_new_theme_re_analyses_stored_feedback_through_the_queue(app, admin_client, stored):
    response = admin_client.post("/admin/themes/new", data={
        "code": "urgences", "name_fr": "Codes", "name_en": "Codes", "description_fr": "",
        "description_en": "", "keywords": "code bleu"}, follow_redirects=True)
    page = html.unescape(response.text)
    assert "réanalysées par la file des tâches" in page
    run = only_run(app, "retag")
    assert run.status is ExportJobStatus.DONE and run.done == run.total == 3
    assert run.attempts == 1 and run.outcome["retagged"] == 3
    assert "urgences" in themes_of(app, stored[1]) and "urgences" in themes_of(app, stored[2])
    assert themes_of(app, stored[0]) == {"safety"}  # a manager's correction stands
    assert "Terminé" in page and "3 sur 3" in page


def test_a_failing_run_is_retried_then_failed_with_its_reason_and_no_text_logged(
        app, admin_client, stored, monkeypatch, caplog):
    calls = []

    def broken(after_id, size, themes):
        calls.append(after_id)
        raise ValueError(PATIENT)

    monkeypatch.setattr(tagging, "retag_batch", broken)
    app.config["QUEUE_ATTEMPTS"] = 3
    with caplog.at_level(logging.INFO):
        admin_client.post("/admin/themes/retag")
    run = only_run(app, "retag")
    assert len(calls) == 3 and run.attempts == 3
    assert run.status is ExportJobStatus.FAILED and "ValueError" in run.error
    assert "3" in run.error
    assert "Gisèle" not in caplog.text and "TREG" not in caplog.text
    assert "ValueError" in caplog.text
    page = html.unescape(admin_client.get("/admin/themes").text)
    assert "Échec" in page and "ValueError" in page


def test_a_retried_run_resumes_after_the_batches_already_done(app, stored, monkeypatch):
    """The first attempt commits its first batch with its progress, then dies: the second goes
    on from there, so no batch is done twice."""
    real, seen = tagging.retag_batch, []

    def flaky(after_id, size, themes):
        seen.append(after_id)
        if len(seen) == 2:
            raise OSError("disk")
        return real(after_id, size, themes)

    monkeypatch.setattr(tagging, "retag_batch", flaky)
    monkeypatch.setattr(tagging.retag_all, "__defaults__", (1,))  # a batch per feedback
    with app.app_context():
        run, queued = tasks.queue_run("retag", None)
        assert queued
    run = only_run(app, "retag")
    assert run.status is ExportJobStatus.DONE and run.attempts == 2
    assert seen == [0, stored[0], stored[0], stored[1], stored[2]]
    assert run.done == 3


def test_a_superseded_attempt_records_nothing(app, stored):
    with app.app_context():
        run = runs.start_run("retag", None)
        db.session.commit()
        run_id = run.id
        policy = RetryPolicy(3, 0, 600)

        def later_attempt_takes_over(run, attempt):
            db.session.execute(update(TaskRun).where(TaskRun.id == run_id).values(attempts=2))
            db.session.commit()
            runs.record(run_id, attempt, done=99)
            return {}

        assert runs.run_attempt(run_id, 1, policy, later_attempt_takes_over) is None
        run = db.session.get(TaskRun, run_id)
        db.session.refresh(run)
        assert run.status is ExportJobStatus.RUNNING and run.done == 0


def test_stalled_runs_are_started_again_then_failed_out_of_attempts(app, stored):
    with app.app_context():
        run = runs.start_run("retag", None)
        db.session.flush()
        run.attempts, run.heartbeat_at = 1, utcnow() - timedelta(hours=1)
        db.session.commit()
        run_id = run.id
        tasks.resume_runs()  # immediate mode: attempt 2 runs at once
        assert db.session.get(TaskRun, run_id).status is ExportJobStatus.DONE
        stuck = runs.start_run("retrain", None)
        db.session.flush()
        stuck.attempts, stuck.heartbeat_at = 3, utcnow() - timedelta(hours=1)
        db.session.commit()
        tasks.resume_runs()
        stuck = db.session.get(TaskRun, stuck.id)
        assert stuck.status is ExportJobStatus.FAILED and "3" in stuck.error


def test_retraining_starts_once_enough_corrections_were_made_then_re_analyses(
        app, make_user, stored):
    app.config["RETRAIN_AFTER_CORRECTIONS"] = 2
    with app.app_context():
        tasks.retrain_when_due()
        assert db.session.scalar(select(func.count()).select_from(TaskRun)) == 0
    with app.app_context():  # two managers' corrections (what the feedback page records)
        manager = db.session.merge(make_user(Role.MANAGER))
        training = db.session.scalar(select(Theme).where(Theme.code == "training"))
        for feedback_id in stored[1:]:
            tagging.retheme_feedback(db.session.get(Feedback, feedback_id), [training],
                                     actor=manager)
        db.session.commit()
    with app.app_context():
        assert tagging.corrections_since(None) == 2
        tasks.retrain_when_due()
    retrain = only_run(app, "retrain")
    assert retrain.status is ExportJobStatus.DONE and retrain.outcome["corrections"] == 3
    with app.app_context():
        assert theme_model.path.exists()
    assert only_run(app, "retag").status is ExportJobStatus.DONE  # queued by the retraining
    with app.app_context():
        tasks.retrain_when_due()  # nothing new since: no second retraining
        assert db.session.scalar(select(func.count()).select_from(TaskRun).where(
            TaskRun.kind == "retrain")) == 1


def test_when_the_queue_is_out_of_reach_the_theme_is_saved_and_the_page_says_so(
        app, admin_client, stored):
    app.config.update(QUEUE_IMMEDIATE=False, QUEUE_URL="redis://127.0.0.1:1/0")
    response = admin_client.post("/admin/themes/new", data={
        "code": "urgences", "name_fr": "Codes", "name_en": "Codes", "description_fr": "",
        "description_en": "", "keywords": "code bleu"}, follow_redirects=True)
    page = html.unescape(response.text)
    assert "La file des tâches est injoignable" in page and "Ce que vous avez enregistré" in page
    with app.app_context():
        assert db.session.scalar(select(Theme).where(Theme.code == "urgences")) is not None
    run = only_run(app, "retag")
    assert run.status is ExportJobStatus.FAILED and "injoignable" in run.error
    app.config.update(QUEUE_IMMEDIATE=True)  # back: the same button starts it
    admin_client.post("/admin/themes/retag")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TaskRun).where(
            TaskRun.status == ExportJobStatus.DONE)) == 1


def test_the_commands_queue_runs(app, runner, stored):
    result = runner.invoke(args=["retag", "--queue"])
    assert result.exit_code == 0, result.output
    assert "Queued as run" in result.output
    assert only_run(app, "retag").status is ExportJobStatus.DONE
    result = runner.invoke(args=["retrain", "--queue"])
    assert result.exit_code == 0, result.output
    assert only_run(app, "retrain").status is ExportJobStatus.DONE


def test_only_network_admins_start_runs(client, auth, make_user, make_establishment):
    auth.login(make_user(Role.MANAGER, make_establishment()).email)
    assert client.post("/admin/themes/retag").status_code in (403, 404)
