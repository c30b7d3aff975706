"""Surveys and observations while managers read summaries: do submissions wait behind dashboards?

One establishment holding --rows comments (bench/summary.py's fill, or a copy of the SQLite file
an earlier run kept with --keep), served by gunicorn with gunicorn.conf.py as in production
(--workers; threads as the configuration sets them unless --threads is given), rate limits on and
counted in Redis, each device sending from an address of its own. --managers clients, each signed
in as the establishment's manager, loop on the summary page; once they have the server busy,
--surveys clients answer the open campaign's survey (a new phone each time: GET the form, POST it)
and --observers super-users' devices sync one observation at a time, for --seconds. Prints the
submissions' and syncs' p50/p95/p99 (target: submissions' p95 < 300 ms), errors, and the
managers' pages per second; with --alone, the same submissions without the managers first.

--public-workers N starts a second gunicorn pool (as the README's production layout routes
/s/… and /observations/sync to it): the survey and observation clients send there, the
managers to the main pool.

    .venv/bin/python bench/mixed.py [--rows 1000000] [--keep FOLDER] [--seconds 60]
        [--managers 8] [--surveys 4] [--observers 2] [--workers 4] [--threads N]
        [--public-workers 0] [--alone] [--database-url URL | --postgres]
"""

import argparse
import random
import threading
import time
import uuid
from contextlib import ExitStack, nullcontext
from pathlib import Path

import _filled
from _server import (
    Client,
    app_for,
    hidden,
    instance,
    own_postgres_database,
    percentile,
    start_gunicorn,
)
from load import OBSERVERS, PASSWORD, Worker

TARGET = 0.300  # seconds, submissions' p95


def setup(env: dict, rows: int, keep: Path | None) -> dict:
    """The filled establishment, its super-users, and its campaign open today."""
    import summary
    from sqlalchemy import select

    from feedback.accounts import create_user
    from feedback.clock import local_today
    from feedback.extensions import db
    from feedback.models import Campaign, Establishment, Role, Sector, Site

    _filled.existing(env, rows, keep)
    app = app_for(env)
    with app.app_context():
        establishment = db.session.scalar(select(Establishment).where(
            Establishment.code == "BENCH"))
        today = local_today()
        slug = db.session.scalar(select(Campaign.slug).where(
            Campaign.establishment_id == establishment.id, Campaign.opens_on <= today,
            Campaign.closes_on >= today))
        sectors = [str(ident) for ident in db.session.scalars(
            select(Sector.id).join(Site).where(Site.establishment_id == establishment.id))]
        emails = [f"super{n}@mixed.example" for n in range(OBSERVERS)]
        for email in emails:
            create_user(email=email, name=email, role=Role.SUPER_USER, password=PASSWORD,
                        establishment=establishment)
        db.session.commit()
        db.engine.dispose()
    return {"slug": slug, "sectors": sectors, "emails": emails, "manager": summary.MANAGER,
            "manager_password": summary.PASSWORD}


def manager(base: str, config: dict) -> Client:
    client = Client(base)
    _, page = client.request("/login")
    status, _ = client.request("/login", {"csrf_token": hidden(page, "csrf_token"),
                                          "email": config["manager"],
                                          "password": config["manager_password"]})
    if status != 302:
        raise RuntimeError(f"manager sign-in: {status}")
    return client


