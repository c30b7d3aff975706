"""The queue's tasks: thin wrappers that read the settings and call the domain functions.

Run by `flask consumer`, each in an app context of its own (feedback.queue). Periodic ones run
at Québec times.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import inspect, select

from feedback import notifications, privacy, runs, tagging
from feedback.clock import local_today, utcnow
from feedback.extensions import db, refresh_planner_statistics, task_queue
from feedback.imports import jobs as import_jobs
from feedback.imports.running import ImportRules
from feedback.insights import anonymity, export_jobs, rollup_check
from feedback.models import TaskRun, User
from feedback.queue import QueueUnavailable, RetryPolicy, quebec_crontab

log = logging.getLogger(__name__)


@task_queue.task()
def run_import(job_id: int, attempt: int) -> None:
    """One attempt at an import job; if it fails for a reason that may pass, the next one is
    queued to run after a wait."""
    config = current_app.config
    delay = import_jobs.run_job(job_id, attempt, instance_path=current_app.instance_path,
                                rules=ImportRules.from_config(config),
                                policy=RetryPolicy.from_config(config))
    if delay is not None:
        log.info("import job %s: attempt %s failed, next one in %ss", job_id, attempt, delay)
        task_queue.enqueue(run_import, job_id, attempt + 1, delay=delay)


@task_queue.periodic(quebec_crontab())  # every minute
def resume_imports() -> None:
    """Start again the imports whose consumer was killed (or whose task was lost)."""
    due = import_jobs.resume_stalled_jobs(current_app.instance_path,
                                          RetryPolicy.from_config(current_app.config), utcnow())
    db.session.commit()
    for job_id, attempt in due:
        log.info("import job %s stalled: queuing attempt %s", job_id, attempt)
        task_queue.enqueue(run_import, job_id, attempt)


@task_queue.task()
def run_export(job_id: int, attempt: int) -> None:
    """One attempt at preparing an export's file; if it fails, the next one after a wait."""
    config = current_app.config
    delay = export_jobs.run_export(
        job_id, attempt, instance_path=current_app.instance_path,
        policy=RetryPolicy.from_config(config), deployment_threshold=config["ANONYMITY_THRESHOLD"],
        keep=timedelta(hours=config["EXPORT_KEEP_HOURS"]))
    if delay is not None:
        log.info("export job %s: attempt %s failed, next one in %ss", job_id, attempt, delay)
        task_queue.enqueue(run_export, job_id, attempt + 1, delay=delay)


@task_queue.periodic(quebec_crontab())  # every minute
def resume_exports() -> None:
    """Start again the exports whose consumer was killed (or whose task was lost)."""
    due = export_jobs.resume_stalled_exports(RetryPolicy.from_config(current_app.config),
                                             utcnow())
    db.session.commit()
    for job_id, attempt in due:
        log.info("export job %s stalled: queuing attempt %s", job_id, attempt)
        task_queue.enqueue(run_export, job_id, attempt)


@task_queue.periodic(quebec_crontab(minute="15"))  # every hour
def expire_exports() -> None:
    """Delete the export files past their time: they hold what staff wrote."""
    expired = export_jobs.expire_exports(current_app.instance_path, utcnow())
    db.session.commit()
    log.info("expire-exports: %s file(s) deleted", expired)


@task_queue.periodic(quebec_crontab(minute="30", hour="2"))
def purge() -> None:
    """Destroy what has outlived its retention period, every night."""
    # A commit after each week of each establishment: short transactions, no long locks.
    report = privacy.purge(utcnow(), periods=privacy.retention_days(current_app.config),
                           step=db.session.commit)
    db.session.commit()
    log.info("purge: %s rows destroyed", report.total)


@task_queue.periodic(quebec_crontab(minute="5"))  # every hour
def cut_cohorts() -> None:
    """Cut last week's survey answers into anonymity cohorts: on Monday at 1:05, as soon as the
    week and its hour of grace are over, ahead of the first manager who would read them (pages
    never cut). The other hours find nothing due, unless a consumer missed Monday's run."""
    cut = anonymity.publish_due(db.session, current_app.config["ANONYMITY_THRESHOLD"], utcnow())
    db.session.commit()
    log.info("cut-cohorts: %s week(s) cut", cut)


@task_queue.periodic(quebec_crontab(minute="0", hour="4"))
def refresh_statistics() -> None:
    """Every night, the query planner's statistics of the tables as they have grown (SQLite)."""
    if refresh_planner_statistics(db.session.connection()):
        db.session.commit()
        log.info("refresh-statistics: tables analysed")


@task_queue.task()
def deliver_notification(notification_id: int, attempt: int) -> None:
    """One attempt at sending a message of the outbox; if it fails, the next one after 30 s,
    then 60 s (QUEUE_RETRY_SECONDS, doubled); after the last, it is failed and audited."""
    policy = RetryPolicy.from_config(current_app.config)
    outcome = notifications.deliver(notification_id, attempt, current_app.config,
                                    attempts=policy.attempts, now=utcnow())
    db.session.commit()
    if outcome is False:
        delay = policy.delay_after(attempt)
        log.info("notification %s: attempt %s failed, next one in %ss", notification_id,
                 attempt, delay)
        task_queue.enqueue(deliver_notification, notification_id, attempt + 1, delay=delay)


def send_notifications(outbox: list) -> None:
    """Queue the sending of messages just committed. When the queue is down they stay in the
    outbox, and the periodic check queues them later: nothing is lost."""
    # Their ids from the identity map: reading `.id` after the commit would load them again,
    # opening a transaction the request would then hold while the consumer works.
    ids = [inspect(notification).identity[0] for notification in outbox]
    try:
        for notification_id in ids:
            task_queue.enqueue(deliver_notification, notification_id, 1)
    except QueueUnavailable:
        log.warning("queue unreachable: %s notification(s) left for the periodic check",
                    len(outbox))


