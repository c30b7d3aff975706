"""Imports run from the web pages: uploads kept in the instance folder, jobs and their progress."""

import logging
import secrets
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from feedback import audit
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.imports.checking import Report, RowsRejected
from feedback.imports.mapping import remember_mapping
from feedback.imports.reading import ImportFileError, Table
from feedback.imports.running import ImportRules, ImportSettings, dry_run, run_import
from feedback.models import (
    Establishment,
    ImportJob,
    ImportJobStatus,
    User,
)
from feedback.queue import RetryPolicy, claim_attempt, log_failure, resume_stalled

UPLOADS = "imports"

log = logging.getLogger(__name__)


def upload_folder(instance_path: str) -> Path:
    folder = Path(instance_path) / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_upload(instance_path: str, save: Callable[[Path], None], extension: str) -> str:
    """Save an uploaded file under a random name in the instance folder; returns that name."""
    name = secrets.token_hex(16) + extension
    save(upload_folder(instance_path) / name)
    return name


def create_job(*, user: User, establishment: Establishment | None, filename: str,
               stored_as: str, source: str, table: Table) -> ImportJob:
    """The job of an uploaded file, waiting for its mapping and confirmation; the caller commits."""
    job = ImportJob(
        establishment_id=establishment.id if establishment else None, user_id=user.id,
        filename=filename.replace("\x00", "")[:255], status=ImportJobStatus.PENDING,
        report={"stored_as": stored_as, "source": source.strip(), "format": table.format,
                "encoding": table.encoding, "delimiter": table.delimiter,
                "headers": table.headers, "mapping": {}},
    )
    db.session.add(job)
    return job


def job_file(instance_path: str, job: ImportJob) -> Path | None:
    name = (job.report or {}).get("stored_as")
    if not name or "/" in name or "\\" in name:
        return None
    path = upload_folder(instance_path) / name
    return path if path.exists() else None


def set_job_mapping(job: ImportJob, mapping: dict[str, str]) -> None:
    job.report = {**(job.report or {}), "mapping": dict(mapping)}
    remember_mapping(job.establishment_id, job.report.get("source", ""), mapping)


def job_settings(job: ImportJob, rules: ImportRules) -> ImportSettings:
    return ImportSettings(mapping=dict((job.report or {}).get("mapping", {})),
                          establishment_id=job.establishment_id, valid_only=job.valid_only,
                          rules=rules)


def check_job(job: ImportJob, instance_path: str, rules: ImportRules) -> Report:
    """Dry-run a job's file with its mapping and keep the report with the job; the caller commits.

    Nothing but the job is written.
    """
    path = job_file(instance_path, job)
    if path is None:
        raise ImportFileError(_l("The uploaded file is no longer available: upload it again."))
    report = dry_run(path, job_settings(job, rules))
    job.report = {**(job.report or {}), "check": report.to_dict()}
    job.total_rows = report.total
    return report


def start_job(job: ImportJob, *, valid_only: bool, total_rows: int, now: datetime) -> bool:
    """Mark a waiting job as started, its first attempt about to be queued; False if it was not
    waiting (a second click, say).

    One UPDATE checks and sets the status, so two requests never both start the same job.
    The caller commits, then queues the job's first attempt (feedback.tasks.run_import).
    """
    started = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status == ImportJobStatus.PENDING)
        .values(status=ImportJobStatus.RUNNING, valid_only=valid_only, total_rows=total_rows,
                processed_rows=0, attempts=0, heartbeat_at=now,
                report={**(job.report or {}), "stage": "queued"})
        .execution_options(synchronize_session="fetch")
    ).rowcount
    return started == 1


def unstart_job(job: ImportJob) -> None:
    """Back to waiting, its file and choices kept, when its first attempt could not be queued;
    the caller commits."""
    db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status == ImportJobStatus.RUNNING,
               ImportJob.attempts == 0)
        .values(status=ImportJobStatus.PENDING, heartbeat_at=None,
                report={k: v for k, v in (job.report or {}).items() if k != "stage"})
        .execution_options(synchronize_session="fetch"))


