"""Real consumers (`flask consumer` processes): one killed with SIGKILL in the middle of an
import, another started after it; the import lands once, whole, with no duplicate.

The job, its rows and the queue are seen by other processes, so these tests commit for real.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from queue_helpers import count, load_job, started_job, write_rows
from sqlalchemy import distinct, func, select

from feedback import tasks
from feedback.extensions import db, task_queue
from feedback.insights.rollups import WHOLE_FEEDBACK
from feedback.models import (
    AuditEntry,
    Feedback,
    FeedbackRollup,
    FeedbackTheme,
    ImportJob,
    ImportJobStatus,
    Role,
)

ROOT = Path(__file__).resolve().parent.parent
ROWS = 1_500  # two chunks: the kill falls between them
LEASE = 3  # seconds without news before a job is taken as stalled


def redis_url() -> str:
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"needs Redis at 127.0.0.1:6379 ({type(error).__name__}); start it with "
                    "`redis-server --daemonize yes`")
    return url


class Consumer:
    """A consumer process of the app's queue and database, its output kept in a file."""

    def __init__(self, app, log: Path, *, slow_stage: str | None = None,
                 marker: Path | None = None) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "ECHO_INSTANCE_PATH": app.instance_path,
            "FLASK_SECRET_KEY": "test-secret-key",
            "FLASK_QUEUE_LEASE_SECONDS": str(LEASE),
            "FLASK_QUEUE_NAME": app.config["QUEUE_NAME"],
        }
        if app.config["QUEUE_URL"]:
            env["FLASK_QUEUE_URL"] = app.config["QUEUE_URL"]
        if slow_stage:
            env.update(ECHO_TEST_SLOW_STAGE=slow_stage, ECHO_TEST_MARKER=str(marker))
            command = [sys.executable, str(ROOT / "tests" / "slow_consumer.py")]
        else:
            command = [sys.executable, "-m", "flask", "--app", "feedback", "consumer"]
        self.log = log
        with log.open("ab") as output:  # the process has its own copy
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                            stdout=output, stderr=subprocess.STDOUT)

    def stop(self, sig: int = signal.SIGINT) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_until(condition, what: str, consumer: Consumer, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if consumer.process.poll() is not None:
            pytest.fail(f"the consumer exited ({consumer.process.returncode}) before {what}:\n"
                        + consumer.output()[-3000:])
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} after {timeout} s:\n" + consumer.output()[-3000:])
        time.sleep(0.2)


@pytest.fixture
def queue_on(app, request):
    """The app queuing to a real SQLite file in its instance folder, or to the real Redis."""
    app.config.update(QUEUE_IMMEDIATE=False, QUEUE_NAME=f"echo-test-{uuid.uuid4().hex[:8]}")
    if request.param == "redis":
        app.config["QUEUE_URL"] = redis_url()
    yield request.param
    with app.app_context():
        task_queue.huey.flush()  # this test's keys only (the queue's name is its own)


@pytest.mark.committed
@pytest.mark.parametrize(("queue_on", "stage"), [
    ("sqlite", "checking"), ("sqlite", "writing"), ("redis", "writing"),
], indirect=["queue_on"])
def test_a_consumer_killed_mid_import_loses_nothing_and_the_next_one_imports_once(
        app, queue_on, stage, make_establishment, make_user, tmp_path):
    establishment = make_establishment("MCQ")
    user = make_user(Role.MANAGER, establishment)
    job = started_job(app, establishment, user, write_rows(tmp_path / "big.csv", ROWS))
    with app.app_context():
        task_queue.enqueue(tasks.run_import, job, 1)

    marker = tmp_path / "marker"
    first = Consumer(app, tmp_path / "first.log", slow_stage=stage, marker=marker)
    try:
        # The first chunk is analysed (or inserted, uncommitted): the kill falls mid-import.
        wait_until(lambda: marker.exists() and marker.read_text(), f"a {stage} chunk", first)
        first.stop(signal.SIGKILL)
    finally:
        first.stop(signal.SIGKILL)
    killed = load_job(app, job)
    assert (killed.status, killed.attempts) == (ImportJobStatus.RUNNING, 1)
    assert count(app, Feedback) == 0 and count(app, FeedbackTheme) == 0  # nothing half-done
    assert len(list((Path(app.instance_path) / "imports").iterdir())) >= 1  # the file is kept

    time.sleep(LEASE)  # silent for a lease: the next consumer takes the job as stalled
    second = Consumer(app, tmp_path / "second.log")
    try:
        wait_until(lambda: load_job(app, job).status is not ImportJobStatus.RUNNING,
                   "end of the import", second)
    finally:
        second.stop()
    assert "Consumer exiting" in second.output()

    done = load_job(app, job)
    assert (done.status, done.attempts, done.imported, done.duplicates, done.error) == (
        ImportJobStatus.DONE, 2, ROWS, 0, ""), second.output()[-3000:]
    with app.app_context():
        assert db.session.scalar(select(func.count(distinct(Feedback.content_hash)))) == ROWS
        assert db.session.scalar(select(func.count(Feedback.id))) == ROWS
        assert db.session.scalar(select(func.sum(FeedbackRollup.n)).where(
            FeedbackRollup.theme_id == WHOLE_FEEDBACK)) == ROWS
        assert list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("import.%")))) == ["import.run"]
        assert db.session.scalar(select(ImportJob.heartbeat_at).where(ImportJob.id == job)) \
            is None
    assert list((Path(app.instance_path) / "imports").iterdir()) == []  # file and staging gone
    # Nothing the files said reached the consumers' logs.
    assert "Commentaire" not in first.output() + second.output()
