"""Running an import: check and stage every row, then write the new ones in one transaction."""

import io
import itertools
import json
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import sqlite

from feedback import audit
from feedback.clock import local_week_start, utcnow
from feedback.extensions import db
from feedback.imports.checking import (
    IMPORTED,
    Directory,
    RejectedRow,
    Report,
    RowChecker,
    RowsRejected,
    ValidRow,
    load_directory,
)
from feedback.imports.mapping import remember_mapping
from feedback.imports.reading import ImportFileError, open_table
from feedback.insights import anonymity, rollups
from feedback.models import (
    Feedback,
    FeedbackTheme,
    ImportJob,
    ImportJobStatus,
    Theme,
    ThemeSource,
    User,
    new_ref,
)
from feedback.privacy import retention_days
from feedback.tagging import active_themes, analysed_columns, analysed_themes, current_analyser

# The dry run reads a file while the page waits: about 30,000 rows a second.
MAX_ROWS = 200_000


CHUNK_SIZE = 1_000


@dataclass(frozen=True)
class ImportRules:
    """What the installation's settings decide about imported rows."""

    retention: dict[str, int]  # days each origin of feedback is kept
    threshold: int  # answers an anonymity cohort needs

    @classmethod
    def from_config(cls, config: Mapping) -> "ImportRules":
        return cls(retention_days(config), config["ANONYMITY_THRESHOLD"])


@dataclass(frozen=True)
class ImportSettings:
    mapping: dict[str, str]  # field → column
    establishment_id: int | None  # None: each row names its establishment
    valid_only: bool = False
    rules: ImportRules = field(kw_only=True)


def dry_run(path: Path, settings: ImportSettings,
            directory: Directory | None = None) -> Report:
    """Check every row and count what would be imported. Writes nothing."""
    return _first_pass(path, settings, directory, stage=None)


Progress = Callable[[int], None]


def run_import(path: Path, settings: ImportSettings, *, batch: int, stage_path: Path,
               progress: Progress | None = None, on_write: Callable[[], None] | None = None,
               directory: Directory | None = None) -> Report:
    """Check, analyse and stage every row, then insert the new ones; the caller commits.

    `batch`: the import's id, kept on its rows, which are cut into anonymity cohorts of their
    own as soon as they are written. Raises RowsRejected (nothing written) when rows are
    rejected and not settings.valid_only.
    """
    try:
        with open(stage_path, "w", encoding="utf-8") as stage:
            report = _first_pass(path, settings, directory, stage=stage, progress=progress)
        if report.rejected and not settings.valid_only:
            raise RowsRejected(report)
        if on_write:
            on_write()
        _write(stage_path, report, batch, settings.rules.threshold)
        return report
    finally:
        stage_path.unlink(missing_ok=True)


def _first_pass(path: Path, settings: ImportSettings, directory: Directory | None, *,
                stage: io.TextIOBase | None, progress: Progress | None = None) -> Report:
    if "text" not in settings.mapping:
        raise ImportFileError(_l("Choose the column that holds the text."))
    if settings.establishment_id is None and "establishment" not in settings.mapping:
        raise ImportFileError(_l("Choose the column that names the establishment."))
    if directory is None:
        scope = None if settings.establishment_id is None else [settings.establishment_id]
        directory = load_directory(scope)
    report = Report()
    themes = active_themes() if stage is not None else {}
    analyser = current_analyser(themes) if stage is not None else None
    seen: set[bytes] = set()
    with open_table(path) as table:
        checker = RowChecker(table.headers, settings.mapping, directory,
                             settings.establishment_id, utcnow(),
                             periods=settings.rules.retention)
        chunk: list[ValidRow] = []
        for line, cells in table.rows:
            checked = checker.check(line, cells)
            if checked is None:
                continue
            report.total += 1
            if report.total > MAX_ROWS:
                raise ImportFileError(_l("The file has more than %(max)s rows: split it.",
                                         max=f"{MAX_ROWS:,}"))
            if isinstance(checked, RejectedRow):
                report.reject(checked)
            else:
                chunk.append(checked)
                if len(chunk) >= CHUNK_SIZE:
                    _check_chunk(chunk, report, seen, settings, stage, analyser, themes)
                    chunk = []
            if progress and report.total % CHUNK_SIZE == 0:
                progress(report.total)
        _check_chunk(chunk, report, seen, settings, stage, analyser, themes)
    if progress:
        progress(report.total)
    return report


