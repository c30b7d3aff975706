"""Imports run from the web pages: uploads kept in the instance folder, jobs and their progress."""

import logging
import secrets
import threading
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask
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


def start_job(job: ImportJob, *, valid_only: bool, total_rows: int) -> bool:
    """Mark a waiting job as running; False if it was not waiting (a second click, say).

    One UPDATE checks and sets the status, so two requests never both start the same job.
    The caller commits, then calls run_in_background.
    """
    started = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status == ImportJobStatus.PENDING)
        .values(status=ImportJobStatus.RUNNING, valid_only=valid_only, total_rows=total_rows,
                processed_rows=0, report={**(job.report or {}), "stage": "checking",
                                          "heartbeat": utcnow().isoformat()})
        .execution_options(synchronize_session="fetch")
    ).rowcount
    return started == 1


RUNNING: dict[int, threading.Thread] = {}  # job id → thread (tests wait for them)


def run_in_background(app: Flask, job_id: int) -> threading.Thread:
    thread = threading.Thread(target=_run_job, args=(app, job_id), name=f"import-{job_id}",
                              daemon=True)
    RUNNING[job_id] = thread
    thread.start()
    return thread


def _run_job(app: Flask, job_id: int) -> None:
    """The body of an import thread: its own app context, hence its own session."""
    with app.app_context():
        try:
            run_job(job_id, app.instance_path, ImportRules.from_config(app.config))
        finally:
            db.session.remove()
            RUNNING.pop(job_id, None)


def run_job(job_id: int, instance_path: str, rules: ImportRules) -> None:
    """Run a confirmed job to its end, recording progress and outcome; commits."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status is not ImportJobStatus.RUNNING:
        return
    path = job_file(instance_path, job)
    static = dict(job.report or {})
    actor = db.session.get(User, job.user_id) if job.user_id else None
    last = [0.0]

    def progress(processed: int) -> None:
        now = utcnow()
        if now.timestamp() - last[0] < 1 and processed < job.total_rows:
            return
        last[0] = now.timestamp()
        _update_job(job_id, processed_rows=processed,
                    report={**static, "stage": "checking", "heartbeat": now.isoformat()})

    def writing() -> None:
        _update_job(job_id, report={**static, "stage": "writing",
                                    "heartbeat": utcnow().isoformat()})

    outcome: dict = {}
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
    except Exception as error:  # the import must end as failed, never stay "running"
        db.session.rollback()
        log.error("import job %s failed", job_id, exc_info=error)
        report = Report()
        outcome = _outcome(report, ImportJobStatus.FAILED,
                           str(_l("The import failed and nothing was imported.")))
    else:
        outcome = _outcome(report, ImportJobStatus.DONE, "")
    finally:
        if path is not None:
            path.unlink(missing_ok=True)
    static.pop("stored_as", None)
    static.pop("stage", None)
    static.pop("heartbeat", None)
    db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
        report={**static, **report.to_dict()}, **outcome))
    audit.record("import.run" if outcome["status"] is ImportJobStatus.DONE else "import.failed",
                 actor=actor, establishment_id=job.establishment_id, target=job,
                 imported=report.imported, duplicates=report.duplicates,
                 rejected=report.rejected, valid_only=job.valid_only)
    db.session.commit()  # the imported rows, the job's outcome and the audit entry, together


def _outcome(report: Report, status: ImportJobStatus, error: str) -> dict:
    return {"status": status, "error": error, "processed_rows": report.total,
            "imported": report.imported, "duplicates": report.duplicates,
            "rejected": report.rejected, "finished_at": utcnow()}


def _update_job(job_id: int, **values) -> None:
    """Progress, on a connection of its own: visible at once, whatever the import's transaction."""
    with db.engine.begin() as connection:
        connection.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))


STALE_PENDING = timedelta(days=1)


STALE_RUNNING = timedelta(minutes=30)


def expire_abandoned_jobs(instance_path: str, now: datetime) -> int:
    """Fail jobs left unconfirmed for a day, or whose thread died, and delete their files.

    The caller commits.
    """
    jobs = db.session.scalars(select(ImportJob).where(
        ImportJob.status.in_([ImportJobStatus.PENDING, ImportJobStatus.RUNNING])))
    expired = 0
    for job in jobs:
        heartbeat = (job.report or {}).get("heartbeat")
        last = datetime.fromisoformat(heartbeat) if heartbeat else job.created_at
        limit = STALE_RUNNING if job.status is ImportJobStatus.RUNNING else STALE_PENDING
        if now - last < limit or job.id in RUNNING:
            continue
        discard_job_file(instance_path, job)
        job.status = ImportJobStatus.FAILED
        job.error = str(_l("Abandoned before the end: nothing was imported by this job."))
        job.finished_at = now
        expired += 1
    return expired


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