def phase(config: dict, main: str, public: str, args, managers: int) -> dict:
    """Managers on the main pool; once they keep it busy, the submissions for args.seconds."""
    results: dict = {"survey": [], "sync": [], "errors": [], "pages": []}
    lock = threading.Lock()
    stop = threading.Event()
    readers = [manager(main, config) for _ in range(managers)]

    def read(client: Client) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                status, _ = client.request("/dashboard/summary")
            except OSError as error:  # a page that timed out is a result, not a crash
                status = type(error).__name__
            with lock:
                if status == 200:
                    results["pages"].append(time.perf_counter() - started)
                else:
                    results["errors"].append(f"summary {status}")

    def submit(index: int, observer: int | None, deadline: float) -> None:
        worker = Worker(public, config, index, results, lock)
        rng = random.Random(index)
        while time.perf_counter() < deadline:
            kind = "survey" if observer is None else "sync"
            try:
                if observer is None:
                    worker.survey()
                else:
                    worker.observation(str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                       observer)
            except Exception as error:  # a failed request is a result, not a crash
                worker.record(kind, 0.0, False, repr(error)[:120])

    reading = [threading.Thread(target=read, args=(client,)) for client in readers]
    for thread in reading:
        thread.start()
    time.sleep(3 if managers else 0)  # every worker of the main pool busy with a summary
    started = time.perf_counter()
    deadline = started + args.seconds
    senders = [threading.Thread(target=submit, args=(i, None, deadline))
               for i in range(args.surveys)]
    senders += [threading.Thread(target=submit, args=(100 + i, i % OBSERVERS, deadline))
                for i in range(args.observers)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    elapsed = time.perf_counter() - started
    with lock:
        pages_in_window = len(results["pages"])
    stop.set()
    for thread in reading:
        thread.join()
    return {**results, "elapsed": elapsed, "pages_in_window": pages_in_window}


def show(name: str, r: dict, managers: int) -> None:
    def line(label: str, values: list[float]) -> str:
        if not values:
            return f"{label:<20}none"
        return (f"{label:<20}{len(values):>5} in {r['elapsed']:.0f} s "
                f"({len(values) / r['elapsed']:.1f}/s), p50/p95/p99 "
                f"{percentile(values, .5) * 1000:.0f} / {percentile(values, .95) * 1000:.0f} / "
                f"{percentile(values, .99) * 1000:.0f} ms")

    print(f"-- {name}")
    print(line("survey POST", r["survey"]))
    print(line("observation sync", r["sync"]))
    if managers:
        pages = r["pages"]
        times = (f", median {percentile(pages, .5) * 1000:.0f} ms, p95 "
                 f"{percentile(pages, .95) * 1000:.0f} ms" if pages else "")
        print(f"{'summary pages':<20}{managers} managers: {r['pages_in_window']} pages in the "
              f"window ({r['pages_in_window'] / r['elapsed']:.2f}/s){times}")
    print(f"{'errors':<20}{len(r['errors'])} {sorted(set(r['errors']))[:3]}")
    if r["survey"]:
        p95 = percentile(r["survey"], .95)
        print(f"{'target':<20}submissions' p95 < {TARGET * 1000:.0f} ms: {p95 * 1000:.0f} ms "
              f"{'OK' if p95 < TARGET else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, metavar="FOLDER",
                        help="SQLite only: fill once in FOLDER, copy the file after")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--managers", type=int, default=8)
    parser.add_argument("--surveys", type=int, default=4, help="survey clients")
    parser.add_argument("--observers", type=int, default=2, help="observation clients")
    parser.add_argument("--workers", type=int, default=4, help="of the main pool")
    parser.add_argument("--threads", type=int, help="per worker (default: gunicorn.conf.py)")
    parser.add_argument("--public-workers", type=int, default=0,
                        help="a second pool for the survey and observation sync (0: none)")
    parser.add_argument("--worker-class", help="default: gunicorn.conf.py's (sync: as before)")
    parser.add_argument("--alone", action="store_true",
                        help="first the same submissions without the managers")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()

    database = own_postgres_database() if args.postgres else nullcontext(args.database_url)
    with database as url, instance(url, rate_limits=True) as env, ExitStack() as servers:
        config = setup(env, args.rows, None if url else args.keep)
        extra = ("--worker-class", args.worker_class) if args.worker_class else ()
        process, main_base = start_gunicorn(
            dict(env, ECHO_POOL="staff" if args.public_workers else "all"), args.workers,
            args.threads, extra=extra)
        servers.callback(_stop, process)
        public_base = main_base
        if args.public_workers:
            process, public_base = start_gunicorn(dict(env, ECHO_POOL="public"),
                                                  args.public_workers, args.threads,
                                                  probe="/healthz", extra=extra)
            servers.callback(_stop, process)
        engine = env["DATABASE_URL"].split(":", 1)[0]
        pools = ((f"staff pool {args.workers} workers, public pool {args.public_workers} workers"
                  if args.public_workers else f"one pool of {args.workers} workers")
                 + f"; worker class {args.worker_class or 'of gunicorn.conf.py'}, threads "
                 + f"{args.threads or 'of gunicorn.conf.py'}")
        print(f"== {engine}, {args.rows:,} comments; gunicorn {pools}; {args.surveys} survey "
              f"and {args.observers} observation clients, {args.managers} managers, "
              f"{args.seconds:.0f} s")
        if args.alone:
            show("submissions alone", phase(config, main_base, public_base, args, 0), 0)
        show(f"while {args.managers} managers read summaries",
             phase(config, main_base, public_base, args, args.managers), args.managers)


def _stop(process) -> None:
    process.terminate()
    process.wait(timeout=60)


if __name__ == "__main__":
    main()