def _check_chunk(chunk: list[ValidRow], report: Report, seen: set[bytes],
                 settings: ImportSettings, stage: io.TextIOBase | None, analyser,
                 themes: dict[str, Theme]) -> None:
    """Count a chunk's duplicates (one query for the chunk), then analyse and stage the rest."""
    if not chunk:
        return
    stored = stored_hashes([row.content_hash for row in chunk])
    # Once a row is rejected, an all-or-nothing run will write nothing: analysing is wasted.
    analyse = stage is not None and (settings.valid_only or not report.rejected)
    lines = []
    for row in chunk:
        digest = bytes.fromhex(row.content_hash)
        if row.content_hash in stored or digest in seen:
            report.duplicates += 1
            continue
        seen.add(digest)
        report.valid += 1
        if analyse:
            lines.append(_staged(row, analyser, themes))
    if lines:
        stage.write("".join(lines))


def stored_hashes(hashes: list[str]) -> set[str]:
    """Which of these content hashes are already stored: one query for a whole chunk."""
    return set(db.session.scalars(select(Feedback.content_hash).where(
        Feedback.content_hash.in_(hashes))))


def _staged(row: ValidRow, analyser, themes: dict[str, Theme]) -> str:
    """One analysed row as a line of the staging file: only the redacted text is written."""
    result = analyser.analyse(row.text, IMPORTED)  # as retag will read it
    return json.dumps([
        row.content_hash, row.establishment_id, row.site_id, row.sector_id, row.role.value,
        row.phase, row.created_at.isoformat(), analysed_columns(result),
        [[theme.id, confidence] for theme, confidence in analysed_themes(result, themes)],
    ], ensure_ascii=False) + "\n"


def _write(stage_path: Path, report: Report, batch: int, threshold: int) -> None:
    """Insert the staged rows chunk by chunk, in the session's transaction.

    The inserts go through the session's connection as plain Core statements (no ORM objects);
    the new rows of finished weeks are then cut into anonymity cohorts, and what the new rows
    contribute to the summary tables is added to them, in the same transaction (as
    feedback.rollups asks of bulk writers). Only the new rows are read: the weeks' other rows
    neither change cohort nor count differently, so their summary rows stand as they are.
    """
    # Rows of a week whose live answers are not cut yet join that week's cut (batch 0); rows of
    # weeks already cut form cohorts of their own, cut now, so that the cohorts others saw
    # before this import stay as they were.
    pending_from = local_week_start(anonymity.last_closed_week(utcnow()) + timedelta(days=7))
    connection = db.session.connection()
    counted: dict = {}
    with open(stage_path, encoding="utf-8") as stage:
        while lines := list(itertools.islice(stage, CHUNK_SIZE)):
            pending = _insert_chunk([json.loads(line) for line in lines], report, batch,
                                    pending_from)
            if pending:
                # Final already: they stay uncut until their week's live cut, which recounts it.
                rollups.count_new_feedback(connection, Feedback.id.in_(pending), counted)
    if report.imported:
        anonymity.cut_batch(db.session, batch, threshold, utcnow())
        rollups.count_new_feedback(connection, anonymity.batch_rows(batch), counted)
        rollups.add_feedback(connection, counted)


