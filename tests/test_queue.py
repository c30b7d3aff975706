"""The job queue's logic, with tasks run where they are queued (Huey's immediate mode).

Import attempts write their progress on a connection of their own, so these tests commit for
real (`committed`); a real consumer, killed mid-import, is in test_queue_consumer.py.
"""

import html
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey
from queue_helpers import count, load_job, started_job, write_rows
from sqlalchemy import select, update

from feedback import create_app, tasks
from feedback.clock import utcnow
from feedback.extensions import db, task_queue
from feedback.imports import jobs as import_jobs
from feedback.imports import running as import_runs
from feedback.imports.running import ImportRules
from feedback.models import AuditEntry, Feedback, ImportJob, ImportJobStatus, Role
from feedback.queue import QueueUnavailable, RetryPolicy, quebec_crontab
from tests.test_imports import job_id_of, upload

PATIENT = "Mme Gisèle Tremblay, RAMQ TREG 5203 1512"


@pytest.fixture
def job(app, make_establishment, make_user, tmp_path):
    """A started job of three rows, and the function that queues its first attempt."""
    establishment = make_establishment("MCQ")
    user = make_user(Role.MANAGER, establishment)
    return started_job(app, establishment, user, write_rows(tmp_path / "f.csv", 3))


def queue_first_attempt(app, job_id: int) -> None:
    with app.app_context():
        task_queue.enqueue(tasks.run_import, job_id, 1)


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("import.%")).order_by(AuditEntry.id)))


# --- Where the queue lives ------------------------------------------------------------------------

