"""The schema is built by migrations, matches the models, and SQLite is tuned for concurrency."""

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from feedback import create_app
from feedback.extensions import db
from feedback.models import Establishment, Role, Theme, User

THEME_CODES = {"access", "training", "workflow", "configuration", "support", "safety", "engagement"}


@pytest.fixture
def empty_database_url(tmp_path, postgres_url):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL schema."""
    url = postgres_url
    if not url:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    schema = f"migration_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def test_migrations_build_the_schema_and_upgrading_twice_is_harmless(empty_database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"},
                     instance_path=str(tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            codes = set(connection.scalars(sa.select(Theme.code)))
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
    assert codes == THEME_CODES


def test_sqlite_connections_enforce_foreign_keys_wal_and_wait(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
                      "SECRET_KEY": "x"}, instance_path=str(tmp_path))
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        connection.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        connection.exec_driver_sql("CREATE TABLE child (parent_id INTEGER REFERENCES parent(id))")
        with pytest.raises(sa.exc.IntegrityError):
            connection.exec_driver_sql("INSERT INTO child VALUES (42)")
    with app.app_context():
        db.engine.dispose()


def test_times_are_stored_in_utc_and_come_back_aware(app):
    quebec_summer = timezone(timedelta(hours=-4))
    with app.app_context():
        establishment = Establishment(name="Test", code="T", go_live=date(2026, 5, 9))
        db.session.add(establishment)
        db.session.flush()
        user = User(email="t@example.org", name="T", role=Role.ADMIN, password_hash="x",
                    created_at=datetime(2026, 6, 1, 8, 30, tzinfo=quebec_summer))
        db.session.add(user)
        db.session.commit()
        raw = db.session.execute(sa.text("SELECT created_at FROM \"user\"")).scalar()
        db.session.expire_all()
        assert user.created_at == datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
        assert user.created_at.tzinfo is not None
        assert str(raw).startswith("2026-06-01 12:30")
        with pytest.raises(sa.exc.StatementError):
            user.last_login_at = datetime(2026, 6, 1, 12, 0)  # naive: refused
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(
    ("day", "phase"),
    [(date(2026, 5, 1), 1), (date(2026, 5, 9), 1), (date(2026, 5, 22), 1), (date(2026, 5, 23), 2),
     (date(2026, 7, 7), 2), (date(2026, 7, 8), 3), (date(2026, 11, 25), 3)],
)
def test_phase_follows_the_go_live_offsets(day, phase):
    establishment = Establishment(go_live=date(2026, 5, 9), phase2_day=14, phase3_day=60)
    assert establishment.phase_on(day) == phase


@pytest.mark.postgres
def test_postgres_sequences_stay_ahead_of_the_seeded_rows(app):
    """The themes inserted by the migration must not collide with the next theme an admin adds."""
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        db.session.add(Theme(code="privacy", name_fr="Vie privée", name_en="Privacy"))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Theme.id))) == len(THEME_CODES) + 1
