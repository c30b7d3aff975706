"""Large exports prepared by the job queue: a file in the instance folder, for its requester.

The request records its selection as it stands (the summary filter, theme, sentiment, language);
the task rebuilds the same filter and listing from it, with the same selection functions and the
same anonymity rules, and writes the rows through the same writers as a direct download
(exports.csv_lines, exports.write_xlsx), so every cell is neutralised alike. Like an import, each
attempt claims the job, and only the job's current attempt may record the file; an attempt that
fails for a reason that may pass is tried again after a wait, then the job fails with its reason.
Finished files are deleted once they expire (feedback.tasks.expire_exports).
"""

import os
import secrets
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, select, update

from feedback import insights
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.i18n import in_locale
from feedback.insights import exports
from feedback.insights.filters import Scope, anonymity_threshold
from feedback.models import (
    Establishment,
    ExportJob,
    ExportJobStatus,
    FeedbackKind,
    SentimentLabel,
    User,
    WriterRole,
)
from feedback.queue import RetryPolicy, claim_attempt, log_failure, resume_stalled

EXPORTS = "exports"
REPORT = "report"  # the table of a one-month update's PDF
WRITERS: dict[str, Callable[[list[exports.Table], Path], None]] = {
    "csv": exports.write_csv, "xlsx": exports.write_xlsx}
# Job rows (ids and codes, no text) are kept a while after their file, then deleted.
FORGET_AFTER = timedelta(days=30)
PROGRESS_SECONDS = 5
ORPHAN_AGE = timedelta(days=1)  # no attempt runs that long


def export_folder(instance_path: str) -> Path:
    folder = Path(instance_path) / EXPORTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def is_large(stmt: Select, limit: int) -> bool:
    """Whether a listing holds more than `limit` rows, counting no further than that."""
    bounded = stmt.order_by(None).limit(limit + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(bounded)) > limit


def selection_of(f: insights.SummaryFilter, theme_id: int | None,
                 sentiment: SentimentLabel | None, locale: str) -> dict:
    """A feedback listing's selection, as a job keeps it (ids and codes, never text)."""
    scope = f.scope
    return {"establishment_id": scope.establishment_id, "first_week": scope.first_week.isoformat(),
            "last_week": scope.last_week.isoformat(), "threshold": f.threshold,
            "phase": f.phase, "role": f.role.value if f.role else None,
            "sector_id": f.sector_id, "kind": f.kind.value if f.kind else None,
            "cut_until": f.cut_until.isoformat(), "theme_id": theme_id,
            "sentiment": sentiment.value if sentiment else None, "locale": locale}


def filter_of(selection: dict, establishment: Establishment,
              deployment_threshold: int) -> insights.SummaryFilter:
    """The summary filter a job's selection was made with.

    Its threshold is the stricter of the one then and the one now: an establishment that raised
    its threshold meanwhile never gets a file cut finer than it now allows.
    """
    threshold = max(selection["threshold"],
                    anonymity_threshold([establishment], deployment_threshold))
    return insights.SummaryFilter(
        scopes=(Scope(establishment.id, date.fromisoformat(selection["first_week"]),
                      date.fromisoformat(selection["last_week"])),),
        threshold=threshold, phase=selection["phase"],
        role=WriterRole(selection["role"]) if selection["role"] else None,
        sector_id=selection["sector_id"],
        kind=FeedbackKind(selection["kind"]) if selection["kind"] else None,
        cut_until=date.fromisoformat(selection["cut_until"]))


def feedback_tables(selection: dict, establishment: Establishment,
                    deployment_threshold: int) -> list[exports.Table]:
    """The feedback export's table, exactly as export_views builds it for a direct download."""
    from feedback.insights.presentation import feedback_export_table

    f = filter_of(selection, establishment, deployment_threshold)
    sentiment = SentimentLabel(selection["sentiment"]) if selection["sentiment"] else None
    stmt = insights.listing(f, selection["theme_id"], sentiment)
    return [feedback_export_table(f, insights.listing_rules(f), stmt, selection["locale"])]


