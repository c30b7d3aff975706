"""Error pages in the visitor's language; problem details (JSON) for the API."""

import traceback

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException, InternalServerError

from feedback.api import problems
from feedback.web import InvalidParameter

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


def forget_request_body() -> None:
    """After a 413 the body must stay unread: any form the page builds sees it as empty.

    Werkzeug keeps parsed form data in the request's __dict__; filling it in first means the
    oversized body is never parsed (base.html's own forms read request.form on a POST).
    """
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())


def render_error(error: HTTPException):
    if error.code == 413:
        forget_request_body()
    if request.path.startswith("/api/"):
        return problems.problem_for(error)  # application/problem+json (RFC 9457)
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description))
    if isinstance(error, CSRFError):
        message = _l("This form has expired or was sent twice. Reload the page and try again.")
    elif isinstance(error, InvalidParameter):
        message = error.description
    return render_template("errors/error.html", code=code, title=title, message=message), code


def render_unexpected(error: Exception):
    """Anything unexpected: the traceback goes to the log, the visitor gets a plain 500 page."""
    if isinstance(error, DBAPIError):
        # The database's own message can quote the values at fault (PostgreSQL's DETAIL line):
        # log where it failed and the statement, never the values.
        trace = "".join(traceback.format_tb(error.__traceback__))
        current_app.logger.error("Unhandled database error %s.%s on: %s\n%s",
                                 type(error).__name__, type(error.orig).__name__,
                                 error.statement, trace)
    else:
        current_app.logger.error("Unhandled exception", exc_info=error)
    return render_error(InternalServerError())


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_unexpected)
