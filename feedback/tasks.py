"""The queue's tasks: thin wrappers that read the settings and call the domain functions.

Run by `flask consumer`, each in an app context of its own (feedback.queue). Periodic ones run
at Québec times.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import inspect

from feedback import notifications, privacy
from feedback.clock import utcnow
from feedback.extensions import db, task_queue
from feedback.imports import jobs as import_jobs
from feedback.imports.running import ImportRules
from feedback.insights import anonymity, export_jobs
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
    report = privacy.purge(utcnow(), periods=privacy.retention_days(current_app.config))
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
