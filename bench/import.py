"""Importing a large CSV on one core: 100,000 rows through the pipeline in under 60 s, flat memory.

Generates a CSV as Excel in French writes it (UTF-8 with BOM, semicolons) from the demo corpus's
French and English texts, then imports it in-process, pinned to one core, the way the web page's
background job and `flask import` do (check → analyse → stage, then one transaction of bulk
inserts). Prints rows/second, elapsed time per pass, and the process's memory (RSS) at 10 %, 50 %
and 100 % of the rows, then the peak. Then imports the same file again: nothing may be added.

With --existing N, the establishment first holds N feedback rows (bench/summary.py's bulk fill:
its go-live DAYS days ago, finished weeks cut into cohorts, the current week pending) and the
file's rows spread over the same days: every week the import touches already holds the
establishment's comments, and the live week is not cut yet. The write phase (insert, cohorts,
summary tables) is what the existing rows can slow down.

    .venv/bin/python bench/import.py [--rows 100000] [--existing 0] [--keep FOLDER] [--core 0]
                                     [--database-url URL]
"""

import argparse
import csv
import os
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _server import flask, instance

from feedback.imports import mapping as import_mapping
from feedback.imports import reading as import_reading
from feedback.imports import running as import_runs

ROLES = ("infirmière", "médecin", "professionnel", "agente administrative", "nurse", "physician",
         "clerk", "autre", "")
KINDS = ("sondage", "observation", "import", "")


