"""One blueprint per user-facing area."""

from urllib.parse import urlsplit

from flask import current_app, url_for


def safe_next(target: str | None, default_endpoint: str = "main.home") -> str:
    """A local path to go back to after a form, never another site (open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for(default_endpoint)


def public_url(endpoint: str, **values) -> str:
    """An absolute link for posters and e-mails: PUBLIC_BASE_URL when set (behind a proxy)."""
    if base := current_app.config.get("PUBLIC_BASE_URL"):
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
