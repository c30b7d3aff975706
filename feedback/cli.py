"""Flask commands: thin wrappers over the domain modules."""

import json
import logging
import re
import signal
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from feedback import demo, tagging, tasks
from feedback.accounts import AccountError, create_user
from feedback.analysis import TextTooLongError
from feedback.analysis.evaluation import analysis_record, evaluate, format_report
from feedback.clock import utcnow
from feedback.extensions import db, task_queue, theme_model
from feedback.imports import checking as import_checks
from feedback.imports import mapping as import_mapping
from feedback.imports import reading as import_reading
from feedback.imports import running as import_runs
from feedback.insights import anonymity, rollups
from feedback.models import Establishment, Feedback, Role
from feedback.queue import queue_location


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Full name shown in the interface.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--establishment", "establishment_code", metavar="CODE",
              help="Establishment code (e.g. MCQ); leave out for a network-wide account.")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.password_option(help="Prompted for (hidden, twice) when not given.")
@with_appcontext
def create_user_command(email, name, role, establishment_code, language, password):
    """Create a user account."""
    establishment = None
    if establishment_code:
        establishment = db.session.scalar(
            select(Establishment).where(Establishment.code == establishment_code.upper())
        )
        if establishment is None:
            codes = ", ".join(db.session.scalars(select(Establishment.code))) or "none yet"
            raise click.UsageError(
                f"Unknown establishment {establishment_code!r} (known codes: {codes}).",
            )
    try:
        user = create_user(email=email, name=name, role=Role(role), password=password,
                           establishment=establishment, locale=language)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load the demo establishments, people and feedback (what exists already is kept)."""

    created = demo.seed_demo()
    anonymity.publish_due(db.session, current_app.config["ANONYMITY_THRESHOLD"], utcnow())
    db.session.commit()
    if created:
        click.echo(f"Demo data created for {', '.join(created)}.")
    else:
        click.echo("Demo data already present.")
    click.echo(f"Demo logins (password: {demo.DEMO_PASSWORD}):")
    for login in demo.demo_logins():
        where = login.establishment or "network"
        click.echo(f"  {login.email:<28} {login.role.value:<11} {where}")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only report what would be destroyed.")
@with_appcontext
def purge_command(dry_run):
    """Destroy the data that has outlived its retention period (RETENTION_DAYS)."""
    from flask import current_app

    from feedback import privacy
    from feedback.clock import QUEBEC, utcnow

    try:
        periods = privacy.retention_days(current_app.config)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    report = privacy.purge(utcnow(), periods=periods, dry_run=dry_run, step=db.session.commit)
    db.session.commit()
    click.echo("Dry run: nothing destroyed." if dry_run else "Purge done.")
    for line in report.lines:
        verb = "would destroy" if dry_run else "destroyed"
        before = line.cutoff.astimezone(QUEBEC).strftime("%Y-%m-%d %H:%M")
        click.echo(f"  {line.kind:<16} kept {line.days:>5} days  "
                   f"(before {before})  {verb} {line.count}")
    click.echo(f"Total: {report.total}.")


def _read_jsonl(stream) -> list[dict]:
    rows = []
    for number, line in enumerate(stream, start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise click.ClickException(f"line {number}: not JSON ({error.msg})") from error
    return rows


def _analyser():
    analyser, from_database = tagging.configured_analyser()
    if not from_database:
        click.echo("Note: the database is not set up (`flask --app feedback db upgrade`); "
                   "using the shipped themes.", err=True)
    return analyser


@click.command("analyze")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@with_appcontext
def analyze_command(source):
    """Analyse a JSON Lines file ({"id", "text"} per line, - for stdin); print one result a line.

    A line may also give its "kind" (survey or observation), as the app does when it records.
    """
    analyser = _analyser()
    for row in _read_jsonl(source):
        try:
            record = analysis_record(
                row.get("id"), analyser.analyse(row["text"], row.get("kind")))
        except (KeyError, TypeError):
            record = {"id": row.get("id"), "error": "each line needs a text"}
        except TextTooLongError as error:
            record = {"id": row.get("id"), "error": str(error)}
        click.echo(json.dumps(record, ensure_ascii=False))


@click.command("evaluate")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def evaluate_command(source, as_json):
    """Score the pipeline against a labelled JSON Lines file (the eval/LABELS.md format)."""
    rows = _read_jsonl(source)
    if not rows:
        raise click.ClickException("the file holds no labelled text")
    report = evaluate(rows, _analyser())
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else format_report(report))


def _queue_run(kind: str) -> None:
    from feedback import tasks

    run, queued = tasks.queue_run(kind, None)
    if not queued:
        raise click.ClickException(run.error)
    click.echo(f"Queued as run {run.id}: follow it on the Themes page of the administration.")


@click.command("retag")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--queue", "queued", is_flag=True,
              help="Hand it to the job queue's consumer instead of running it here.")
@with_appcontext
def retag_command(batch_size, queued):
    """Re-analyse stored feedback with the current pipeline and themes, keeping manual tags."""
    if queued:
        _queue_run("retag")
        return
    total = db.session.scalar(select(func.count(Feedback.id)))
    themes = tagging.active_themes()
    last_id = 0
    with click.progressbar(length=total, label="Retagging", show_pos=True) as bar:
        while True:
            count, last_id = tagging.retag_batch(last_id, batch_size, themes)
            db.session.commit()  # one batch at a time: an interrupted run keeps what it did
            if not count:
                break
            bar.update(count)
    click.echo(f"Retagged {total} feedback.")


@click.command("retrain")
@click.option("--queue", "queued", is_flag=True,
              help="Hand it to the job queue's consumer (which re-analyses stored feedback "
                   "after it) instead of running it here.")
@with_appcontext
def retrain_command(queued):
    """Refit the theme classifier from the shipped examples plus managers' corrections."""
    if queued:
        _queue_run("retrain")
        return
    examples, corrections = tagging.retrain()
    click.echo(f"Theme model retrained on {examples} examples ({corrections} manual corrections),"
               f" saved to {theme_model.path}.")
    click.echo("Run `flask --app feedback retag` to apply it to stored feedback.")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--establishment", "establishment_code", metavar="CODE",
              help="The establishment the rows belong to; leave out when a column names it.")
