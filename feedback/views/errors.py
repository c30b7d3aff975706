"""Error pages in the visitor's language."""

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Access denied"), _l("Your role does not give access to this page.")),
    404: (_l("Page not found"),
          _l("This page does not exist, or is not part of your establishment.")),
    405: (_l("Method not allowed"), _l("This page cannot be used this way.")),
    413: (_l("Too large"), _l("What you sent is larger than Écho accepts.")),
    429: (_l("Too many attempts"), _l("Please wait a moment before trying again.")),
    500: (_l("Something went wrong"),
          _l("The error has been logged. Please try again in a moment.")),
}


def render_error(error: HTTPException):
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description))
    if isinstance(error, CSRFError):
        message = _l("This form has expired or was sent twice. Reload the page and try again.")
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    # Anything unexpected becomes a plain 500 page; the traceback goes to the log only.
    app.register_error_handler(Exception, lambda _e: render_error(InternalServerError()))
