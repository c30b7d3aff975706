"""Configuration layers: defaults → instance/config.py → environment → test mapping."""

from feedback import create_app
from feedback.config import normalise_database_url


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'echo.sqlite3'}"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "America/Toronto"
    assert app.config["ANONYMITY_THRESHOLD"] == 5


def test_each_layer_overrides_the_one_before(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "config.py").write_text(
        "ANONYMITY_THRESHOLD = 7\nRATELIMIT_STORAGE_URI = 'memory://instance'\n"
        "SQLALCHEMY_DATABASE_URI = 'sqlite:///from-instance.db'\n"
    )
    app = create_app(instance_path=str(tmp_path))
    assert app.config["ANONYMITY_THRESHOLD"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///from-instance.db"

    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("FLASK_ANONYMITY_THRESHOLD", "9")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///from-env.db"
    assert app.config["ANONYMITY_THRESHOLD"] == 9  # FLASK_* values are parsed as JSON
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://instance"

    app = create_app({"ANONYMITY_THRESHOLD": 3, "SQLALCHEMY_DATABASE_URI": "sqlite://"},
                     instance_path=str(tmp_path))
    assert app.config["ANONYMITY_THRESHOLD"] == 3
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    first = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    second = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    other = create_app(instance_path=str(tmp_path / "elsewhere")).config["SECRET_KEY"]
    assert len(first) == 64
    assert first == second == (tmp_path / "secret_key").read_text()
    assert other != first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_configured_secret_key_wins_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
