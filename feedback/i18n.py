"""Which language a request is served in."""

from flask import current_app, has_request_context, request, session
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
