"""Shared by the benchmarks: an establishment already holding N comments (bench/summary.py's
bulk fill), filled once per day in a kept SQLite folder and copied for each run."""

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _server import flask


def go_live() -> date:
    """The fill's go-live: DAYS days ago, so its last weeks are this month's."""
    import summary

    return datetime.now(UTC).date() - timedelta(days=summary.DAYS)


def existing(env: dict, rows: int, keep: Path | None = None) -> dict:
    """Fill env's database with `rows` feedback in establishment BENCH (its manager:
    summary.MANAGER), finished weeks cut, the current one pending; with `keep` (SQLite), copy
    the file an earlier run filled there with as many (filled now if there is none)."""
    import summary

    if keep is None:
        return summary.fill(env, rows, go_live=go_live())
    kept = keep / f"existing-{rows}-{go_live()}.sqlite3"
    if not kept.exists():
        part = Path(f"{kept}.part")
        summary.fill(dict(env, DATABASE_URL=f"sqlite:///{part}"), rows, go_live=go_live())
        # Everything into the file itself before it is renamed: what is still in its write-ahead
        # log (the planner's statistics, written last) would stay behind under the old name.
        with closing(sqlite3.connect(part)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA journal_mode = DELETE")
        part.rename(kept)
    shutil.copyfile(kept, env["DATABASE_URL"].removeprefix("sqlite:///"))
    flask(env, "db", "upgrade")  # what the code measured adds to the kept schema
    return {"kept": str(kept)}
