"""Flask extensions, created unbound here and bound to the app in create_app."""

import sqlite3
from pathlib import Path

from flask import Flask, current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Connection, Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase

from feedback.queue import TaskQueue

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = None  # the login page itself says what to do
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
task_queue = TaskQueue()


class ThemeModelStore:
    """Where this app keeps the theme model retrained from managers' corrections.

    Bound like any extension, so the code that tags texts asks it (as it asks `db` for a session)
    instead of reading the configuration itself.
    """

    def init_app(self, app: Flask) -> None:
        app.extensions["theme_model"] = Path(
            app.config.get("THEME_MODEL_PATH") or Path(app.instance_path) / "theme_model.npz")

    @property
    def path(self) -> Path:
        return current_app.extensions["theme_model"]


theme_model = ThemeModelStore()


def enable_sqlite_pragmas(engine: Engine) -> None:
    """Foreign keys on, WAL and a busy timeout, so concurrent writers wait instead of failing."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 15000")
        cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, and much faster
        cursor.close()


# Rows SQLite's ANALYZE reads per index: statistics approximate enough for the planner, made in
# milliseconds instead of a scan of every index under the write lock (SQLite's advice for
# statistics refreshed on a schedule).
ANALYSIS_LIMIT = 1000


def refresh_planner_statistics(connection: Connection) -> bool:
    """Statistics of the tables as they now are, for SQLite's query planner.

    SQLite keeps none unless asked: on a database grown by the app alone, the planner guesses,
    and at a million comments the summary's reads took 40 s instead of 0.3 s. PostgreSQL's
    autovacuum analyses tables as they grow: nothing to do there (False).
    """
    if connection.dialect.name != "sqlite":
        return False
    connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
    try:
        connection.exec_driver_sql("ANALYZE")
    finally:
        connection.exec_driver_sql("PRAGMA analysis_limit = 0")
    return True