@click.option("--source", default="", help="Where the file comes from: its column mapping is "
              "remembered under this name.")
@click.option("--map", "mappings", multiple=True, metavar="COLUMN=FIELD",
              help="Read FIELD (text, date, establishment, site, sector, role, phase, kind) "
                   "from COLUMN; repeat for each field. Completes the remembered mapping.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if some are "
              "rejected (default: all or nothing).")
@with_appcontext
def import_command(path, establishment_code, source, mappings, dry_run, valid_only):
    """Import feedback from a CSV or XLSX file, each row through the analysis pipeline."""

    establishment = None
    if establishment_code:
        establishment = db.session.scalar(
            select(Establishment).where(Establishment.code == establishment_code.upper()))
        if establishment is None:
            codes = ", ".join(db.session.scalars(select(Establishment.code))) or "none yet"
            raise click.UsageError(
                f"Unknown establishment {establishment_code!r} (known codes: {codes}).")
    establishment_id = establishment.id if establishment else None
    try:
        table = import_reading.read_headers(path)
        overrides = import_mapping.parse_mapping_options(mappings)
    except (import_reading.ImportFileError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    if missing := [column for column in overrides.values() if column not in table.headers]:
        raise click.ClickException(f"No column {missing[0]!r} in the file (columns: "
                                   f"{', '.join(table.headers)}).")
    remembered = import_mapping.remembered_mapping(establishment_id, source) if source else None
    mapping = {**import_mapping.suggest_mapping(table.headers, remembered), **overrides}
    click.echo(f"File: {table.format.upper()}"
               + (f", {table.encoding}, separator {table.delimiter!r}" if table.encoding else ""))
    for field in import_mapping.FIELDS:
        click.echo(f"  {field:<14} ← {mapping.get(field, '(not in the file)')}")
    settings = import_runs.ImportSettings(
        mapping, establishment_id, valid_only,
        rules=import_runs.ImportRules.from_config(current_app.config))
    try:
        if dry_run:
            report = import_runs.dry_run(path, settings)
        else:
            _job, report = import_runs.import_file(path, settings, source=source,
                                               filename=path.name)
    except import_checks.RowsRejected as rejected:
        db.session.rollback()
        _echo_import_report(rejected.report, done=False)
        raise click.ClickException(
            f"{rejected.report.rejected} rows rejected: nothing imported. Fix them, or use "
            "--valid-only to import the valid rows.") from None
    except import_reading.ImportFileError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    _echo_import_report(report, done=not dry_run)
    if dry_run:
        click.echo("Dry run: nothing was written.")


def _echo_import_report(report, *, done: bool, shown: int = 20) -> None:
    from feedback.imports.checking import reason_message
    from feedback.privacy import retention_days

    retention = retention_days(current_app.config)
    click.echo(f"Rows read:   {report.total}")
    click.echo(f"{'Imported:' if done else 'To import:':<12} "
               f"{report.imported if done else report.valid}")
    click.echo(f"Duplicates:  {report.duplicates}  (already stored, or repeated in the file)")
    click.echo(f"Rejected:    {report.rejected}")
    for reason, count in report.reasons.most_common():
        click.echo(f"  {count:>7}  {reason}: {reason_message(reason, retention)}")
    for row in report.rejections[:shown]:
        reasons = "; ".join(reason_message(reason, retention) for reason in row["reasons"])
        click.echo(f"  line {row['line']}: {reasons}")
    if report.rejected > shown:
        click.echo(f"  … and {report.rejected - shown} more.")


@click.command("check-summaries")
@click.option("--all", "everything", is_flag=True,
              help="Every week of every establishment, not the last weeks and a sample.")
@click.option("--repair/--no-repair", default=True, show_default=True)
@with_appcontext
def check_summaries_command(everything, repair):
    """Recompute the summary tables, compare them with what is stored, repair what differs."""
    from feedback.clock import local_today
    from feedback.insights import rollup_check

    connection = db.session.connection()
    units = (rollup_check.all_units(connection) if everything
             else rollup_check.sample_units(connection, local_today()))
    drifts = rollup_check.check(connection, units, repair=repair)
    if repair:
        rollup_check.record_repairs(drifts)
    db.session.commit()
    for drift in drifts:
        click.echo(f"  {drift.table:<16} establishment {drift.establishment_id} week of "
                   f"{drift.week}: {drift.rows} row(s) differ"
                   + (", rebuilt" if repair else ""))
    click.echo(f"{len(units)} week(s) checked, {len(drifts)} difference(s).")
    if drifts and not repair:
        raise SystemExit(1)


@click.command("rebuild-summaries")
@with_appcontext
def rebuild_summaries_command():
    """Recompute the summary tables from the feedback and survey responses (after bulk SQL)."""

    rollups.rebuild(db.session.connection())
    db.session.commit()
    click.echo("Summary tables rebuilt.")


@click.command("cut-cohorts")
@with_appcontext
def cut_cohorts_command():
    """Cut the survey answers of every week that is over into anonymity cohorts (the pages do
    it on first read; this does it ahead, e.g. from cron on Monday mornings)."""
    cut = anonymity.publish_due(db.session, current_app.config["ANONYMITY_THRESHOLD"], utcnow())
    db.session.commit()
    click.echo(f"{cut} week(s) cut into anonymity cohorts.")


@click.command("consumer")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32),
              help="Tasks run at the same time (threads); run more consumers to use more cores.")