def test_the_queue_is_a_sqlite_file_in_the_instance_folder_unless_redis_is_named(tmp_path,
                                                                                 monkeypatch):
    monkeypatch.delenv("FLASK_QUEUE_URL", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path=str(tmp_path))
    assert not (tmp_path / "queue.sqlite3").exists()  # the factory only wires
    with app.app_context():
        huey = task_queue.huey
        assert isinstance(huey, SqliteHuey) and not huey.immediate
        assert huey.storage.filename == str(tmp_path / "queue.sqlite3")
        assert {"feedback.tasks.run_import", "feedback.tasks.purge", "feedback.tasks.cut_cohorts",
                "feedback.tasks.resume_imports", "feedback.tasks.run_export",
                "feedback.tasks.resume_exports", "feedback.tasks.expire_exports",
                } <= set(huey._registry._registry)

    monkeypatch.setenv("FLASK_QUEUE_URL", "redis://127.0.0.1:6379/3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path=str(tmp_path))
    with app.app_context():
        assert isinstance(task_queue.huey, RedisHuey)
        assert task_queue.huey.storage.pool.connection_kwargs["db"] == 3

    monkeypatch.setenv("FLASK_QUEUE_URL", "amqp://elsewhere")
    with pytest.raises(ValueError, match="QUEUE_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path=str(tmp_path))


def test_periodic_tasks_run_at_quebec_times():
    nightly, monday = quebec_crontab(minute="30", hour="2"), quebec_crontab(
        minute="0", hour="6", day_of_week="1")
    # Huey hands naive UTC times: 02:30 in Québec is 06:30 UTC in summer, 07:30 in winter.
    assert nightly(datetime(2026, 7, 14, 6, 30)) and not nightly(datetime(2026, 7, 14, 2, 30))
    assert nightly(datetime(2026, 12, 15, 7, 30))
    assert monday(datetime(2026, 12, 7, 11, 0))  # Monday 06:00 in Québec
    assert not monday(datetime(2026, 12, 8, 11, 0))


def test_the_consumer_runs_the_purge_nightly_the_cohorts_hourly_and_expiry_hourly(app):
    with app.app_context():
        huey = task_queue.huey
        every_minute = {"resume_imports", "resume_exports", "resume_runs"}
        every_5_minutes = {"check_service_levels"}  # minutes 0, 5, 10…
        # Monday 01:05 in Québec (06:05 UTC in winter): last week and its hour of grace are over.
        due = {task.name for task in huey.read_periodic(datetime(2026, 12, 7, 6, 5))}
        assert due == {"cut_cohorts", *every_minute, *every_5_minutes}
        due = {task.name for task in huey.read_periodic(datetime(2026, 12, 7, 11, 0))}
        assert due == {*every_minute, *every_5_minutes}
        due = {task.name for task in huey.read_periodic(datetime(2026, 12, 9, 7, 30))}
        assert due == {"purge", *every_minute, *every_5_minutes}
        due = {task.name for task in huey.read_periodic(datetime(2026, 12, 9, 7, 15))}
        assert due == {"expire_exports", *every_minute, *every_5_minutes}
        tasks.purge()
        tasks.cut_cohorts()
        assert db.session.scalar(select(AuditEntry.action)) == "retention.purge"


def test_the_consumer_command_refuses_immediate_mode(runner):
    result = runner.invoke(args=["consumer"])
    assert result.exit_code == 1 and "QUEUE_IMMEDIATE" in result.output


# --- Imports as tasks -----------------------------------------------------------------------------

@pytest.mark.committed
def test_an_import_runs_as_a_task_once_even_when_queued_twice(app, job):
    queue_first_attempt(app, job)
    queue_first_attempt(app, job)  # a second copy loses the claim and does nothing
    done = load_job(app, job)
    assert (done.status, done.attempts, done.imported, done.heartbeat_at) == (
        ImportJobStatus.DONE, 1, 3, None)
    assert count(app, Feedback) == 3 and audit_actions(app) == ["import.run"]
    assert list((Path(app.instance_path) / "imports").iterdir()) == []


@pytest.mark.committed
def test_a_failing_attempt_is_retried_and_the_import_lands_once(app, job, monkeypatch):
    real = import_runs.rollups.add_feedback
    calls = []

    def fails_once(*args, **kwargs):  # after the rows are inserted, in the same transaction
        calls.append(1)
        if len(calls) == 1:
            raise OSError(f"No space left on device, while writing {PATIENT}")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_runs.rollups, "add_feedback", fails_once)
    queue_first_attempt(app, job)
    done = load_job(app, job)
    assert (done.status, done.attempts, done.imported, done.error) == (
        ImportJobStatus.DONE, 2, 3, "")
    assert count(app, Feedback) == 3 and audit_actions(app) == ["import.run"]


@pytest.mark.committed
def test_retries_wait_longer_each_time_then_the_job_fails_with_its_reason_and_no_patient_text(
        app, job, monkeypatch, caplog):
    app.config["QUEUE_RETRY_SECONDS"] = 30

    def full_disk(*args, **kwargs):
        raise OSError(f"No space left on device, while writing {PATIENT}")

    monkeypatch.setattr(import_runs.rollups, "add_feedback", full_disk)
    caplog.set_level(logging.INFO)
    queue_first_attempt(app, job)
    waits = []
    with app.app_context():
        huey = task_queue.huey
        for attempt in (2, 3):
            waiting = load_job(app, job)
            assert (waiting.status, waiting.attempts) == (ImportJobStatus.RUNNING, attempt - 1)
            [retry] = huey.scheduled()  # Huey keeps it until its time comes
            assert retry.args == (job, attempt)
            waits.append(retry.eta.replace(tzinfo=UTC) - utcnow())
            # Not taken as stalled while it waits.
            assert abs(waiting.heartbeat_at - retry.eta.replace(tzinfo=UTC)) < timedelta(seconds=2)
            huey.storage.flush_schedule()
            huey.execute(retry, timestamp=retry.eta)
        assert huey.scheduled() == []
    assert timedelta(seconds=25) < waits[0] <= timedelta(seconds=30)
    assert timedelta(seconds=55) < waits[1] <= timedelta(seconds=60)
    failed = load_job(app, job)
    assert (failed.status, failed.attempts, failed.imported) == (ImportJobStatus.FAILED, 3, 0)
    assert failed.error == ("L'importation a échoué 3 fois (OSError), alors rien n'a été "
                            "importé.")
    assert count(app, Feedback) == 0 and audit_actions(app) == ["import.failed"]
    assert "failed: OSError" in caplog.text and "full_disk" in caplog.text  # where, not what
    assert "Tremblay" not in caplog.text and "5203" not in caplog.text
    assert list((Path(app.instance_path) / "imports").iterdir()) == []


@pytest.mark.committed
def test_an_attempt_taken_for_dead_that_finishes_after_all_is_rolled_back(app, job, monkeypatch):
    real_write = import_runs._write

    def superseded(*args, **kwargs):
        # A consumer takes the job as stalled (before the writing: SQLite would have it wait
        # for the import's transaction), and the attempt goes on writing its rows.
        with db.engine.begin() as connection:
            connection.execute(update(ImportJob).where(ImportJob.id == job).values(attempts=2))
        real_write(*args, **kwargs)

    monkeypatch.setattr(import_runs, "_write", superseded)
    queue_first_attempt(app, job)
    assert count(app, Feedback) == 0 and audit_actions(app) == []
    assert load_job(app, job).status is ImportJobStatus.RUNNING
    assert (Path(app.instance_path) / "imports").iterdir()  # the file, for the next attempt
    monkeypatch.setattr(import_runs, "_write", real_write)
    with app.app_context():
        task_queue.enqueue(tasks.run_import, job, 3)
    done = load_job(app, job)
    assert (done.status, done.attempts, done.imported) == (ImportJobStatus.DONE, 3, 3)
    assert count(app, Feedback) == 3 and audit_actions(app) == ["import.run"]


@pytest.mark.committed
def test_stalled_jobs_are_started_again_or_failed_once_out_of_attempts(
        app, make_establishment, make_user, tmp_path):
    establishment = make_establishment("MCQ")
    user = make_user(Role.MANAGER, establishment)
    stalled, fresh, spent = (
        started_job(app, establishment, user, write_rows(tmp_path / f"{n}.csv", 3, start=10 * n))
        for n in range(3))
    now = utcnow()
    policy = RetryPolicy(attempts=3, first_delay=0, lease=600)
    with app.app_context():
        for job_id, attempts, silent in ((stalled, 1, 601), (fresh, 1, 30), (spent, 3, 601)):
            db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
                attempts=attempts, heartbeat_at=now - timedelta(seconds=silent)))
        due = import_jobs.resume_stalled_jobs(app.instance_path, policy, now)
        db.session.commit()
        assert due == [(stalled, 2)]
        # Queued, it is not queued again before another lease has passed.
        assert import_jobs.resume_stalled_jobs(app.instance_path, policy, now) == []
    assert load_job(app, fresh).status is ImportJobStatus.RUNNING
    failed = load_job(app, spent)
    assert failed.status is ImportJobStatus.FAILED and "3 fois" in failed.error
    assert "stored_as" not in failed.report
    assert len(list((Path(app.instance_path) / "imports").iterdir())) == 2

    app.config["QUEUE_LEASE_SECONDS"] = 0
    with app.app_context():
        tasks.resume_imports()  # the periodic task: the stalled job's next attempt, at once
    assert load_job(app, stalled).status is ImportJobStatus.DONE
    assert load_job(app, fresh).status is ImportJobStatus.DONE
    assert count(app, Feedback) == 6


