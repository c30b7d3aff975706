"""Layered configuration: defaults → instance/config.py → environment → test mapping."""

import os
import secrets
from pathlib import Path

from flask import Flask


class DefaultConfig:
    """Values used when nothing else configures them."""

    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    # Stored times are UTC; people read them in Québec's time zone.
    BABEL_DEFAULT_TIMEZONE = "America/Toronto"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent.parent / "translations")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600  # a whole shift: a form opened at 7:00 still posts at 14:00

    # In-memory by default; a Redis URI (redis://127.0.0.1:6379) shares limits between workers.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True

    # The address staff reach Écho at, for QR codes and e-mailed links (None: the request's host).
    PUBLIC_BASE_URL: str | None = None
    # Per client address, kept in memory (or Redis) only, never with a response.
    SURVEY_RATE_LIMIT = "30 per minute;600 per hour"
    # A kiosk goes back to the first question after this long untouched, or this long after
    # its thank-you page (seconds).
    KIOSK_IDLE_SECONDS = 60
    KIOSK_THANKS_SECONDS = 15

    # Imported files (CSV, XLSX) may be this large; no request body may exceed the hard cap.
    IMPORT_MAX_BYTES = 50 * 1024 * 1024
    MAX_CONTENT_LENGTH = 52 * 1024 * 1024
    # Requests per API token and minute, every operation counted together.
    API_RATE_LIMIT = "120 per minute"

    # Figures resting on fewer survey responses than this are suppressed (Law 25, anonymity).
    ANONYMITY_THRESHOLD = 5
    # Error messages and logs never show SQL parameters: they may hold what people wrote.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    # Number of reverse proxies in front of Écho whose X-Forwarded-* headers are trusted.
    PROXY_FIX_HOPS = 0
    # Sign-in attempts: per client address, and failed attempts per account.
    LOGIN_RATE_LIMIT = "20 per minute"
    LOGIN_ACCOUNT_RATE_LIMIT = "5 per 15 minutes"

    # Local passwords beside single sign-on; False keeps only the identity providers' buttons
    # (once one is configured: see accounts.sso.local_passwords_allowed).
    LOCAL_PASSWORDS = True
    # Identity providers' discovery documents and keys are read again after this many seconds;
    # a request to a provider gives up after SSO_HTTP_TIMEOUT seconds.
    SSO_METADATA_TTL = 3600
    SSO_HTTP_TIMEOUT = 10

    # Days each kind of data is kept before `flask purge` destroys it (Law 25: retention).
    RETENTION_DAYS: dict = {
        "survey": 730, "observation": 730, "import": 730, "followup": 90, "audit": 2555,
    }
    # Password-reset and invitation links: valid this long, once.
    PASSWORD_RESET_HOURS = 48
    PASSWORD_RESET_RATE_LIMIT = "10 per hour"
    # Outgoing mail: off while MAIL_SERVER is empty (reset links are then shown to the admin).
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS on a plain connection
    MAIL_USE_SSL = False  # implicit TLS, usually port 465
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SENDER = "Écho <ne-pas-repondre@echo.invalid>"
    MAIL_TIMEOUT = 10
    # The job queue (imports, the daily purge, the weekly cohorts): empty, a SQLite file in the
    # instance folder (no server needed); a redis:// URL shares the work between machines.
    QUEUE_URL = ""
    QUEUE_NAME = "echo"
    QUEUE_IMMEDIATE = False  # run tasks at once, in the caller (tests)
    # A job that fails is tried this many times in all, waiting QUEUE_RETRY_SECONDS, then twice
    # as long, before it is shown as failed; one not heard from for QUEUE_LEASE_SECONDS (its
    # consumer was killed) is started again. Longer than an import's writing phase, which sends
    # no news.
    QUEUE_ATTEMPTS = 3
    QUEUE_RETRY_SECONDS = 30
    QUEUE_LEASE_SECONDS = 600
    # Managers' theme corrections that make the consumer refit the theme model (then re-analyse
    # stored feedback with it); checked every hour.
    RETRAIN_AFTER_CORRECTIONS = 50
    # A feedback export of more rows than this is prepared by the job queue, then offered for
    # download for EXPORT_KEEP_HOURS; a smaller one streams at once (a second or so).
    EXPORT_DIRECT_ROWS = 10_000
    EXPORT_KEEP_HOURS = 24
    # Whom staff contact about their personal information (shown on the privacy notice).
    PRIVACY_CONTACT = ""
    PRIVACY_CONTACT_EMAIL = ""


def normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs at psycopg 3, the driver Écho ships with."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(app: Flask, test_config: dict | None = None) -> None:
    """Fill app.config from every layer, later layers winning."""
    app.config.from_object(DefaultConfig)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
        Path(app.instance_path) / "echo.sqlite3"
    )
    app.config.from_pyfile("config.py", silent=True)
    if database_url := os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    app.config.from_prefixed_env()
    if test_config:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def instance_secret_key(instance: Path) -> str:
    """Read the instance's secret key, generating it on first run (never a constant in code)."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()