def run_job(job_id: int, attempt: int, *, instance_path: str, rules: ImportRules,
            policy: RetryPolicy) -> float | None:
    """One attempt at a started job, recording progress and outcome; commits.

    All or nothing: the rows, the job's outcome and its audit entry are committed together, and
    only while this attempt is still the job's current one. An attempt killed midway leaves no
    row; the next one starts again from the file. Returns the seconds to wait before the next
    attempt, when this one failed for a reason that may pass (the database out of reach, a full
    disk) and attempts are left; None once the job is over or another attempt has it.
    """
    if not claim_attempt(db.session, ImportJob, ImportJobStatus.RUNNING, job_id, attempt,
                         utcnow()):
        return None
    job = db.session.get(ImportJob, job_id)
    path = job_file(instance_path, job)
    static = dict(job.report or {})
    actor = db.session.get(User, job.user_id) if job.user_id else None
    last = [0.0]

    def progress(processed: int) -> None:
        now = utcnow()
        if now.timestamp() - last[0] < 1 and processed < job.total_rows:
            return
        last[0] = now.timestamp()
        _update_attempt(job_id, attempt, processed_rows=processed, heartbeat_at=now,
                        report={**static, "stage": "checking"})

    def writing() -> None:
        _update_attempt(job_id, attempt, heartbeat_at=utcnow(),
                        report={**static, "stage": "writing"})

    try:
        if path is None:
            raise ImportFileError(_l("The uploaded file is no longer available: upload it "
                                     "again."))
        report = run_import(path, job_settings(job, rules), batch=job.id, progress=progress,
                            on_write=writing, stage_path=path.with_suffix(".stage"))
    except RowsRejected as rejected:
        db.session.rollback()
        report = rejected.report
        outcome = _outcome(report, ImportJobStatus.FAILED, str(_l(
            "%(n)s rows were rejected, so nothing was imported. Fix them, or import the valid "
            "rows only.", n=f"{report.rejected:,}")))
    except ImportFileError as error:
        db.session.rollback()
        report = Report()
        outcome = _outcome(report, ImportJobStatus.FAILED, str(error))
    except Exception as error:  # the import must end, never stay "running"
        db.session.rollback()
        log_failure(f"import job {job_id}, attempt {attempt}", error)
        if attempt < policy.attempts:
            delay = policy.delay_after(attempt)
            # Not taken as stalled while it waits for its next attempt.
            _update_attempt(job_id, attempt, report={**static, "stage": "queued"},
                            heartbeat_at=utcnow() + timedelta(seconds=delay))
            return delay
        report = Report()
        outcome = _outcome(report, ImportJobStatus.FAILED, str(_l(
            "The import failed %(n)s times (%(error)s), so nothing was imported.",
            n=attempt, error=type(error).__name__)))
    else:
        outcome = _outcome(report, ImportJobStatus.DONE, "")
    for key in ("stored_as", "stage"):
        static.pop(key, None)
    recorded = db.session.execute(update(ImportJob).where(*_current(job_id, attempt)).values(
        report={**static, **report.to_dict()}, heartbeat_at=None, **outcome)).rowcount
    if recorded != 1:
        db.session.rollback()  # a later attempt has the job: its outcome counts, not this one's
        return None
    audit.record("import.run" if outcome["status"] is ImportJobStatus.DONE else "import.failed",
                 actor=actor, establishment_id=job.establishment_id, target=job,
                 imported=report.imported, duplicates=report.duplicates,
                 rejected=report.rejected, valid_only=job.valid_only)
    db.session.commit()  # the imported rows, the job's outcome and the audit entry, together
    if path is not None:
        path.unlink(missing_ok=True)  # only now: an attempt killed before needs it again
    return None


def _current(job_id: int, attempt: int) -> tuple:
    return (ImportJob.id == job_id, ImportJob.status == ImportJobStatus.RUNNING,
            ImportJob.attempts == attempt)


def _outcome(report: Report, status: ImportJobStatus, error: str) -> dict:
    return {"status": status, "error": error, "processed_rows": report.total,
            "imported": report.imported, "duplicates": report.duplicates,
            "rejected": report.rejected, "finished_at": utcnow()}


def _update_attempt(job_id: int, attempt: int, **values) -> None:
    """Progress, on a connection of its own: visible at once, whatever the import's transaction.

    Written only while the attempt is the job's current one.
    """
    with db.engine.begin() as connection:
        connection.execute(update(ImportJob).where(*_current(job_id, attempt)).values(**values))


def resume_stalled_jobs(instance_path: str, policy: RetryPolicy,
                        now: datetime) -> list[tuple[int, int]]:
    """Started jobs not heard from for a lease: their consumer was killed, or their task lost.

    Returns (job id, attempt) for the next attempt of each, to queue once the caller has
    committed; a job out of attempts is failed instead, and its file deleted.
    """
    due, failed = resume_stalled(
        db.session, ImportJob, ImportJobStatus.RUNNING, ImportJobStatus.FAILED, policy, now,
        lambda attempts: str(_l("The import stopped %(n)s times before its end, so nothing was "
                                "imported.", n=attempts)))
    for job_id in failed:
        discard_job_file(instance_path, db.session.get(ImportJob, job_id))
    return due


STALE_PENDING = timedelta(days=1)


def expire_abandoned_jobs(instance_path: str, now: datetime) -> int:
    """Fail jobs left unconfirmed for a day and delete their files, and files no job needs.

    The caller commits.
    """
    jobs = db.session.scalars(select(ImportJob).where(
        ImportJob.status == ImportJobStatus.PENDING, ImportJob.created_at < now - STALE_PENDING))
    expired = 0
    for job in jobs:
        discard_job_file(instance_path, job)
        job.status = ImportJobStatus.FAILED
        job.error = str(_l("Abandoned before the end: nothing was imported by this job."))
        job.finished_at = now
        expired += 1
    _delete_orphan_files(instance_path, now)
    return expired


def _delete_orphan_files(instance_path: str, now: datetime) -> None:
    """Uploads of finished jobs whose consumer was killed between its commit and the deletion:
    they hold what people wrote, before redaction."""
    reports = db.session.scalars(select(ImportJob.report).where(
        ImportJob.status.in_([ImportJobStatus.PENDING, ImportJobStatus.RUNNING])))
    needed = {Path(name).stem for report in reports if (name := (report or {}).get("stored_as"))}
    old = (now - STALE_PENDING).timestamp()
    for path in upload_folder(instance_path).iterdir():
        if path.stem not in needed and path.stat().st_mtime < old:
            path.unlink(missing_ok=True)


def discard_job_file(instance_path: str, job: ImportJob) -> None:
    if (path := job_file(instance_path, job)) is not None:
        path.unlink(missing_ok=True)
        with suppress(OSError):
            path.with_suffix(".stage").unlink(missing_ok=True)
    job.report = {k: v for k, v in (job.report or {}).items() if k != "stored_as"}


def cancel_job(job: ImportJob, instance_path: str, now: datetime) -> None:
    """Drop a job that was never run, and its file; the caller commits."""
    discard_job_file(instance_path, job)
    job.status = ImportJobStatus.FAILED
    job.error = str(_l("Cancelled before it ran: nothing was imported."))
    job.finished_at = now