def create_export(*, user: User, establishment: Establishment, table: str, fmt: str,
                  selection: dict, filename: str) -> ExportJob:
    """An export waiting for its first attempt; the caller commits, then queues it
    (feedback.tasks.run_export)."""
    job = ExportJob(establishment_id=establishment.id, user_id=user.id, table=table, format=fmt,
                    selection=selection, filename=filename, status=ExportJobStatus.RUNNING,
                    heartbeat_at=utcnow())
    db.session.add(job)
    return job


def create_report_pdf(*, user: User, establishment: Establishment, html: str,
                      instance_path: str, first: date, last: date, locale: str,
                      filename: str) -> ExportJob:
    """The one-month update's PDF, waiting for Chromium in the queue: the page as the manager
    read it is kept beside the exports until its PDF is made; the caller commits, then queues
    it (feedback.tasks.run_export)."""
    source = secrets.token_hex(16)
    (export_folder(instance_path) / f"{source}.html").write_text(html, encoding="utf-8")
    return create_export(user=user, establishment=establishment, table=REPORT, fmt="pdf",
                         selection={"source": source, "start": first.isoformat(),
                                    "end": last.isoformat(), "locale": locale},
                         filename=filename)


def _report_source(instance_path: str, job: ExportJob) -> Path | None:
    source = str(job.selection.get("source", ""))
    return export_folder(instance_path) / f"{source}.html" if source.isalnum() else None


def _write_report(job: ExportJob, instance_path: str, part: Path) -> None:
    """Chromium prints the kept page; a page gone (expired meanwhile) fails the attempt."""
    from feedback.insights import report

    source = _report_source(instance_path, job)
    if source is None or not source.exists():
        raise FileNotFoundError("report page")
    part.write_bytes(report.pdf_from_html(source.read_text(encoding="utf-8")))


def _forget_report_source(instance_path: str, job_id: int) -> None:
    job = db.session.get(ExportJob, job_id)
    if (job is not None and job.table == REPORT and job.status is not ExportJobStatus.RUNNING
            and (source := _report_source(instance_path, job)) is not None):
        source.unlink(missing_ok=True)


def abandon_export(job: ExportJob, now: datetime) -> None:
    """Fail an export whose first attempt could not be queued; the caller commits."""
    job.status, job.finished_at, job.heartbeat_at = ExportJobStatus.FAILED, now, None
    job.error = str(_l("The job queue cannot be reached, so the export was not prepared. Try "
                       "again in a moment."))


def export_file(instance_path: str, job: ExportJob) -> Path | None:
    """The finished file of a job, if it is still there."""
    if job.status is not ExportJobStatus.DONE or not job.stored_as.isalnum():
        return None
    path = export_folder(instance_path) / f"{job.stored_as}.{job.format}"
    return path if path.exists() else None


def run_export(job_id: int, attempt: int, *, instance_path: str, policy: RetryPolicy,
               deployment_threshold: int, keep: timedelta) -> float | None:
    """One attempt at an export: the file written beside its final name, then renamed; commits.

    Returns the seconds to wait before the next attempt when this one failed and attempts are
    left; None once the job is over or another attempt has it.
    """
    if not claim_attempt(db.session, ExportJob, ExportJobStatus.RUNNING, job_id, attempt,
                         utcnow()):
        return None
    job = db.session.get(ExportJob, job_id)
    folder = export_folder(instance_path)
    # Each attempt its own file: one taken for dead never overwrites the next one's.
    name = secrets.token_hex(16)
    part, final = folder / f"{name}.part", folder / f"{name}.{job.format}"
    written = [0]
    try:
        if job.table == REPORT:
            _write_report(job, instance_path, part)
        else:
            establishment = db.session.get(Establishment, job.establishment_id)
            with in_locale(job.selection["locale"]):
                tables = feedback_tables(job.selection, establishment, deployment_threshold)
                for table in tables:
                    table.rows = _counted(table.rows, job_id, attempt, written)
                try:
                    WRITERS[job.format](tables, part)
                finally:
                    # A writer that failed midway: its read ends now, before the transaction
                    # it belongs to (a server-side cursor outliving it is an error).
                    for table in tables:
                        table.rows.close()
        os.replace(part, final)
    except Superseded:
        db.session.rollback()
        part.unlink(missing_ok=True)
        return None
    except Exception as error:  # the export must end, never stay "running"
        db.session.rollback()
        part.unlink(missing_ok=True)
        log_failure(f"export job {job_id}, attempt {attempt}", error)
        if attempt < policy.attempts:
            delay = policy.delay_after(attempt)
            # Not taken as stalled while it waits for its next attempt.
            _record(job_id, attempt, heartbeat_at=utcnow() + timedelta(seconds=delay))
            return delay
        _record(job_id, attempt, status=ExportJobStatus.FAILED, heartbeat_at=None,
                finished_at=utcnow(), error=str(_l(
                    "The export failed %(n)s times (%(error)s): try again later.",
                    n=attempt, error=type(error).__name__)))
        _forget_report_source(instance_path, job_id)
        return None
    now = utcnow()
    if not _record(job_id, attempt, status=ExportJobStatus.DONE, stored_as=name,
                   rows=written[0], heartbeat_at=None, finished_at=now, expires_at=now + keep):
        final.unlink(missing_ok=True)  # a later attempt has the job: its file counts
    _forget_report_source(instance_path, job_id)
    return None


