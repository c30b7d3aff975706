"""The job queue: Huey, bound to the app like any extension.

A SQLite file in the instance folder by default, so a pilot needs no server; Redis when
QUEUE_URL names it, so consumers on several machines share the work. Tasks are plain functions
declared with `task_queue.task()` or `task_queue.periodic(...)`; each runs in an app context of
the process that consumes it (`flask consumer` builds the app once).
"""

import functools
import logging
import os
import sqlite3
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis
from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.utils import normalize_time
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from feedback.clock import QUEBEC

log = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# Enqueuing from a page must fail fast when Redis is down, not hang the request.
REDIS_CONNECT_TIMEOUT = 3


class QueueUnavailable(RuntimeError):
    """The queue's storage (Redis, or the SQLite file) cannot be reached."""


class TaskFailed(RuntimeError):
    """What Huey sees of a failed task: its name and the kind of error, never the message (which
    may quote what people wrote)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How a job is tried again (QUEUE_ATTEMPTS, QUEUE_RETRY_SECONDS, QUEUE_LEASE_SECONDS)."""

    attempts: int  # in all, the first one included
    first_delay: float  # seconds before the second attempt; each wait doubles the one before
    lease: float  # seconds without news after which an attempt is taken as stopped

    @classmethod
    def from_config(cls, config: Mapping) -> "RetryPolicy":
        return cls(config["QUEUE_ATTEMPTS"], config["QUEUE_RETRY_SECONDS"],
                   config["QUEUE_LEASE_SECONDS"])

    def delay_after(self, attempt: int) -> float:
        return self.first_delay * 2 ** (attempt - 1)


def in_quebec(schedule: Callable[[datetime], bool]) -> Callable[[datetime], bool]:
    """A crontab read in Québec's time: Huey hands periodic tasks naive UTC times."""

    def validate(moment: datetime) -> bool:
        local = moment.replace(tzinfo=UTC).astimezone(QUEBEC)
        return schedule(local.replace(tzinfo=None))

    return validate


def quebec_crontab(**fields) -> Callable[[datetime], bool]:
    return in_quebec(crontab(**fields))


def queue_location(config, instance_path: str) -> str:
    """Where the queue lives: a Redis URL, or the path of its SQLite file."""
    url = (config.get("QUEUE_URL") or "").strip()
    if url.startswith(REDIS_SCHEMES):
        return url
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    if url:
        raise ValueError(f"QUEUE_URL must be a redis:// or sqlite:/// URL, not {url!r}")
    return str(Path(instance_path) / "queue.sqlite3")


def build_huey(config, instance_path: str, tasks: list["TaskSpec"], app: Flask) -> Huey:
    """A Huey of these settings with every declared task bound to the app."""
    location = queue_location(config, instance_path)
    options = {"results": False, "utc": True, "immediate": bool(config.get("QUEUE_IMMEDIATE"))}
    name = config.get("QUEUE_NAME") or "echo"
    if location.startswith(REDIS_SCHEMES):
        pool = redis.ConnectionPool.from_url(location,
                                             socket_connect_timeout=REDIS_CONNECT_TIMEOUT)
        huey = RedisHuey(name, connection_pool=pool, **options)
    elif options["immediate"]:
        huey = SqliteHuey(name, **options)  # in memory: nothing written
    else:
        Path(location).parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(name, filename=location, **options)
    for spec in tasks:
        body = _in_app_context(app, spec.func)
        if spec.schedule is None:
            huey.task(name=spec.func.__name__)(body)
        else:
            huey.periodic_task(spec.schedule, name=spec.func.__name__)(body)
    return huey


def _in_app_context(app: Flask, func: Callable) -> Callable:
    @functools.wraps(func)
    def run(*args, **kwargs):
        with app.app_context():  # its own session, removed when the context ends
            try:
                return func(*args, **kwargs)
            except Exception as error:
                log_failure(func.__name__, error)
                raise TaskFailed(f"{func.__name__}: {type(error).__name__}") from None

    return run


def log_failure(name: str, error: BaseException) -> None:
    """Log where a task failed, without the error's message: it may quote a patient's words."""
    where = "".join(traceback.format_tb(error.__traceback__))
    log.error("task %s failed: %s\n%s", name, type(error).__name__, where)


@dataclass(frozen=True)
class TaskSpec:
    func: Callable
    schedule: Callable[[datetime], bool] | None  # None: run when enqueued


