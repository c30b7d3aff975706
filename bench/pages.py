"""The home page and the long lists on a large database: server time, page 1 and 41 pages deep.

Fills an establishment as bench/summary.py does (or reuses a folder it filled), then times each
page through the Flask test client, signed in as the establishment's manager: the median of 7
after a warm-up. The lists are read from a cursor, so page 41 should cost what page 1 costs.
Targets: home < 100 ms and feedback list < 200 ms at 5 M comments.

    .venv/bin/python bench/pages.py [--rows 1000000] [--instance /tmp/echo-pages]

With --instance, a folder already filled (bench.sqlite3 in it) is reused; otherwise it is filled
first (about 5 minutes per million rows). With --database-url, a database bench/summary.py filled
and kept (--keep-postgres) is timed instead: `--database-url
postgresql+psycopg://postgres@127.0.0.1:5432/echo_bench_keep_5m` after the 5 M run.
"""

import argparse
import os
import re
import statistics
import time
from pathlib import Path

from _server import app_for

PAGES = (("home", "/"), ("feedback list", "/dashboard/feedback?establishment={e}&period=golive"),
         ("observations", "/observations/"), ("issues", "/issues/"))


def environment(folder: Path, database_url: str | None) -> dict:
    env = dict(os.environ)
    env.update({"ECHO_INSTANCE_PATH": str(folder),
                "DATABASE_URL": database_url or f"sqlite:///{folder}/bench.sqlite3",
                "FLASK_SECRET_KEY": "bench-secret", "FLASK_RATELIMIT_ENABLED": "false",
                "FLASK_WTF_CSRF_ENABLED": "false"})
    return env


def timed(client, url: str, runs: int = 7) -> tuple[float, str]:
    times, text = [], ""
    for _ in range(runs + 1):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        text = response.get_data(as_text=True)
    return statistics.median(times[1:]) * 1000, text


def deep(client, url: str, text: str, pages: int = 40) -> str | None:
    """The address of the page `pages` links after this one."""
    for _ in range(pages):
        found = re.search(r'href="([^"]*)" rel="next"', text)
        if not found:
            return None
        url = found.group(1).replace("&amp;", "&")
        text = client.get(url).get_data(as_text=True)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--instance", type=Path)
    parser.add_argument("--database-url", help="a database already filled and kept")
    args = parser.parse_args()
    folder = args.instance or Path(f"/tmp/echo-pages-{args.rows}")
    folder.mkdir(parents=True, exist_ok=True)
    env = environment(folder, args.database_url)
    if args.database_url is None and not (folder / "bench.sqlite3").exists():
        import summary

        summary.fill(env, args.rows)
    from summary import MANAGER, PASSWORD

    from feedback.extensions import db
    from feedback.models import Establishment, Feedback

    app = app_for(env)
    with app.app_context():
        # The measured establishment (bench/summary.py's copies are BENCH2, BENCH3…).
        establishment = db.session.scalar(db.select(Establishment.id).where(
            Establishment.code == "BENCH"))
        rows = db.session.scalar(db.select(db.func.count(Feedback.id)).where(
            Feedback.establishment_id == establishment))
        total = db.session.scalar(db.select(db.func.count(Feedback.id)))
        engine = db.engine.dialect.name
    client = app.test_client()
    client.post("/login", data={"email": MANAGER, "password": PASSWORD})
    print(f"{rows:,} feedback in the establishment, {total:,} in all ({engine})")
    for name, url in PAGES:
        url = url.format(e=establishment)
        first, text = timed(client, url)
        print(f"{name:<24} {first:8.1f} ms")
        if name != "home" and (later := deep(client, url, text)):
            print(f"{name + ', page 41':<24} {timed(client, later)[0]:8.1f} ms")


if __name__ == "__main__":
    main()
