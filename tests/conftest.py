"""Fixtures in the flaskr pattern: app, client, runner, auth, and factories returning callables.

The suite runs against SQLite by default, and against PostgreSQL when DATABASE_URL is set (CI runs
both). The schema is built once per session by the real migrations, and one app serves every
test. Each test runs inside one database transaction that is rolled back at its end (its own
commits are savepoints), so nothing it writes outlives it. Tests whose writes must be seen by
another connection (a live server, a background thread, another process) are marked
`committed`: they commit for real, and every table is emptied afterwards.
"""

import os
from contextlib import contextmanager
from datetime import date, timedelta

import flask_migrate
import pytest
import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession

from feedback import create_app
from feedback.config import normalise_database_url
from feedback.extensions import db, limiter
from feedback.insights import anonymity
from feedback.models import Establishment, Role, Sector, Site, SiteKind, User

PASSWORD = "correct-horse-battery"


def pytest_report_header(config):
    url = database_url_from_env()
    if url:
        return f"database: PostgreSQL ({sa.make_url(url).render_as_string()})"
    return "database: SQLite (set DATABASE_URL to run the suite on PostgreSQL too)"


def pytest_configure(config):
    config.addinivalue_line("markers", "committed: the test's writes are committed for real "
                                       "(another connection must see them)")
    config.addinivalue_line("markers", "own_app: the test adds routes, so it gets an app of "
                                       "its own")


def pytest_collection_modifyitems(config, items):
    if database_url_from_env():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI runs the suite on both)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def database_url_from_env() -> str | None:
    url = os.environ.get("DATABASE_URL")
    return normalise_database_url(url) if url else None


def reset_postgres_schema(url: str, schema: str = "public") -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()


def in_schema(url: str, schema: str) -> str:
    """The URL of the same PostgreSQL database, whose connections work in `schema`."""
    url = sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


# Under pytest-xdist each worker process has a name (gw0, gw1…): on PostgreSQL, each works in a
# schema of its own, so that the workers share the database but never each other's rows.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    """The PostgreSQL database the suite runs against, or None on SQLite."""
    return database_url_from_env()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """The URL of a database built by `db upgrade`, and the rows the migrations inserted."""
    url = database_url_from_env()
    if url:
        try:
            reset_postgres_schema(url, WORKER or "public")
        except sa.exc.OperationalError as error:
            pytest.exit(f"DATABASE_URL is set but PostgreSQL is unreachable: {error}", returncode=3)
        if WORKER:
            url = in_schema(url, WORKER)
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TESTING": True},
                     instance_path=str(tmp_path_factory.mktemp("instance")))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            snapshot = {
                table: [row._asdict() for row in connection.execute(table.select())]
                for table in db.metadata.sorted_tables
            }
        db.engine.dispose()
    return url, {table: rows for table, rows in snapshot.items() if rows}


def empty_database(snapshot: dict) -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        for table, rows in snapshot.items():
            connection.execute(table.insert(), rows)


class _TestSession(FlaskSession):
    """Flask-SQLAlchemy's session, but bound to the test's connection when one is given."""

    def get_bind(self, *args, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(*args, **kwargs)


def new_app(url: str, instance_path: str):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            # Tasks run where they are queued, and a failed one is tried again at once: tests
            # that need a real consumer set QUEUE_IMMEDIATE to False.
            "QUEUE_IMMEDIATE": True,
            "QUEUE_RETRY_SECONDS": 0,
        },
        instance_path=instance_path,
    )


@pytest.fixture(scope="session")
def session_app(migrated_database, tmp_path_factory):
    """One app for the whole run (building one per test cost more than most tests)."""
    app = new_app(migrated_database[0], str(tmp_path_factory.mktemp("instance")))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(session_app, migrated_database, tmp_path, request):
    """The app, its configuration and rate limits as new, the test's work undone afterwards.

    Tests marked `own_app` (they add routes) get an app of their own.
    """
    own = request.node.get_closest_marker("own_app") is not None
    app = new_app(migrated_database[0], str(tmp_path / "instance")) if own else session_app
    config = app.config.copy()
    app.instance_path = str(tmp_path / "instance")
    limiter.reset()
    if request.node.get_closest_marker("committed"):
        yield app
        with app.app_context():
            db.session.remove()
            empty_database(migrated_database[1])
    else:
        with rolled_back(app):
            yield app
    app.config.clear()
    app.config.update(config)
    if own:
        with app.app_context():
            db.engine.dispose()