class _BoundQueue:
    """One app's queue: its Huey is built on first use, again in a forked process (gunicorn
    builds the app before forking: a SQLite connection must not be shared by two processes),
    and again when the settings it was built from change (tests)."""

    def __init__(self, app: Flask, tasks: list[TaskSpec]) -> None:
        self.app, self.tasks = app, tasks
        self._built: tuple[tuple, Huey] | None = None
        self._lock = threading.Lock()

    @property
    def huey(self) -> Huey:
        config = self.app.config
        key = (os.getpid(), self.app.instance_path, config.get("QUEUE_URL"),
               config.get("QUEUE_NAME"), bool(config.get("QUEUE_IMMEDIATE")))
        with self._lock:
            if self._built is None or self._built[0] != key:
                self._built = key, build_huey(config, self.app.instance_path, self.tasks,
                                              self.app)
            return self._built[1]


# What enqueuing raises when the storage is out of reach.
STORAGE_ERRORS = (redis.exceptions.RedisError, sqlite3.Error, OSError)


class TaskQueue:
    """The extension: tasks are declared on it at import time, and bound to each app."""

    def __init__(self) -> None:
        self._tasks: list[TaskSpec] = []

    def task(self) -> Callable[[Callable], Callable]:
        """Declare a task; the function stays a plain function (tests call it directly)."""
        return self._declare(None)

    def periodic(self, schedule: Callable[[datetime], bool]) -> Callable[[Callable], Callable]:
        """Declare a task the consumer runs whenever `schedule` (a crontab) says."""
        return self._declare(schedule)

    def _declare(self, schedule) -> Callable[[Callable], Callable]:
        def declare(func: Callable) -> Callable:
            self._tasks.append(TaskSpec(func, schedule))
            return func

        return declare

    def init_app(self, app: Flask) -> None:
        queue_location(app.config, app.instance_path)  # a wrong URL fails at start, not later
        app.extensions["queue"] = _BoundQueue(app, self._tasks)

    @property
    def huey(self) -> Huey:
        return current_app.extensions["queue"].huey

    def enqueue(self, func: Callable, *args, delay: float | None = None) -> None:
        """Queue a declared task; raises QueueUnavailable when the queue cannot be reached."""
        huey = self.huey
        wrapper = huey._registry.string_to_task(f"{func.__module__}.{func.__name__}")
        task = wrapper(args, {}, eta=_eta(delay))
        try:
            huey.enqueue(task)
        except STORAGE_ERRORS as error:
            raise QueueUnavailable(type(error).__name__) from None

    def reachable(self) -> bool:
        """Whether tasks can be queued now (a round trip to Redis, or a read of the file)."""
        try:
            huey = self.huey
            if huey.immediate:
                return True
            if isinstance(huey, RedisHuey):
                huey.storage.conn.ping()
            else:
                huey.pending_count()
        except STORAGE_ERRORS:
            return False
        return True


def _eta(delay: float | None) -> datetime | None:
    return normalize_time(None, delay, True) if delay else None  # naive UTC, as Huey keeps it


def claim_attempt(session: Session, job, running, job_id: int, attempt: int,
                  now: datetime) -> bool:
    """Make `attempt` the current one of a job row (an import's, an export's) if the one before
    was the last; commits.

    Two copies of the same attempt (queued twice by consumers that both found the job stalled)
    race here, and one only wins.
    """
    claimed = session.execute(
        update(job)
        .where(job.id == job_id, job.status == running, job.attempts == attempt - 1)
        .values(attempts=attempt, heartbeat_at=now)).rowcount
    session.commit()
    return claimed == 1


def resume_stalled(session: Session, job, running, failed, policy: RetryPolicy, now: datetime,
                   error: Callable[[int], str]) -> tuple[list[tuple[int, int]], list[int]]:
    """Started jobs of a table (imports, exports) not heard from for a lease: their consumer was
    killed, or their task lost.

    Returns (job id, attempt) for the next attempt of each, to queue once the caller has
    committed, and the ids of the jobs failed instead because they were out of attempts (with
    error(attempts) as their reason).
    """
    stalled = (job.status == running,
               or_(job.heartbeat_at.is_(None),
                   job.heartbeat_at < now - timedelta(seconds=policy.lease)))
    due, given_up = [], []
    for job_id, attempts in session.execute(select(job.id, job.attempts).where(*stalled)).all():
        still = update(job).where(job.id == job_id, job.attempts == attempts, *stalled)
        if attempts < policy.attempts:
            # Not queued again for another lease, however long the queue takes to reach it.
            if session.execute(still.values(heartbeat_at=now)).rowcount:
                due.append((job_id, attempts + 1))
            continue
        if session.execute(still.values(status=failed, heartbeat_at=None, finished_at=now,
                                        error=error(attempts))).rowcount:
            given_up.append(job_id)
    return due, given_up