@with_appcontext
def consumer_command(workers):
    """Consume the job queue: imports, and the nightly purge and Monday's anonymity cohorts.

    Stops on Ctrl-C once its tasks are done (a second Ctrl-C, or SIGTERM, stops it at once: an
    import cut short is started again by a consumer a little later).
    """
    # Started in the background by `make run`, whose shell made it deaf to Ctrl-C: listen again
    # (until Huey's own handler takes over, a Ctrl-C stops it at once; nothing has run yet).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    huey = task_queue.huey
    if huey.immediate:
        raise click.ClickException("QUEUE_IMMEDIATE is set: tasks run where they are queued, "
                                   "there is nothing to consume.")
    _log_to_stderr()
    where = queue_location(current_app.config, current_app.instance_path)
    click.echo(f"Consuming the job queue {huey.name!r} at {_without_password(where)}.")
    tasks.resume_imports()  # what a killed consumer left, now rather than at the next minute
    tasks.resume_runs()
    huey.create_consumer(workers=workers, worker_type="thread").run()


def _log_to_stderr() -> None:
    from feedback.security import RedactPatientData

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactPatientData())
    for name in ("huey", "feedback"):  # in place of Flask's handler: one line per message
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)


def _without_password(url: str) -> str:
    return re.sub(r"//[^@/]*:[^@/]*@", "//***@", url)


def register(app: Flask) -> None:
    for command in (create_user_command, seed_demo_command, purge_command, analyze_command,
                    evaluate_command, retag_command, retrain_command, import_command,
                    rebuild_summaries_command, cut_cohorts_command, consumer_command,
                    check_summaries_command):
        app.cli.add_command(command)
