"""Maintenance runs of the job queue: re-analysis and retraining.

Each run is a `task_run` row the admins can follow: queued, under way (rows done of rows to do),
then done with its outcome, or failed with its reason. Like imports and exports, each attempt
claims the run, only the current attempt records anything, a failing attempt is tried again
after a wait that doubles, and a run whose consumer was killed is started again after a lease.
Nothing recorded or logged quotes a text: counts, codes and the kind of error only.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import ExportJobStatus, TaskRun, User
from feedback.queue import RetryPolicy, claim_attempt, log_failure, resume_stalled

RUNNING, DONE, FAILED = ExportJobStatus.RUNNING, ExportJobStatus.DONE, ExportJobStatus.FAILED
KEEP = timedelta(days=90)  # finished runs shown, then forgotten


class Superseded(Exception):
    """A later attempt has the run: this one stops without recording anything."""


def start_run(kind: str, actor: User | None, total: int = 0) -> TaskRun:
    """A run waiting for its first attempt; the caller commits, then queues it."""
    run = TaskRun(kind=kind, requested_by_id=actor.id if actor else None, total=total,
                  status=RUNNING, heartbeat_at=utcnow(), outcome={})
    db.session.add(run)
    return run


def waiting_run(kind: str) -> TaskRun | None:
    """A run of this kind not started yet: a second request adds nothing to it (it will read
    the themes and corrections as they stand when it starts)."""
    return db.session.scalar(select(TaskRun).where(
        TaskRun.kind == kind, TaskRun.status == RUNNING, TaskRun.attempts == 0)
        .order_by(TaskRun.id.desc()).limit(1))


def active_run(kind: str) -> TaskRun | None:
    """A run of this kind queued or under way."""
    return db.session.scalar(select(TaskRun).where(TaskRun.kind == kind, TaskRun.status == RUNNING)
                             .order_by(TaskRun.id.desc()).limit(1))


def abandon_run(run: TaskRun, now: datetime) -> None:
    """Fail a run whose first attempt could not be queued; the caller commits."""
    run.status, run.finished_at, run.heartbeat_at = FAILED, now, None
    run.error = str(_l("The job queue cannot be reached, so this was not started. Try again in "
                       "a moment."))


def recent_runs(kinds: tuple[str, ...], limit: int = 10) -> list[TaskRun]:
    return list(db.session.scalars(select(TaskRun).where(TaskRun.kind.in_(kinds))
                                   .order_by(TaskRun.created_at.desc(), TaskRun.id.desc())
                                   .limit(limit)))


def record(run_id: int, attempt: int, **values) -> None:
    """Write to the run while `attempt` is its current one (raises Superseded otherwise); the
    caller's transaction holds it, so progress commits with the work it counts."""
    values.setdefault("heartbeat_at", utcnow())
    recorded = db.session.execute(update(TaskRun).where(
        TaskRun.id == run_id, TaskRun.status == RUNNING, TaskRun.attempts == attempt)
        .values(**values)).rowcount
    if recorded != 1:
        raise Superseded


def run_attempt(run_id: int, attempt: int, policy: RetryPolicy,
                body: Callable[[TaskRun, int], dict]) -> float | None:
    """One attempt at a run: body(run, attempt) does the work (committing as it goes, recording
    its progress with `record`) and returns the outcome; commits.

    Returns the seconds to wait before the next attempt when this one failed and attempts are
    left; None once the run is over or another attempt has it.
    """
    if not claim_attempt(db.session, TaskRun, RUNNING, run_id, attempt, utcnow()):
        return None
    run = db.session.get(TaskRun, run_id)
    try:
        outcome = body(run, attempt)
        record(run_id, attempt, status=DONE, finished_at=utcnow(), outcome=outcome)
        db.session.commit()
    except Superseded:
        db.session.rollback()
    except Exception as error:  # the run must end, never stay "running"
        db.session.rollback()
        log_failure(f"{run.kind} run {run_id}, attempt {attempt}", error)
        try:
            if attempt < policy.attempts:
                delay = policy.delay_after(attempt)
                # Not taken as stalled while it waits for its next attempt.
                record(run_id, attempt, heartbeat_at=utcnow() + timedelta(seconds=delay))
                db.session.commit()
                return delay
            record(run_id, attempt, status=FAILED, finished_at=utcnow(), error=str(_l(
                "Failed %(n)s times (%(error)s).", n=attempt, error=type(error).__name__)))
            db.session.commit()
        except Superseded:
            db.session.rollback()
    return None


def resume_stalled_runs(policy: RetryPolicy, now: datetime) -> list[tuple[int, int]]:
    """Runs not heard from for a lease; returns (run id, attempt) to queue once the caller has
    committed, and fails those out of attempts."""
    due, _failed = resume_stalled(
        db.session, TaskRun, RUNNING, FAILED, policy, now,
        lambda attempts: str(_l("Stopped %(n)s times before its end.", n=attempts)))
    return due


def forget_old_runs(now: datetime) -> None:
    db.session.execute(TaskRun.__table__.delete().where(
        TaskRun.created_at < now - KEEP, TaskRun.status != RUNNING))


def last_done(kind: str) -> datetime | None:
    return db.session.scalar(select(func.max(TaskRun.created_at)).where(
        TaskRun.kind == kind, TaskRun.status == DONE))
