"""Which language a request (or a task of the queue) is served in."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, has_request_context, request, session
from flask_babel import force_locale
from flask_login import current_user


def select_locale() -> str | None:
    """A signed-in user's choice, then a visitor's switch, then the browser, then French.

    Outside a request (commands), None: Flask-Babel's default locale, French.
    """
    if not has_request_context():
        return None
    languages = current_app.config["LANGUAGES"]
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages, default=languages[0])


@contextmanager
def in_locale(locale: str) -> Iterator[None]:
    """Flask-Babel's force_locale, also in a task's fresh app context."""
    # force_locale silently does nothing while `g` is empty, as it is when a task starts.
    g.forced_locale = locale
    with force_locale(locale):
        yield
