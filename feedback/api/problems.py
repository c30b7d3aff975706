"""Errors of the API as problem details (RFC 9457), in the reader's language."""

import json
from http import HTTPStatus

from flask import (
    Response,
    make_response,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

NUL = "\x00"


UNSTORABLE = _l("This holds a NUL character, which cannot be stored.")


PROBLEMS = {
    400: ("bad-request", _l("Bad request"), _l("The request could not be understood.")),
    401: ("unauthorized", _l("Authentication required"),
          _l("Send a valid API token: Authorization: Bearer <token>. Tokens are created in "
             "your profile.")),
    403: ("forbidden", _l("Access denied"),
          _l("Your role does not give access to this operation.")),
    404: ("not-found", _l("Not found"),
          _l("This does not exist, or is not part of your establishment.")),
    405: ("method-not-allowed", _l("Method not allowed"),
          _l("This operation does not accept this HTTP method.")),
    409: ("conflict", _l("Conflict"), _l("This conflicts with what is already stored.")),
    413: ("too-large", _l("Too large"), _l("What you sent is larger than the API accepts.")),
    415: ("unsupported-media-type", _l("Unsupported media type"),
          _l("Send the body as JSON, with Content-Type: application/json.")),
    422: ("validation", _l("Invalid data"), _l("Some of the data is not valid: see errors.")),
    429: ("rate-limited", _l("Too many requests"),
          _l("Too many requests with this token: wait the number of seconds in Retry-After, "
             "then try again.")),
    500: ("server-error", _l("Something went wrong"),
          _l("The error has been logged. Please try again in a moment.")),
}


def problem(status: int, detail: str | None = None, *, errors: list[dict] | None = None,
            headers: dict | None = None) -> Response:
    if status in PROBLEMS:
        slug, title, default_detail = PROBLEMS[status]
        kind = url_for("api.v1.docs", _anchor=f"problem-{slug}")
    else:  # RFC 9457: no type of our own, the status phrase as title
        kind, title = "about:blank", HTTPStatus(status).phrase
        default_detail = PROBLEMS[500][2] if status >= 500 else title
    body = {
        "type": kind,
        "title": str(title),
        "status": status,
        "detail": str(detail or default_detail),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = make_response(json.dumps(body, ensure_ascii=False), status)
    response.mimetype = "application/problem+json"
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="echo"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_for(error: HTTPException) -> Response:
    """An HTTP error raised anywhere under /api/, as a problem (the app's error handler calls it).

    A description given on purpose (abort(404, description=...)) is kept; werkzeug's stock
    English descriptions are replaced by ours, translated.
    """
    code = error.code or 500
    detail = error.description if "description" in vars(error) else None
    headers = {}
    if code == 405 and (allowed := getattr(error, "valid_methods", None)):
        headers["Allow"] = ", ".join(allowed)
    if code == 429:
        detail = None  # Flask-Limiter's message names the limit; ours says what to do
    return problem(code, detail, headers=headers)


class Invalid(Exception):
    """Invalid input, reported as one 422 problem listing every error."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(errors)
        self.errors = errors


def field_error(name: str, message: str) -> dict:
    return {"detail": str(message), "pointer": f"#/{name}"}


def parameter_error(name: str, message: str) -> dict:
    return {"detail": str(message), "parameter": name}