# --- The queue out of reach -----------------------------------------------------------------------

@pytest.mark.committed
def test_when_the_queue_is_out_of_reach_the_pages_say_so_and_keep_the_file(
        app, client, auth, make_establishment, make_user, tmp_path):
    app.config.update(QUEUE_IMMEDIATE=False, QUEUE_URL="redis://127.0.0.1:1/0")
    with app.app_context(), pytest.raises(QueueUnavailable):
        task_queue.enqueue(tasks.resume_imports)
    establishment = make_establishment("MCQ")
    auth.login(make_user(Role.MANAGER, establishment).email)
    page = html.unescape(client.get("/imports/").text)
    assert "La file des tâches est injoignable pour le moment" in page
    job_id = job_id_of(upload(client, write_rows(tmp_path / "f.csv", 3)))
    client.post(f"/imports/{job_id}/mapping", data={"text": "Texte", "sector": "Secteur"})
    response = client.post(f"/imports/{job_id}/run", data={"mode": "all"})
    assert response.headers["Location"].endswith(f"/imports/{job_id}/check")
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "l'importation n'a pas commencé. Votre fichier et vos choix sont conservés" in page
    job = load_job(app, job_id)
    assert job.status is ImportJobStatus.PENDING and job.report["check"]["valid"] == 3
    assert len(list((Path(app.instance_path) / "imports").iterdir())) == 1

    app.config.update(QUEUE_IMMEDIATE=True)  # back: the same job starts from the same page
    client.post(f"/imports/{job_id}/run", data={"mode": "all"})
    assert load_job(app, job_id).status is ImportJobStatus.DONE


def test_import_rules_and_retry_policy_come_from_the_settings(app):
    app.config.update(QUEUE_ATTEMPTS=5, QUEUE_RETRY_SECONDS=10, QUEUE_LEASE_SECONDS=120)
    policy = RetryPolicy.from_config(app.config)
    assert (policy.attempts, policy.lease) == (5, 120)
    assert [policy.delay_after(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert ImportRules.from_config(app.config).threshold == app.config["ANONYMITY_THRESHOLD"]