@contextmanager
def rolled_back(app):
    """Run the body inside one transaction of the app's database, rolled back at its end.

    The body's commits become savepoints of that transaction, so nothing it writes outlives it.
    """
    with app.app_context():
        connection = db.engine.connect()
    raw = connection.connection.driver_connection
    outer = connection.begin()
    if connection.dialect.name == "sqlite":
        # pysqlite begins transactions on its own and lets a savepoint's release commit
        # them: here the test's transaction is begun by hand, so it holds every savepoint.
        raw.isolation_level = None
        connection.exec_driver_sql("BEGIN")
    shared, db.session = db.session, db._make_scoped_session(
        {"class_": _TestSession, "bind": connection,
         "join_transaction_mode": "create_savepoint"})
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        db.session = shared
        outer.rollback()
        if connection.dialect.name == "sqlite":
            raw.isolation_level = ""  # back to pysqlite's default for the pool
        connection.close()


@pytest.fixture(scope="session")
def demo_database(migrated_database, tmp_path_factory):
    """An app on a database of its own holding the demo, seeded once for the whole run, and what
    `seed-demo` printed.

    Seeding takes half a minute; the tests that need the demo read it through `demo`, whose
    writes are rolled back like any test's. On PostgreSQL the demo lives in a schema of its own.
    """
    url = database_url_from_env()
    if url:
        schema = f"demo_{WORKER}" if WORKER else "demo"
        reset_postgres_schema(url, schema)
        url = in_schema(url, schema)
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    app = new_app(url, str(tmp_path_factory.mktemp("demo-instance")))
    with app.app_context():
        flask_migrate.upgrade()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    yield app, result.output
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def demo(demo_database):
    """The app serving the seeded demo; the test's writes are rolled back at its end."""
    app, _output = demo_database
    config = app.config.copy()
    limiter.reset()
    with rolled_back(app):
        yield app
    app.config.clear()
    app.config.update(config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _saved(app, obj):
    """Commit obj and hand it back detached, its columns loaded, for use outside the context."""
    with app.app_context():
        db.session.add(obj)
        db.session.commit()
        db.session.refresh(obj)
        db.session.expunge(obj)
    return obj


@pytest.fixture
def make_establishment(app):
    counter = iter(range(1, 1000))

    def make(code: str | None = None, *, go_live: date = date(2026, 5, 9), **fields):
        n = next(counter)
        establishment = Establishment(
            code=code or f"E{n}", name=fields.pop("name", f"Établissement {n}"), go_live=go_live,
            **fields,
        )
        site = Site(name=f"Hôpital {n}", kind=SiteKind.HOSPITAL, establishment=establishment)
        site.sectors = [
            Sector(code="urgence", name_fr="Urgence", name_en="Emergency"),
            Sector(code="oncologie", name_fr="Oncologie", name_en="Oncology"),
        ]
        return _saved(app, establishment)

    return make


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 1000))

    def make(role: Role = Role.MANAGER, establishment: Establishment | None = None, *,
             email: str | None = None, active: bool = True, locale: str = "fr") -> User:
        n = next(counter)
        user = User(
            email=email or f"user{n}@example.org", name=f"Utilisateur {n}", role=role,
            establishment_id=establishment.id if establishment else None, active=active,
            locale=locale,
        )
        user.set_password(PASSWORD)
        return _saved(app, user)

    return make


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def make_campaign(app):
    """A campaign of an establishment, open today by default."""

    def make(establishment: Establishment, *, opens_in: int = -1, lasts: int = 7,
             sector_codes: tuple[str, ...] = (), **fields):
        from feedback.clock import local_today
        from feedback.models import Campaign
        from feedback.surveys import create_campaign

        with app.app_context():
            owner = db.session.get(Establishment, establishment.id)
            sectors = [s for site in owner.sites for s in site.sectors if s.code in sector_codes]
            opens_on = local_today() + timedelta(days=opens_in)
            campaign = create_campaign(
                establishment=owner, title_fr=fields.pop("title_fr", "Pouls de la semaine"),
                title_en=fields.pop("title_en", "Weekly pulse"), opens_on=opens_on,
                closes_on=opens_on + timedelta(days=lasts), sectors=sectors, **fields,
            )
            db.session.commit()
            campaign_id = campaign.id
        return _load(app, Campaign, campaign_id)

    return make