@task_queue.periodic(quebec_crontab(minute="*/5"))
def check_service_levels() -> None:
    """Alert each breach of a service level once (and any P1 not alerted yet); queue again the
    messages the queue lost."""
    now = utcnow()
    links = notifications.links_from(current_app.config)
    outbox = notifications.check_sla(now, links=links)
    stale = notifications.stale_pending(now)
    db.session.commit()
    send_notifications(outbox)
    for notification_id in stale:
        task_queue.enqueue(deliver_notification, notification_id, 1)
    log.info("check-service-levels: %s alert(s), %s requeued", len(outbox), len(stale))


@task_queue.periodic(quebec_crontab(minute="0", hour="7"))
def daily_digest() -> None:
    """The command centre's morning digest, at 7:00 Québec time."""
    outbox = notifications.daily_digests(utcnow(),
                                         links=notifications.links_from(current_app.config))
    db.session.commit()
    send_notifications(outbox)


@task_queue.periodic(quebec_crontab(minute="30", hour="7", day_of_week="1"))
def weekly_digest() -> None:
    """The managers' weekly digest, Monday at 7:30 Québec time."""
    outbox = notifications.weekly_digests(utcnow(),
                                          links=notifications.links_from(current_app.config))
    db.session.commit()
    send_notifications(outbox)


# --- Maintenance runs (feedback.runs): re-analysis, retraining -------------------------------


def _attempt(task, run_id: int, attempt: int, body) -> bool:
    """One attempt at a run; the next one queued after a wait if it failed. True: done."""
    delay = runs.run_attempt(run_id, attempt, RetryPolicy.from_config(current_app.config), body)
    if delay is not None:
        log.info("run %s: attempt %s failed, next one in %ss", run_id, attempt, delay)
        task_queue.enqueue(task, run_id, attempt + 1, delay=delay)
    return db.session.get(TaskRun, run_id).status is runs.DONE


@task_queue.task()
def run_retag(run_id: int, attempt: int) -> None:
    """Re-analyse stored feedback with the current themes, keywords and model."""
    if _attempt(run_retag, run_id, attempt, tagging.retag_all):
        log.info("retag run %s: done", run_id)


@task_queue.task()
def run_retrain(run_id: int, attempt: int) -> None:
    """Refit the theme model, then re-analyse stored feedback with it."""
    if _attempt(run_retrain, run_id, attempt, tagging.retrain_run):
        log.info("retrain run %s: done, queuing a retag", run_id)
        queue_run("retag", None)


RUN_TASKS = {"retag": run_retag, "retrain": run_retrain}


def queue_run(kind: str, actor: User | None) -> tuple[TaskRun, bool]:
    """Start a run of `kind` (or join the one still waiting to start); commits.

    Returns the run and whether it is queued: False when the queue cannot be reached (the run
    is then shown as failed with that reason, and can be asked for again).
    """
    if (waiting := runs.waiting_run(kind)) is not None:
        return waiting, True
    run = runs.start_run(kind, actor)
    db.session.flush()
    run_id = run.id  # read before the commit: the run is the task's from then on
    db.session.commit()
    try:
        task_queue.enqueue(RUN_TASKS[kind], run_id, 1)
    except QueueUnavailable:
        runs.abandon_run(db.session.get(TaskRun, run_id), utcnow())
        db.session.commit()
        return db.session.get(TaskRun, run_id), False
    return db.session.get(TaskRun, run_id), True


@task_queue.periodic(quebec_crontab())  # every minute
def resume_runs() -> None:
    """Start again the runs whose consumer was killed (or whose task was lost)."""
    due = runs.resume_stalled_runs(RetryPolicy.from_config(current_app.config), utcnow())
    kinds = dict(db.session.execute(
        select(TaskRun.id, TaskRun.kind).where(TaskRun.id.in_([i for i, _a in due]))).all())
    db.session.commit()
    for run_id, attempt in due:
        if kinds.get(run_id) in RUN_TASKS:
            log.info("run %s stalled: queuing attempt %s", run_id, attempt)
            task_queue.enqueue(RUN_TASKS[kinds[run_id]], run_id, attempt)


@task_queue.periodic(quebec_crontab(minute="45"))  # every hour
def retrain_when_due() -> None:
    """Refit the theme model once managers have made enough new corrections."""
    since = runs.last_done("retrain")
    corrections = tagging.corrections_since(since)
    if (corrections >= current_app.config["RETRAIN_AFTER_CORRECTIONS"]
            and runs.active_run("retrain") is None):
        log.info("retrain-when-due: %s new corrections, queuing a retrain", corrections)
        queue_run("retrain", None)
    runs.forget_old_runs(utcnow())
    db.session.commit()


@task_queue.periodic(quebec_crontab(minute="30", hour="3"))
def check_summaries() -> None:
    """Every night, the summary tables of the last weeks and of a random sample of older ones
    recomputed and compared; the weeks that drifted are rebuilt and audited."""
    connection = db.session.connection()
    units = rollup_check.sample_units(connection, local_today())
    drifts = rollup_check.check(connection, units, repair=True)
    rollup_check.record_repairs(drifts)
    db.session.commit()
    if drifts:
        log.warning("check-summaries: %s week(s) of %s repaired", len(drifts), len(units))
    else:
        log.info("check-summaries: %s week(s) checked, all consistent", len(units))
