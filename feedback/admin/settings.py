"""The deployment's effective settings, as the settings page shows them (never a secret)."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import make_url

from feedback.accounts.passwords import MIN_LENGTH
from feedback.extensions import db


@dataclass(frozen=True)
class EffectiveSettings:
    """What the settings page shows: the configuration that matters, never a secret."""

    database_engine: str
    database_version: str
    database_location: str
    anonymity_threshold: int
    rate_limits: dict[str, str]
    rate_limits_enabled: bool
    rate_limit_storage: str
    password_min_length: int
    local_passwords: bool
    sso_metadata_ttl: int
    reset_link_hours: int
    mail_enabled: bool
    mail_server: str
    mail_security: str
    mail_authenticated: bool
    mail_sender: str
    languages: tuple[str, ...]
    timezone: str
    privacy_contact: str
    privacy_contact_email: str


def effective_settings(app: Flask) -> EffectiveSettings:
    """Read the running configuration; URLs lose their user names and passwords."""
    config = app.config
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    engine = db.engine
    if url.get_backend_name() == "sqlite":
        location = Path(url.database).name if url.database else "memory"
    else:
        location = f"{url.host or 'localhost'}:{url.port or ''}/{url.database or ''}".replace(
            ":/", "/")
    with engine.connect() as connection:
        version = ".".join(str(part) for part in connection.dialect.server_version_info or ())
    rate_limits = {key: str(value) for key, value in sorted(config.items())
                   if key.endswith("_RATE_LIMIT") or key in ("RATELIMIT_DEFAULT",
                                                             "RATELIMIT_APPLICATION")}
    if config.get("MAIL_USE_SSL"):
        security = "ssl"
    elif config.get("MAIL_USE_TLS"):
        security = "starttls"
    else:
        security = "none"
    return EffectiveSettings(
        database_engine=f"{engine.dialect.name} ({engine.dialect.driver})",
        database_version=version,
        database_location=location,
        anonymity_threshold=config["ANONYMITY_THRESHOLD"],
        rate_limits=rate_limits,
        rate_limits_enabled=bool(config.get("RATELIMIT_ENABLED", True)),
        rate_limit_storage=urlsplit(str(config.get("RATELIMIT_STORAGE_URI", "memory://"))).scheme,
        password_min_length=MIN_LENGTH,
        local_passwords=bool(config["LOCAL_PASSWORDS"]),
        sso_metadata_ttl=int(config["SSO_METADATA_TTL"]),
        reset_link_hours=int(config["PASSWORD_RESET_HOURS"]),
        mail_enabled=bool(config.get("MAIL_SERVER")),
        mail_server=(f"{config['MAIL_SERVER']}:{config.get('MAIL_PORT')}"
                     if config.get("MAIL_SERVER") else ""),
        mail_security=security,
        mail_authenticated=bool(config.get("MAIL_USERNAME")),
        mail_sender=str(config.get("MAIL_SENDER") or ""),
        languages=tuple(config["LANGUAGES"]),
        timezone=str(config["BABEL_DEFAULT_TIMEZONE"]),
        privacy_contact=str(config.get("PRIVACY_CONTACT") or ""),
        privacy_contact_email=str(config.get("PRIVACY_CONTACT_EMAIL") or ""),
    )