def rss_mb() -> float:
    """The resident memory of this process now, in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # kB on Linux


def setup(env: dict, existing: int = 0, keep: Path | None = None) -> tuple:
    """A fresh database with one establishment, two sites and the demo corpus's sectors; with
    `existing`, the establishment first holds that many feedback (bench/summary.py's fill), or
    a copy of the SQLite file in `keep` filled by an earlier run with as many."""
    from sqlalchemy import select

    from feedback.demo.corpus import SECTOR_CODES
    from feedback.extensions import db
    from feedback.models import Establishment, Sector, Site, SiteKind

    filled: dict = {}
    if existing:
        import _filled

        filled = _filled.existing(env, existing, keep)
    else:
        flask(env, "db", "upgrade")
    os.environ.update(env)
    from feedback import create_app

    app = create_app()
    with app.app_context():
        establishment = db.session.scalar(select(Establishment).where(
            Establishment.code == "BENCH")) or Establishment(
            name="Banc d'essai", code="BENCH",
            go_live=datetime.now(UTC).date() - timedelta(days=30))
        for name in ("Hôpital du Centre", "CLSC des Rivières"):
            site = Site(name=name, kind=SiteKind.HOSPITAL, establishment=establishment)
            site.sectors = [Sector(code=code, name_fr=code.replace("-", " ").capitalize(),
                                   name_en=code) for code in SECTOR_CODES]
            db.session.add(site)
        db.session.commit()
        establishment_id = establishment.id
    return app, establishment_id, filled


def write_csv(path: Path, rows: int, seed: int = 7, days: int = 29) -> int:
    """The file to import, its rows spread over the last `days` days; returns how many distinct
    texts it holds."""
    from feedback.demo.corpus import compose

    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=days)
    texts = set()
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Date de saisie", "Texte", "Site", "Secteur", "Rôle", "Type", "Notes"])
        done = 0
        while done < rows:
            batch = compose(rng, min(5_000, rows - done))
            for item in batch:
                moment = start + timedelta(seconds=rng.randrange(days * 24 * 3600))
                writer.writerow([
                    moment.astimezone().strftime("%d/%m/%Y %H:%M"), item.text,
                    rng.choice(("Hôpital du Centre", "CLSC des Rivières")), item.sector,
                    rng.choice(ROLES), rng.choice(KINDS), "",
                ])
                texts.add(item.text)
            done += len(batch)
    return len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=0,
                        help="feedback the establishment holds before the import")
    parser.add_argument("--keep", type=Path, metavar="FOLDER",
                        help="SQLite only: fill the existing rows once in FOLDER, copy them after")
    parser.add_argument("--core", type=int, default=0, help="the CPU the import is pinned to")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()

    with instance(args.database_url) as env:
        started = time.perf_counter()
        app, establishment_id, filled = setup(env, args.existing, args.keep)
        filling = time.perf_counter() - started
        path = Path(env["ECHO_INSTANCE_PATH"]) / "bench.csv"
        started = time.perf_counter()
        distinct = write_csv(path, args.rows, days=99 if args.existing else 29)
        generated = time.perf_counter() - started
        size = path.stat().st_size / 1e6

        os.sched_setaffinity(0, {args.core})
        from sqlalchemy import func, select

        from feedback.extensions import db
        from feedback.models import Feedback, FeedbackTheme

        with app.app_context():
            table = import_reading.read_headers(path)
            settings = import_runs.ImportSettings(
                import_mapping.suggest_mapping(table.headers), establishment_id,
                rules=import_runs.ImportRules.from_config(app.config))
            # Load the pipeline's models first: that is start-up, not import.
            from feedback.tagging import active_themes, current_analyser

            current_analyser(active_themes()).analyse("Réchauffement.")
            baseline = rss_mb()

            started = time.perf_counter()
            report = import_runs.dry_run(path, settings)
            dry = time.perf_counter() - started

            marks: dict[int, float] = {}
            checkpoints = {int(args.rows * share): label
                           for share, label in ((0.1, "10%"), (0.5, "50%"), (1.0, "100%"))}

            def progress(done: int) -> None:
                for limit, label in checkpoints.items():
                    if done >= limit and label not in marks:
                        marks[label] = rss_mb()

            times: dict[str, float] = {}

            def writing() -> None:
                times["analysed"] = time.perf_counter()

            before = db.session.scalar(select(func.count(Feedback.id)))
            import_started = started = time.perf_counter()
            # An import's rows keep its id (their anonymity cohorts are their own): 1, then 2.
            result = import_runs.run_import(path, settings, batch=1, progress=progress,
                                            on_write=writing, stage_path=path.with_suffix(".stage"))
            db.session.commit()
            elapsed = time.perf_counter() - started
            after = rss_mb()
            stored = db.session.scalar(select(func.count(Feedback.id))) - before
            links = db.session.scalar(select(func.count()).select_from(FeedbackTheme))

            started = time.perf_counter()
            again = import_runs.run_import(path, settings, batch=2,
                                           stage_path=path.with_suffix(".stage"))
            db.session.commit()
            repeat = time.perf_counter() - started
            stored_again = db.session.scalar(select(func.count(Feedback.id))) - before
            db.engine.dispose()

    engine = env["DATABASE_URL"].split(":", 1)[0]
    first_pass = times["analysed"] - import_started
    limit = 30 if args.existing else 60
    print(f"database              {engine}, pinned to CPU {args.core}")
    if args.existing:
        print(f"existing              {before:,} feedback in the establishment, filled in "
              f"{filling:.0f} s" + (f" (a copy of {filled['kept']})" if "kept" in filled else ""))
    print(f"file                  {args.rows:,} rows, {distinct:,} distinct texts, {size:.1f} MB "
          f"(generated in {generated:.1f} s)")
    print(f"dry run               {dry:.1f} s  ({report.total / dry:,.0f} rows/s): "
          f"{report.valid:,} to import, {report.duplicates:,} duplicates, "
          f"{report.rejected:,} rejected")
    print(f"import                {elapsed:.1f} s  ({result.total / elapsed:,.0f} rows/s)  "
          f"{'OK' if elapsed < limit else f'OVER {limit} s'}")
    print(f"  check+analyse+stage {first_pass:.1f} s  ({result.valid / first_pass:,.0f} texts/s)")
    print(f"  write (1 txn)       {elapsed - first_pass:.1f} s  (insert, cohorts, summary tables)")
    print(f"imported              {result.imported:,} rows, {result.duplicates:,} duplicates, "
          f"{result.rejected:,} rejected; stored {stored:,} feedback, {links:,} theme links in all")
    print(f"memory (RSS)          before {baseline:.0f} MB · "
          + " · ".join(f"{label} {marks.get(label, after):.0f} MB"
                       for label in ("10%", "50%", "100%"))
          + f" · after {after:.0f} MB · peak {peak_mb():.0f} MB")
    print(f"re-import             {repeat:.1f} s: {again.imported:,} imported, "
          f"{again.duplicates:,} duplicates; stored {stored_again:,} "
          f"({'OK' if stored_again == stored else 'DUPLICATES CREATED'})")
    if stored != result.imported or stored_again != stored:
        raise SystemExit(1)


if __name__ == "__main__":
    sys.exit(main())
