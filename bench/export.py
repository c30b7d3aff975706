"""A full CSV export through the real server: asked for, prepared by the job queue, downloaded.

Fills one establishment with --rows feedback (bench/summary.py's bulk fill, or a copy of the
SQLite file an earlier run kept with --keep), serves it with gunicorn (gunicorn.conf.py, as in
production) and one queue consumer (`flask consumer`, its own process), then, signed in as the
establishment's manager: asks for the CSV of every comment since go-live (the export page's
button: a POST), follows the job's page until the file is ready, and downloads it. Prints the
time from the request to the last byte, rows per second (target >= 20,000), the consumer's own
time, and checks that the file holds every row of the listing, each once.

    .venv/bin/python bench/export.py [--rows 1000000] [--keep FOLDER] [--workers 2]
                                     [--database-url URL [--filled] | --postgres]
                                     [--queue-url URL]

--postgres: in a database this script creates on BENCH_POSTGRES_URL's server and drops after.
"""

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import _filled
from _server import ROOT, Client, app_for, gunicorn, hidden, instance, own_postgres_database

TARGET = 20_000  # rows per second


def expected_rows(env: dict) -> tuple[int, int, str, str]:
    """The listing's rows for the whole period (what the file must hold), all the
    establishment's feedback, and the period asked for."""
    from sqlalchemy import func, select

    from feedback import insights
    from feedback.clock import local_today
    from feedback.extensions import db
    from feedback.models import Establishment, Feedback
    from feedback.web import summary_selection

    app = app_for(env)
    with app.test_request_context():
        establishment = db.session.scalar(select(Establishment).where(
            Establishment.code == "BENCH"))
        first, last = establishment.go_live, local_today()
        f = summary_selection(establishment, first, last)
        listed = db.session.scalar(select(func.count()).select_from(
            insights.listing(f, None, None).order_by(None).subquery()))
        stored = db.session.scalar(select(func.count(Feedback.id)).where(
            Feedback.establishment_id == establishment.id))
        db.session.rollback()
        db.engine.dispose()
    return listed, stored, first.isoformat(), last.isoformat()