def _insert_chunk(staged: list[list], report: Report, batch: int,
                  pending_from: datetime) -> list[int]:
    """Insert a chunk; returns the ids of the rows that joined a pending week (batch 0)."""
    rows = [
        {"content_hash": h, "ref": new_ref(), "establishment_id": e, "site_id": site,
         "sector_id": sector, "role": role, "phase": phase, "kind": IMPORTED,
         "created_at": (moment := datetime.fromisoformat(created_at)),
         "batch": anonymity.LIVE if moment >= pending_from else batch, **columns}
        for h, e, site, sector, role, phase, created_at, columns, _themes in staged
    ]
    connection = db.session.connection()
    # A concurrent import of the same rows may have stored some since the duplicate check:
    # those are skipped (ON CONFLICT DO NOTHING) and counted as duplicates.
    if connection.dialect.name == "postgresql":
        ids = _insert_feedback_postgresql(connection, rows)
    else:
        table = Feedback.__table__
        stmt = (sqlite.insert(table).on_conflict_do_nothing(index_elements=[table.c.content_hash])
                .returning(table.c.id, table.c.content_hash))
        ids = {content_hash: feedback_id
               for feedback_id, content_hash in connection.execute(stmt, rows)}
    report.imported += len(ids)
    report.duplicates += len(rows) - len(ids)
    report.valid -= len(rows) - len(ids)
    links = [
        {"feedback_id": ids[h], "theme_id": theme_id, "source": ThemeSource.AUTO.value,
         "confidence": confidence}
        for h, *_rest, themes in staged if h in ids
        for theme_id, confidence in themes
    ]
    if links:
        connection.execute(FeedbackTheme.__table__.insert(), links)
    return [ids[row["content_hash"]] for row in rows
            if row["batch"] == anonymity.LIVE and row["content_hash"] in ids]


def _insert_feedback_postgresql(connection, rows: list[dict]) -> dict[str, int]:
    """The same INSERT … ON CONFLICT DO NOTHING RETURNING, one row a statement, pipelined.

    SQLAlchemy would send a chunk as one statement of some 14,000 parameters, which psycopg takes
    longer to parse than PostgreSQL to run; psycopg's own executemany pipelines one short
    prepared statement instead (three times faster). Same connection, same transaction; values
    go through the columns' own types (UTCDateTime: aware → naive UTC).
    """
    table = Feedback.__table__
    names = list(rows[0])
    converters = [table.c[name].type.bind_processor(connection.dialect) for name in names]
    values = [tuple(convert(row[name]) if convert else row[name]
                    for name, convert in zip(names, converters, strict=True)) for row in rows]
    sql = (f"INSERT INTO feedback ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
           " ON CONFLICT (content_hash) DO NOTHING RETURNING id, content_hash")
    ids: dict[str, int] = {}
    with connection.connection.driver_connection.cursor() as cursor:
        cursor.executemany(sql, values, returning=True)
        while True:
            ids.update((content_hash, feedback_id) for feedback_id, content_hash in cursor)
            if not cursor.nextset():
                break
    return ids


def import_file(path: Path, settings: ImportSettings, *, source: str, filename: str,
                actor: User | None = None) -> tuple[ImportJob, Report]:
    """Import a file in this process (the CLI), recorded as a job; the caller commits.

    Raises RowsRejected (nothing written) when rows are rejected and not settings.valid_only.
    """
    job = ImportJob(establishment_id=settings.establishment_id,
                    user_id=actor.id if actor else None, filename=filename[:255],
                    status=ImportJobStatus.RUNNING, valid_only=settings.valid_only)
    db.session.add(job)
    db.session.flush()  # its id is the batch of its rows
    with tempfile.TemporaryDirectory(prefix="echo-import-") as folder:
        report = run_import(path, settings, batch=job.id,
                            stage_path=Path(folder) / "rows.jsonl")
    now = utcnow()
    job.status = ImportJobStatus.DONE
    job.total_rows = job.processed_rows = report.total
    job.imported, job.duplicates, job.rejected = (report.imported, report.duplicates,
                                                  report.rejected)
    job.created_at = job.finished_at = now
    job.report = {"source": source, "mapping": dict(settings.mapping), **report.to_dict()}
    if source:
        remember_mapping(settings.establishment_id, source, settings.mapping)
    audit.record("import.run", actor=actor, actor_email=actor.email if actor else "cli",
                 establishment_id=settings.establishment_id, target=job,
                 imported=report.imported, duplicates=report.duplicates,
                 rejected=report.rejected, valid_only=settings.valid_only)
    return job, report