def _beat(job_id: int, attempt: int, **values) -> bool:
    """_record, on a connection of its own: the session's is reading the rows, and a commit
    there would end that read (a server-side cursor lives in its transaction)."""
    with db.engine.begin() as connection:
        return connection.execute(update(ExportJob).where(
            ExportJob.id == job_id, ExportJob.status == ExportJobStatus.RUNNING,
            ExportJob.attempts == attempt).values(**values)).rowcount == 1


class Superseded(Exception):
    """A later attempt has the job: this one stops."""


def _counted(rows, job_id: int, attempt: int, written: list[int]) -> Iterator[list]:
    """The rows, counted; the count and a heartbeat recorded every few seconds."""
    last = utcnow()
    for row in rows:
        written[0] += 1
        yield row
        if written[0] % 1000:  # the clock read once every thousand rows is often enough
            continue
        now = utcnow()
        if (now - last).total_seconds() >= PROGRESS_SECONDS:
            last = now
            if not _beat(job_id, attempt, rows=written[0], heartbeat_at=now):
                raise Superseded


def _record(job_id: int, attempt: int, **values) -> bool:
    """Write to the job while `attempt` is its current one; commits. False: no longer current."""
    recorded = db.session.execute(update(ExportJob).where(
        ExportJob.id == job_id, ExportJob.status == ExportJobStatus.RUNNING,
        ExportJob.attempts == attempt).values(**values)).rowcount
    db.session.commit()
    return recorded == 1


def resume_stalled_exports(policy: RetryPolicy, now: datetime) -> list[tuple[int, int]]:
    """Exports not heard from for a lease (their consumer was killed, or their task lost).

    Returns (job id, attempt) for the next attempt of each, to queue once the caller has
    committed; a job out of attempts is failed instead.
    """
    due, _failed = resume_stalled(
        db.session, ExportJob, ExportJobStatus.RUNNING, ExportJobStatus.FAILED, policy, now,
        lambda attempts: str(_l("The export stopped %(n)s times before its end: try again "
                                "later.", n=attempts)))
    return due


def expire_exports(instance_path: str, now: datetime) -> int:
    """Delete the files of exports past their time, and any file no export holds; forget old
    jobs. Returns how many files expired; the caller commits."""
    expired = db.session.scalars(select(ExportJob).where(
        ExportJob.status == ExportJobStatus.DONE, ExportJob.expires_at < now)).all()
    for job in expired:
        if (path := export_file(instance_path, job)) is not None:
            path.unlink(missing_ok=True)
        job.status, job.stored_as = ExportJobStatus.EXPIRED, ""
    # Files of attempts killed midway, or taken for dead: nothing points at them.
    kept = set(db.session.scalars(select(ExportJob.stored_as).where(
        ExportJob.status == ExportJobStatus.DONE)))
    old = (now - ORPHAN_AGE).timestamp()
    for path in export_folder(instance_path).iterdir():
        if path.stem not in kept and path.stat().st_mtime < old:
            path.unlink(missing_ok=True)
    db.session.execute(delete(ExportJob).where(
        ExportJob.created_at < now - FORGET_AFTER, ExportJob.status != ExportJobStatus.RUNNING))
    return len(expired)