def _load(app, model, ident):
    """A detached copy of a row, its columns loaded."""
    with app.app_context():
        obj = db.session.get(model, ident)
        db.session.expunge(obj)
    return obj


# --- Feedback and survey responses as given, without the analysis pipeline ---------

@pytest.fixture
def add_feedback(app):
    """Store one feedback exactly as described (themes, sentiment...); returns its id.

    `sector` is a sector code of the establishment ("urgence", "oncologie") or None. Survey
    comments and imports keep the Québec week of `day`, as the app stores them; observations a
    time that day (`hour`).
    """

    def add(establishment: Establishment, *, kind: str = "survey", role: str = "nurse",
            sector: str | None = "urgence", phase: int = 1, day: date = date(2026, 5, 12),
            hour: int = 10, sentiment: str = "neutral", polarity: float = 0.0,
            themes: tuple[str, ...] = (), text: str = "Un commentaire.",
            author_id: int | None = None) -> int:
        from datetime import datetime, time

        from feedback.clock import QUEBEC, local_week_start
        from feedback.models import (
            Feedback,
            FeedbackKind,
            FeedbackTheme,
            SentimentLabel,
            Theme,
            ThemeSource,
            WriterRole,
        )

        with app.app_context():
            found = None
            if sector is not None:
                found = db.session.scalar(sa.select(Sector).join(Site).where(
                    Site.establishment_id == establishment.id, Sector.code == sector))
            by_code = {t.code: t for t in db.session.scalars(sa.select(Theme))}
            created_at = (datetime.combine(day, time(hour), tzinfo=QUEBEC)
                          if kind == "observation" else local_week_start(day))
            feedback = Feedback(
                establishment_id=establishment.id, site_id=found.site_id if found else None,
                sector_id=found.id if found else None, role=WriterRole(role), phase=phase,
                kind=FeedbackKind(kind), text=text, language="fr", polarity=polarity,
                sentiment=SentimentLabel(sentiment), created_at=created_at, author_id=author_id,
            )
            feedback.themes = [FeedbackTheme(theme=by_code[code], source=ThemeSource.AUTO,
                                             confidence=0.9) for code in themes]
            db.session.add(feedback)
            db.session.commit()
            return feedback.id

    return add


@pytest.fixture
def ref_of(app):
    """The public reference of a feedback, from its id (pages, forms and the API use it)."""

    def ref(feedback_id: int) -> str:
        from feedback.models import Feedback

        with app.app_context():
            return db.session.get(Feedback, feedback_id).ref

    return ref


@pytest.fixture
def cut(app):
    """Cut the finished weeks into anonymity cohorts, as the queue's task does (pages never do).

    `threshold`: the deployment's threshold to cut with (default: the app's).
    """

    def run(threshold: int | None = None) -> int:
        from feedback.clock import utcnow

        with app.app_context():
            count = anonymity.publish_due(
                db.session, threshold or app.config["ANONYMITY_THRESHOLD"], utcnow())
            db.session.commit()
        return count

    return run


@pytest.fixture
def add_response(app):
    """Store one survey response to a campaign (answers: {item: 1–5}); returns its id."""
    counter = iter(range(1, 100000))

    def add(campaign, *, role: str = "nurse", sector: str | None = "urgence", phase: int = 1,
            day: date = date(2026, 5, 12), recommend: int | None = None,
            answers: dict[str, int] | None = None, comment_id: int | None = None) -> int:
        from feedback.models import SurveyAnswer, SurveyResponse, WriterRole

        with app.app_context():
            found = None
            if sector is not None:
                found = db.session.scalar(sa.select(Sector).join(Site).where(
                    Site.establishment_id == campaign.establishment_id, Sector.code == sector))
            response = SurveyResponse(
                campaign_id=campaign.id, establishment_id=campaign.establishment_id,
                sector_id=found.id if found else None, role=WriterRole(role), phase=phase,
                submitted_on=day, recommend=recommend, comment_id=comment_id,
                submission_token=f"test-{campaign.id}-{next(counter)}",
                answers=[SurveyAnswer(item=item, theme_code=item, value=value)
                         for item, value in (answers or {}).items()],
            )
            db.session.add(response)
            db.session.commit()
            return response.id

    return add


@pytest.fixture
def retrained(app):
    """For tests that retrain: the instance's own theme model is removed afterwards, so that the
    tests after them (on the same worker) analyse with the shipped one again."""
    from feedback.extensions import theme_model

    yield
    with app.app_context():
        theme_model.path.unlink(missing_ok=True)