@contextmanager
def consumer(env: dict):
    """One consumer of the job queue, in its own process, as on a worker machine."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "feedback", "consumer", "--workers", "1"],
            env=env, cwd=ROOT, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            log.seek(0)
            tail = log.read().decode(errors="replace").strip().splitlines()[-5:]
            if process.returncode not in (0, -15):
                print("consumer:", *tail, sep="\n  ", file=sys.stderr)


def signed_in(base: str) -> Client:
    import summary

    client = Client(base)
    _, page = client.request("/login")
    status, _ = client.request("/login", {"csrf_token": hidden(page, "csrf_token"),
                                          "email": summary.MANAGER,
                                          "password": summary.PASSWORD})
    if status != 302:
        raise RuntimeError(f"sign-in: {status}")
    return client


def download(client: Client, path: str, into: Path) -> int:
    """Stream a file to disk; returns its size."""
    import urllib.request

    request = urllib.request.Request(client.base + path,
                                     headers={"X-Forwarded-For": client.address})
    size = 0
    with client.opener.open(request, timeout=600) as response, open(into, "wb") as file:
        while chunk := response.read(1 << 20):
            file.write(chunk)
            size += len(chunk)
    return size


def job_times(env: dict, job_id: int) -> dict:
    from feedback.extensions import db
    from feedback.models import ExportJob

    with app_for(env).app_context():
        job = db.session.get(ExportJob, job_id)
        figures = {"status": job.status.value, "rows": job.rows, "error": job.error,
                   "queue (s)": (job.finished_at - job.created_at).total_seconds()
                   if job.finished_at else None}
        db.engine.dispose()
    return figures


def export_once(env: dict, base: str, first: str, last: str, folder: Path) -> dict:
    client = signed_in(base)
    query = f"?start={first}&end={last}"
    _, page = client.request(f"/dashboard/feedback{query}")
    token = hidden(page, "csrf_token")
    started = time.perf_counter()
    status, _ = client.request(f"/dashboard/export/feedback.csv{query}", {"csrf_token": token})
    if status != 302:
        raise RuntimeError(f"export request: {status}")
    from sqlalchemy import func, select

    from feedback.extensions import db
    from feedback.models import ExportJob

    with app_for(env).app_context():
        job_id = db.session.scalar(select(func.max(ExportJob.id)))
        db.engine.dispose()
    link = f"/dashboard/exports/{job_id}/file"
    polls = 0
    while True:  # as the page does (it refreshes itself every 5 s; more often here)
        status, page = client.request(f"/dashboard/exports/{job_id}")
        polls += 1
        if link in page or "flash-error" in page or status != 200:
            break
        time.sleep(0.5)
    ready = time.perf_counter()
    if link not in page:
        raise RuntimeError(f"export {job_id} failed: {job_times(env, job_id)}")
    path = folder / "export.csv"
    size = download(client, link, path)
    done = time.perf_counter()
    return {"job": job_id, "seconds": done - started, "ready after (s)": ready - started,
            "download (s)": done - ready, "size (MB)": size / 1e6, "polls": polls,
            "path": path, **job_times(env, job_id)}


def check_file(path: Path) -> tuple[int, int]:
    """Data rows of the CSV and how many distinct references they hold."""
    refs: set[str] = set()
    rows = 0
    with open(path, encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        next(reader)  # the header
        for row in reader:
            rows += 1
            refs.add(row[0])
    return rows, len(refs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, metavar="FOLDER",
                        help="SQLite only: fill once in FOLDER, copy the file after")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--queue-url", help="default: the queue in the instance folder (SQLite)")
    parser.add_argument("--filled", action="store_true",
                        help="--database-url already holds bench/summary.py's fill (e.g. its "
                             "kept 5 M PostgreSQL database): export it as it is")
    args = parser.parse_args()
    if args.filled and not args.database_url:
        parser.error("--filled needs --database-url")

    database = own_postgres_database() if args.postgres else nullcontext(args.database_url)
    with database as url, instance(url) as env:
        if args.queue_url:
            env["FLASK_QUEUE_URL"] = args.queue_url
        started = time.perf_counter()
        if not args.filled:
            _filled.existing(env, args.rows, None if url else args.keep)
        filling = time.perf_counter() - started
        listed, stored, first, last = expected_rows(env)
        with consumer(env), gunicorn(env, args.workers) as base:
            result = export_once(env, base, first, last, Path(env["ECHO_INSTANCE_PATH"]))
        rows, distinct = check_file(result["path"])

    engine = env["DATABASE_URL"].split(":", 1)[0]
    rate = rows / result["seconds"]
    print(f"database               {engine}: {stored:,} feedback in the establishment "
          f"(ready in {filling:.0f} s); the listing of {first} … {last} holds {listed:,}")
    print(f"server                 gunicorn, {args.workers} workers (gunicorn.conf.py), "
          f"1 consumer ({args.queue_url or 'queue in the instance folder'})")
    print(f"request → file on disk {result['seconds']:.1f} s  ({rate:,.0f} rows/s, target "
          f"{TARGET:,}: {'OK' if rate >= TARGET else 'MISSED'})")
    print(f"  prepared (queue)     {result['ready after (s)']:.1f} s until the page offered it "
          f"({result['polls']} page loads); the job itself {result['queue (s)']:.1f} s")
    print(f"  download             {result['download (s)']:.1f} s, {result['size (MB)']:.0f} MB")
    whole = rows == listed == distinct == result["rows"]
    print(f"file                   {rows:,} rows, {distinct:,} distinct references, job counted "
          f"{result['rows']:,}: {'every row of the listing, once' if whole else 'MISMATCH'}")
    if not whole:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
