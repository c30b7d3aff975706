"""Defences every response gets: security headers, secure cookies, and logs free of patient data."""

import logging

from flask import Flask, Response, abort, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: what the browser runs comes from our own files.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
))

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def refuse_nul_characters() -> None:
    """A NUL in a form field is never typed by a person, and PostgreSQL refuses to store it: answer
    400 before any view tries (the API answers its own 422 with the field named)."""
    if request.path.startswith("/api/"):
        return
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came over HTTPS; write no cookie at
    all for a response that must leave nothing on the device (see keep_no_session)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]
                    or (has_request_context() and request.is_secure))

    def save_session(self, app: Flask, session, response: Response) -> None:
        if g.get("keep_no_session"):
            return
        super().save_session(app, session, response)


def keep_no_session() -> None:
    """This response sets no session cookie, whatever the page put in the session (a kiosk:
    the next person must find nothing of the previous one)."""
    g.keep_no_session = True


class RedactPatientData(logging.Filter):
    """Last line of defence: patient identifiers are scrubbed from any message we log."""

    def filter(self, record: logging.LogRecord) -> bool:
        from feedback.analysis import redact

        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class UnsharedRateLimits(RuntimeError):
    """Several processes would each count rate limits on their own."""


def check_shared_limits(config, workers: int) -> None:
    """Refuse to serve with several processes that would count rate limits each in its memory.

    With N workers, "5 failed sign-ins per account" would allow 5 × N: the limits must live in
    shared storage (Redis). A single process (`make run`) counts correctly in memory.
    """
    if not config.get("RATELIMIT_ENABLED", True):
        return  # no limit is counted, so none can be multiplied
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if workers > 1 and storage.startswith("memory://"):
        raise UnsharedRateLimits(
            f"Écho refuses to start: {workers} workers would each count the rate limits (sign-in "
            f"attempts, surveys, API) in their own memory, multiplying every limit by {workers}. "
            "Set FLASK_RATELIMIT_STORAGE_URI to a shared storage, e.g. "
            "redis://127.0.0.1:6379, or run a single worker.")


def init_app(app: Flask) -> None:
    if hops := app.config["PROXY_FIX_HOPS"]:
        # Behind a reverse proxy: trust its X-Forwarded-* headers for the client address and scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.session_interface = SessionInterface()
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    if not any(isinstance(f, RedactPatientData) for f in app.logger.filters):
        app.logger.addFilter(RedactPatientData())
